import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteReader, ByteWriter } from './bytes.ts';
import { describe, type Description } from './description.ts';
import { VmStateError } from './errors.ts';
import { loadState } from './load.ts';
import { saveState } from './save.ts';
import { STRUCT_END_MARKER, VM_SUBSECTION } from './wire.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));

function save<S>(d: Description<S>, s: S): Uint8Array {
  const w = new ByteWriter();
  saveState(d, s, w);
  return w.take();
}

function load<S>(d: Description<S>, s: S, bytes: Uint8Array, version = d.version): S {
  const r = new ByteReader(bytes);
  loadState(d, s, r, version);
  expect(r.remaining).toBe(0);
  return s;
}

function refusal(f: () => unknown): VmStateError {
  try {
    f();
  } catch (e) {
    if (e instanceof VmStateError) return e;
    throw e;
  }
  throw new Error('expected a VmStateError');
}

// ---- a description with every field kind ----

interface Inner {
  a: number;
  b: bigint;
  extra: number;
}
interface All {
  flag: boolean;
  u8: number;
  u16: number;
  u32: number;
  i32: number;
  u64: bigint;
  u64n: number;
  i64: bigint;
  f64: number;
  bytes: Uint8Array;
  u16s: Uint16Array;
  u32s: Uint32Array;
  i32s: Int32Array;
  pairs: Int32Array;
  vb: Uint8Array;
  inner: Inner;
  fixed: Inner[];
  vary: Inner[];
  late: number;
}

const newInner = (): Inner => ({ a: 0, b: 0n, extra: 0 });
const newAll = (): All => ({
  flag: false,
  u8: 0,
  u16: 0,
  u32: 0,
  i32: 0,
  u64: 0n,
  u64n: 0,
  i64: 0n,
  f64: 0,
  bytes: new Uint8Array(3),
  u16s: new Uint16Array(2),
  u32s: new Uint32Array(2),
  i32s: new Int32Array(2),
  pairs: new Int32Array(4),
  vb: new Uint8Array(0),
  inner: newInner(),
  fixed: [newInner(), newInner()],
  vary: [],
  late: 0,
});

const innerExtra = describe<Inner>({ name: 'inner/extra', version: 1, fields: (f) => [f.u8('extra')] });
const innerD = describe<Inner>({
  name: 'inner',
  version: 1,
  fields: (f) => [f.u16('a'), f.i64('b')],
  subsections: [{ description: innerExtra, needed: (s) => s.extra !== 0 }],
});
const allLate = describe<All>({ name: 'all/late', version: 1, fields: (f) => [f.u32('late')] });
const allD = describe<All>({
  name: 'all',
  version: 1,
  fields: (f) => [
    f.bool('flag'),
    f.u8('u8'),
    f.u16('u16'),
    f.u32('u32'),
    f.i32('i32'),
    f.u64('u64'),
    f.u64n('u64n'),
    f.i64('i64'),
    f.f64('f64'),
    f.bytes('bytes'),
    f.u16s('u16s'),
    f.u32s('u32s'),
    f.i32s('i32s'),
    f.pairs64('pairs'),
    f.unused(2),
    f.varBytes('vb', { max: 6, resize: (s, n) => void (s.vb = new Uint8Array(n)) }),
    f.struct('inner', innerD),
    f.structArray('fixed', innerD),
    f.structVarArray('vary', innerD, { max: 3, resize: (s, n) => void (s.vary = Array.from({ length: n }, newInner)) }),
  ],
  subsections: [{ description: allLate, needed: (s) => s.late !== 0 }],
});

