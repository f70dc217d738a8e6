import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bytes,
  cells,
  decodeFdt,
  empty,
  encodeFdt,
  FDT_MAGIC,
  findNode,
  node,
  propCells,
  propString,
  propStrings,
  propU32,
  propU64,
  ref,
  str,
  strs,
  u32,
  u64,
  type DecodedNode,
  type FdtNode,
} from './index.ts';

const sample = () =>
  node('', { '#address-cells': u32(2), compatible: strs('acme,board', 'simple'), model: str('Acme') }, [
    node('cpus', {}, [node('cpu@0', { reg: u32(0) }, [node('interrupt-controller', { 'interrupt-controller': empty() }, [], { label: 'intc' })])]),
    node('dev@1000', {
      reg: cells(0, 0x1000, 0, 0x100),
      'interrupts-extended': cells(ref('intc'), 3, ref('plic'), 9),
      seed: bytes(Uint8Array.of(1, 2, 3)),
      big: u64(0x1_2345_6789n),
      optional: undefined,
    }),
    node('plic@c000000', { 'interrupt-controller': empty() }, [], { label: 'plic' }),
  ]);

describe('FDT encoder/decoder', () => {
  it('writes a v17 header whose blocks lie inside the blob, 4/8-byte aligned', () => {
    const blob = encodeFdt(sample(), { bootCpuid: 3 });
    const v = new DataView(blob.buffer);
    expect(v.getUint32(0)).toBe(FDT_MAGIC);
    expect(v.getUint32(4)).toBe(blob.length);
    expect(v.getUint32(8) % 4).toBe(0); // off_dt_struct
    expect(v.getUint32(16) % 8).toBe(0); // off_mem_rsvmap
    expect(v.getUint32(20)).toBe(17);
    expect(v.getUint32(24)).toBe(16);
    expect(v.getUint32(8) + v.getUint32(36)).toBeLessThanOrEqual(v.getUint32(12));
    const d = decodeFdt(blob);
    expect(d.version).toBe(17);
    expect(d.bootCpuid).toBe(3);
  });

  it('round-trips properties of every kind and resolves phandles in depth-first order', () => {
    const d = decodeFdt(encodeFdt(sample()));
    expect(propStrings(d.root, 'compatible')).toEqual(['acme,board', 'simple']);
    expect(propString(d.root, 'model')).toBe('Acme');
    expect(propU32(d.root, '#address-cells')).toBe(2);
    const intc = findNode(d.root, '/cpus/cpu@0/interrupt-controller')!;
    const plic = findNode(d.root, '/plic@c000000')!;
    expect(propU32(intc, 'phandle')).toBe(1);
    expect(propU32(plic, 'phandle')).toBe(2);
    expect(intc.props.get('interrupt-controller')).toEqual(new Uint8Array(0));
    const dev = findNode(d.root, '/dev@1000')!;
    expect(propCells(dev, 'reg')).toEqual([0, 0x1000, 0, 0x100]);
    expect(propCells(dev, 'interrupts-extended')).toEqual([1, 3, 2, 9]);
    expect(dev.props.get('seed')).toEqual(Uint8Array.of(1, 2, 3));
    expect(propU64(dev, 'big')).toBe(0x1_2345_6789n);
    expect(dev.props.has('optional')).toBe(false);
    expect([...dev.props.keys()]).toEqual(['reg', 'interrupts-extended', 'seed', 'big']);
  });

  it('freeSpace grows totalsize past the strings block without changing the content', () => {
    const plain = encodeFdt(sample());
    const roomy = encodeFdt(sample(), { freeSpace: 64 });
    expect(roomy.length).toBe(plain.length + 64);
    expect(new DataView(roomy.buffer).getUint32(4)).toBe(roomy.length);
    expect(decodeFdt(roomy).root).toEqual(decodeFdt(plain).root);
  });

  it('round-trips memory reservations', () => {
    const d = decodeFdt(encodeFdt(sample(), { reservations: [{ address: 0x8000_0000, size: 0x20_0000 }, { address: 0x1_0000_0000n, size: 1 }] }));
    expect(d.reservations).toEqual([
      { address: 0x8000_0000n, size: 0x20_0000n },
      { address: 0x1_0000_0000n, size: 1n },
    ]);
  });

  it('stores each property name once in the strings block', () => {
    const blob = encodeFdt(node('', {}, [node('a', { reg: u32(1) }), node('b', { reg: u32(2) })]));
    const v = new DataView(blob.buffer);
    expect(v.getUint32(32)).toBe('reg\0'.length);
  });

  it('rejects unknown and duplicate labels, bad names and out-of-range cells', () => {
    expect(() => encodeFdt(node('', { x: cells(ref('nope')) }))).toThrow(/unknown label/);
    expect(() => encodeFdt(node('', {}, [node('a', {}, [], { label: 'l' }), node('b', {}, [], { label: 'l' })]))).toThrow(/duplicate/);
    expect(() => encodeFdt(node('', {}, [node('a/b')]))).toThrow(/name/);
    expect(() => encodeFdt(node('x'))).toThrow(/root/);
    expect(() => u32(2 ** 32)).toThrow(RangeError);
    expect(() => u32(-1)).toThrow(RangeError);
    expect(() => u64(2 ** 53 + 2)).toThrow(RangeError);
    expect(() => strs('a\0b')).toThrow(RangeError);
  });

  it('decoder refuses a bad magic and a truncated blob', () => {
    const blob = encodeFdt(sample());
    const bad = blob.slice();
    bad[0] = 0;
    expect(() => decodeFdt(bad)).toThrow(/magic/);
    expect(() => decodeFdt(blob.subarray(0, blob.length - 8))).toThrow();
  });

  it('property: random trees survive encode → decode', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9,._+-]{0,12}(@[0-9a-f]{1,8})?$/);
    const value = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { maxLength: 6 }).map((c) => ({ kind: 'cells' as const, c })),
      fc.array(fc.stringMatching(/^[ -~]{0,10}$/), { minLength: 1, maxLength: 3 }).map((s) => ({ kind: 'strings' as const, s })),
      fc.uint8Array({ maxLength: 9 }).map((b) => ({ kind: 'bytes' as const, b })),
    );
    type Spec = { name: string; props: [string, { kind: 'cells'; c: number[] } | { kind: 'strings'; s: string[] } | { kind: 'bytes'; b: Uint8Array }][]; children: Spec[] };
    const treeAt = (depth: number): fc.Arbitrary<Spec> =>
      fc.record({
        name,
        props: fc.uniqueArray(fc.tuple(name, value), { maxLength: 4, selector: (p) => p[0] }),
        children: depth === 0 ? fc.constant([]) : fc.uniqueArray(treeAt(depth - 1), { maxLength: 3, selector: (c) => c.name }),
      });
    const tree = treeAt(3);
    const build = (s: Spec, root: boolean): FdtNode =>
      node(
        root ? '' : s.name,
        Object.fromEntries(s.props.map(([k, v]) => [k, v.kind === 'cells' ? cells(...v.c) : v.kind === 'strings' ? strs(...v.s) : bytes(v.b)])),
        s.children.map((c) => build(c, false)),
      );
    const expectSame = (s: Spec, d: DecodedNode, root: boolean) => {
      expect(d.name).toBe(root ? '' : s.name);
      expect(d.props.size).toBe(s.props.length);
      for (const [k, v] of s.props) {
        if (v.kind === 'cells') expect(propCells(d, k)).toEqual(v.c);
        else if (v.kind === 'strings') expect(propStrings(d, k)).toEqual(v.s);
        else expect(d.props.get(k)).toEqual(v.b);
      }
      expect(d.children.length).toBe(s.children.length);
      s.children.forEach((c, i) => expectSame(c, d.children[i]!, false));
    };
    fc.assert(
      fc.property(tree, (s) => {
        expectSame(s, decodeFdt(encodeFdt(build(s, true))).root, true);
      }),
    );
  });
});

describe('FDT strings', () => {
  it('round-trips non-ASCII text as UTF-8', () => {
    const d = decodeFdt(encodeFdt(node('', { s: strs('héllo', '→', '😀') })));
    expect(propStrings(d.root, 's')).toEqual(['héllo', '→', '😀']);
    expect(d.root.props.get('s')!.length).toBe('héllo'.length + 1 + 1 + 3 + 1 + 4 + 1);
  });
});