const innerArb = fc.record({
  a: fc.integer({ min: 0, max: 0xffff }),
  b: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  extra: fc.integer({ min: 0, max: 0xff }),
});
const allArb: fc.Arbitrary<All> = fc.record({
  flag: fc.boolean(),
  u8: fc.integer({ min: 0, max: 0xff }),
  u16: fc.integer({ min: 0, max: 0xffff }),
  u32: fc.integer({ min: 0, max: 0xffffffff }),
  i32: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  u64: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  u64n: fc.maxSafeNat(),
  i64: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  f64: fc.double(),
  bytes: fc.uint8Array({ minLength: 3, maxLength: 3 }),
  u16s: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 2, maxLength: 2 }).map((a) => Uint16Array.from(a)),
  u32s: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 2, maxLength: 2 }).map((a) => Uint32Array.from(a)),
  i32s: fc.int32Array({ minLength: 2, maxLength: 2 }),
  pairs: fc.int32Array({ minLength: 4, maxLength: 4 }),
  vb: fc.uint8Array({ maxLength: 6 }),
  inner: innerArb,
  fixed: fc.array(innerArb, { minLength: 2, maxLength: 2 }),
  vary: fc.array(innerArb, { maxLength: 3 }),
  late: fc.integer({ min: 0, max: 0xffffffff }),
});

group('save/load interpreter', () => {
  it('round-trips every field kind for random states', () => {
    fc.assert(
      fc.property(allArb, (s) => {
        const bytes = save(allD, s);
        const back = load(allD, newAll(), bytes);
        expect(back).toEqual(s);
        expect(Object.is(back.f64, s.f64)).toBe(true); // -0 and NaN keep their identity
        expect(hex(save(allD, back))).toBe(hex(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('writes the golden bytes for a small description (QEMU encoding, struct end marker)', () => {
    const s = newAll();
    Object.assign(s, { flag: true, u8: 0x12, u16: 0x3456, u32: 0x789abcde, i32: -1, u64: 1n, u64n: 0x100000000, i64: -2n, f64: 2 });
    s.bytes.set([1, 2, 3]);
    s.u16s.set([0xaaaa, 0xbbbb]);
    s.u32s.set([1, 2]);
    s.i32s.set([-1, 2]);
    s.pairs.set([0x11111111, 0x22222222, -1, 0]); // lo, hi, lo, hi
    s.vb = Uint8Array.of(9, 8);
    s.inner = { a: 5, b: 6n, extra: 7 };
    s.vary = [{ a: 1, b: -1n, extra: 0 }];
    const golden =
      '01' + '12' + '3456' + '789abcde' + 'ffffffff' + '0000000000000001' + '0000000100000000' + 'fffffffffffffffe' +
      '4000000000000000' + '010203' + 'aaaabbbb' + '0000000100000002' + 'ffffffff00000002' +
      '2222222211111111' + '00000000ffffffff' + '0000' + '00000002' + '0908' +
      // inner: a, b, subsection "inner/extra" v1 {extra}, end marker
      '0005' + '0000000000000006' + '05' + '0b' + hex(Uint8Array.from('inner/extra', (c) => c.charCodeAt(0))) + '00000001' + '07' + '7f' +
      // fixed[0], fixed[1]
      '0000' + '0000000000000000' + '7f' + '0000' + '0000000000000000' + '7f' +
      // vary: count 1, one element
      '00000001' + '0001' + 'ffffffffffffffff' + '7f';
    expect(hex(save(allD, s))).toBe(golden);
    expect(load(allD, newAll(), unhex(golden))).toEqual(s);
  });

  it('describes exactly what it wrote in QEMU vmdesc JSON', () => {
    const s = newAll();
    s.vary = [newInner()];
    s.late = 1;
    const desc = saveState(allD, s, new ByteWriter());
    expect(desc.vmsd_name).toBe('all');
    const names = desc.fields.map((f) => f.name);
    expect(names).toEqual([
      'flag', 'u8', 'u16', 'u32', 'i32', 'u64', 'u64n', 'i64', 'f64', 'bytes', 'u16s', 'u32s', 'i32s', 'pairs', 'unused',
      'vb/len', 'inner', 'inner/end', 'fixed', 'fixed/end', 'fixed', 'fixed/end', 'vary/len', 'vary', 'vary/end',
    ]);
    expect(desc.fields.find((f) => f.name === 'pairs')).toEqual({ name: 'pairs', array_len: 2, type: 'uint64', size: 8 });
    expect(desc.fields.find((f) => f.name === 'inner/end')).toEqual({ name: 'inner/end', type: 'uint8', size: 1 });
    expect(desc.fields.filter((f) => f.name === 'fixed').map((f) => f.index)).toEqual([0, 1]);
    expect(desc.subsections?.map((x) => x.vmsd_name)).toEqual(['all/late']);
    // An empty variable buffer has a length but no data entry.
    expect(names).not.toContain('vb');
  });

  it('sends a subsection only when needed; a stream without it loads and keeps the default', () => {
    const s = newAll();
    const without = save(allD, s);
    s.late = 42;
    const withIt = save(allD, s);
    expect(withIt.length).toBe(without.length + 1 + 1 + 'all/late'.length + 4 + 4);
    expect(withIt[without.length]).toBe(VM_SUBSECTION);
    expect(load(allD, newAll(), withIt).late).toBe(42);
    const fresh = newAll();
    fresh.late = 7; // what the destination had
    expect(load(allD, fresh, without).late).toBe(7);
  });

  it('refuses an unknown or repeated subsection', () => {
    const s = newAll();
    s.late = 1;
    const bytes = save(allD, s);
    const at = bytes.length - (1 + 1 + 8 + 4 + 4);
    const unknown = bytes.slice();
    unknown[at + 2] = 'A'.charCodeAt(0); // "All/late"
    const e = refusal(() => load(allD, newAll(), unknown));
    expect(e.reason).toBe('unknown-subsection');
    expect(e.offset).toBe(at);
    const twice = new Uint8Array(bytes.length + 18);
    twice.set(bytes);
    twice.set(bytes.subarray(at), bytes.length);
    expect(refusal(() => load(allD, newAll(), twice)).reason).toBe('duplicate-subsection');
  });

  it('hands a sibling subsection back from a subsection to its parent, and nests', () => {
    interface P {
      a: number;
      b: number;
      c: number;
    }
    const grand = describe<P>({ name: 'p/a/deep', version: 1, fields: (f) => [f.u8('c')] });
    const subA = describe<P>({ name: 'p/a', version: 1, fields: (f) => [f.u8('a')], subsections: [{ description: grand, needed: (s) => s.c !== 0 }] });
    const subB = describe<P>({ name: 'p/b', version: 1, fields: (f) => [f.u8('b')] });
    const p = describe<P>({
      name: 'p',
      version: 1,
      fields: () => [],
      subsections: [
        { description: subA, needed: () => true },
        { description: subB, needed: () => true },
      ],
    });
    const s = { a: 1, b: 2, c: 3 };
    expect(load(p, { a: 0, b: 0, c: 0 }, save(p, s))).toEqual(s);
  });

  it('loads an older stream through since-versions and refuses versions outside [minimum, current]', () => {
    interface U {
      a: number;
      b: number;
    }
    const v1 = describe<U>({ name: 'u', version: 1, fields: (f) => [f.u8('a')] });
    const v3 = describe<U>({ name: 'u', version: 3, minimumVersion: 1, fields: (f) => [f.u8('a'), f.u16('b', { since: 2 })] });
    const old = save(v1, { a: 9, b: 0 });
    expect(hex(old)).toBe('09');
    expect(load(v3, { a: 0, b: 77 }, old, 1)).toEqual({ a: 9, b: 77 });
    expect(hex(save(v3, { a: 9, b: 0x102 }))).toBe('090102');
    expect(load(v3, { a: 0, b: 0 }, unhex('090102'), 2)).toEqual({ a: 9, b: 0x102 });
    expect(refusal(() => load(v3, { a: 0, b: 0 }, old, 4)).reason).toBe('version-too-new');
    const strict = describe<U>({ name: 'u', version: 3, minimumVersion: 2, fields: (f) => [f.u8('a'), f.u16('b', { since: 2 })] });
    const e = refusal(() => load(strict, { a: 0, b: 0 }, old, 1));
    expect(e.reason).toBe('version-too-old');
    expect(e.device).toBe('u');
  });

  it('skips a field whose exists() test is false, on save and on load', () => {
    interface E {
      kind: number;
      wide: bigint;
    }
    const d = describe<E>({ name: 'e', version: 1, fields: (f) => [f.u8('kind'), f.u64('wide', { exists: (s) => s.kind === 1 })] });
    expect(hex(save(d, { kind: 0, wide: 5n }))).toBe('00');
    expect(hex(save(d, { kind: 1, wide: 5n }))).toBe('010000000000000005');
    expect(load(d, { kind: 9, wide: 0n }, unhex('010000000000000005'))).toEqual({ kind: 1, wide: 5n });
    expect(load(d, { kind: 9, wide: 3n }, unhex('00'))).toEqual({ kind: 0, wide: 3n });
  });

  it('refuses through postLoad, naming the field', () => {
    interface F {
      count: number;
      fifo: Uint8Array;
    }
    const d = describe<F>({
      name: 'fifo',
      version: 1,
      fields: (f) => [f.u8('count'), f.bytes('fifo')],
      postLoad: (s) => (s.count > s.fifo.length ? { field: 'count', message: 'more bytes than the FIFO holds' } : undefined),
    });
    const e = refusal(() => load(d, { count: 0, fifo: new Uint8Array(2) }, unhex('030000')));
    expect(e.reason).toBe('post-load');
    expect(e.field).toBe('count');
    expect(e.device).toBe('fifo');
    expect(e.message).toContain('more bytes than the FIFO holds');
  });

  it('refuses a variable buffer or array over its bound before resizing anything', () => {
    const s = newAll();
    s.vb = Uint8Array.of(1, 2);
    const bytes = save(allD, s);
    const lenAt = hex(bytes).indexOf('00000002' + '0102') / 2;
    const over = bytes.slice();
    over[lenAt + 3] = 7; // max is 6
    const target = newAll();
    const before = target.vb;
    const e = refusal(() => load(allD, target, over));
    expect(e.reason).toBe('over-bound');
    expect(e.field).toBe('vb/len');
    expect(e.offset).toBe(lenAt);
    expect(target.vb).toBe(before);
    const t2 = newAll();
    t2.vary = [newInner(), newInner(), newInner()];
    const bytes2 = save(allD, t2);
    const countAt = bytes2.length - (4 + 3 * 11);
    bytes2[countAt + 3] = 4; // max is 3
    expect(refusal(() => load(allD, newAll(), bytes2)).reason).toBe('over-bound');
  });

  it('copies incoming bytes into storage the owner resized (never aliases the input)', () => {
    const s = newAll();
    s.vb = Uint8Array.of(4, 5, 6);
    const bytes = save(allD, s);
    const got = load(allD, newAll(), bytes);
    bytes.fill(0);
    expect(Array.from(got.vb)).toEqual([4, 5, 6]);
    expect(got.vb.buffer).not.toBe(bytes.buffer);
  });

  it('refuses a resize callback that did not produce the length', () => {
    interface V {
      buf: Uint8Array;
    }
    const d = describe<V>({ name: 'v', version: 1, fields: (f) => [f.varBytes('buf', { max: 4, resize: () => {} })] });
    expect(refusal(() => load(d, { buf: new Uint8Array(1) }, unhex('000000020102'))).reason).toBe('resize-failed');
  });

  it('refuses values no save produces: bool 2, u64n at 2^53, a missing struct end marker', () => {
    const good = save(allD, newAll());
    const badBool = good.slice();
    badBool[0] = 2;
    expect(refusal(() => load(allD, newAll(), badBool))).toMatchObject({ reason: 'bad-value', field: 'flag', offset: 0 });
    const u64nAt = 1 + 1 + 2 + 4 + 4 + 8;
    const badN = good.slice();
    badN[u64nAt + 1] = 0x20; // 2^53
    expect(refusal(() => load(allD, newAll(), badN))).toMatchObject({ reason: 'bad-value', field: 'u64n' });
    const markerAt = hex(good).indexOf('7f') / 2;
    expect(good[markerAt]).toBe(STRUCT_END_MARKER);
    const badMarker = good.slice();
    badMarker[markerAt] = 0;
    expect(refusal(() => load(allD, newAll(), badMarker))).toMatchObject({ reason: 'bad-marker', field: 'inner' });
  });

  it('refuses every truncation with the field being read', () => {
    const s = newAll();
    s.vb = Uint8Array.of(1);
    s.vary = [newInner()];
    s.late = 3;
    s.inner.extra = 1;
    const bytes = save(allD, s);
    // Cut right before the optional trailing subsection, the bytes are a complete state
    // without it: only the enclosing frame (the stream's section footer) can tell.
    const subsectionAt = bytes.length - (1 + 1 + 'all/late'.length + 4 + 4);
    expect(load(allD, newAll(), bytes.subarray(0, subsectionAt)).late).toBe(0);
    for (let n = 0; n < bytes.length; n++) {
      if (n === subsectionAt) continue;
      const e = refusal(() => loadState(allD, newAll(), new ByteReader(bytes.subarray(0, n)), 1));
      expect(e.reason).toBe('truncated');
      expect(e.offset).toBe(n);
    }
    expect(refusal(() => loadState(allD, newAll(), new ByteReader(bytes.subarray(0, 1)), 1)).field).toBe('u8');
  });

  it('throws (a bug, not input) when state breaks its own description on save', () => {
    const s = newAll();
    s.u8 = 300;
    expect(() => save(allD, s)).toThrow(RangeError);
    const t = newAll();
    t.vb = new Uint8Array(7);
    expect(() => save(allD, t)).toThrow(/maximum/);
  });

  it('checks declarations when they are built', () => {
    interface X {
      a: number;
    }
    expect(() => describe<X>({ name: '', version: 1, fields: () => [] })).toThrow(/name/);
    expect(() => describe<X>({ name: 'x', version: 1, minimumVersion: 2, fields: () => [] })).toThrow(/minimumVersion/);
    expect(() => describe<X>({ name: 'x', version: 1, fields: (f) => [f.u8('a', { since: 2 })] })).toThrow(/since/);
    expect(() => describe<X>({ name: 'x', version: 1, fields: (f) => [f.u8('a'), f.u16('a')] })).toThrow(/twice/);
    const sub = describe<X>({ name: 'y/sub', version: 1, fields: () => [] });
    expect(() => describe<X>({ name: 'x', version: 1, fields: () => [], subsections: [{ description: sub, needed: () => true }] })).toThrow(
      /x\//,
    );
  });

  it('makes a key of the wrong type a compile error', () => {
    interface T {
      n: number;
      big: bigint;
      flag: boolean;
      u8s: Uint8Array;
      inner: Inner;
    }
    const ok = describe<T>({
      name: 't',
      version: 1,
      fields: (f) => [f.u32('n'), f.u64('big'), f.bool('flag'), f.bytes('u8s'), f.struct('inner', innerD)],
    });
    expect(ok.fields).toHaveLength(5);
    describe<T>({
      name: 't',
      version: 1,
      fields: (f) => [
        // @ts-expect-error a bigint field is not a u32
        f.u32('big'),
        // @ts-expect-error a number field is not a u64 (use u64n)
        f.u64('n'),
        // @ts-expect-error no such key
        f.u8('missing'),
        // @ts-expect-error a Uint8Array is not a Uint32Array
        f.u32s('u8s'),
        // @ts-expect-error the nested description must describe the field's type
        f.struct('inner', allD),
      ],
    });
  });
});
