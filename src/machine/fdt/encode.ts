/**
 * Encodes an FdtNode tree as a DTB (version 17): header, memory reservation block, structure
 * block, strings block (Devicetree Specification v0.4, ch. 5). Labels become `phandle`
 * properties numbered from 1 in depth-first order; `ref(label)` cells resolve to them.
 * Bad input (unknown label, duplicate label, malformed name) is a host bug: it throws.
 */
import {
  align,
  FDT_HEADER_SIZE,
  FDT_LAST_COMP_VERSION,
  FDT_MAGIC,
  FDT_RSVMAP_ALIGN,
  FDT_TAG_ALIGN,
  FDT_VERSION,
  FdtHeader,
  FdtToken,
} from './format.ts';
import { u64Cells, type FdtNode, type PropValue } from './node.ts';
import { utf8Encode } from './text.ts';

export interface MemoryReservation {
  readonly address: number | bigint;
  readonly size: number | bigint;
}

export interface FdtEncodeOptions {
  /** Regions the OS must not use (the memory reservation block). */
  readonly reservations?: readonly MemoryReservation[];
  /** `boot_cpuid_phys`: the physical id of the boot CPU. */
  readonly bootCpuid?: number;
  /** Zero bytes left free after the strings block and counted in totalsize, for in-place edits (libfdt). */
  readonly freeSpace?: number;
}

/** A growable big-endian byte buffer. */
class Writer {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  padTo(alignment: number): void {
    const target = align(this.length, alignment);
    this.reserve(target - this.length);
    this.buf.fill(0, this.length, target);
    this.length = target;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function assignPhandles(root: FdtNode): Map<string, number> {
  const phandles = new Map<string, number>();
  const walk = (n: FdtNode) => {
    if (n.label !== undefined) {
      if (phandles.has(n.label)) throw new Error(`duplicate device tree label ${n.label}`);
      if (n.props.some(([k]) => k === 'phandle')) throw new Error(`node ${n.name} has both a label and a phandle property`);
      phandles.set(n.label, phandles.size + 1);
    }
    n.children.forEach(walk);
  };
  walk(root);
  return phandles;
}

function valueBytes(v: PropValue, phandles: Map<string, number>): Uint8Array {
  switch (v.kind) {
    case 'bytes':
      return v.bytes;
    case 'strings':
      return utf8Encode(v.strings.map((s) => s + '\0').join(''));
    case 'cells': {
      const out = new Uint8Array(v.cells.length * 4);
      const view = new DataView(out.buffer);
      v.cells.forEach((c, i) => {
        let n: number;
        if (typeof c === 'number') n = c;
        else {
          const p = phandles.get(c.ref);
          if (p === undefined) throw new Error(`device tree reference to unknown label ${c.ref}`);
          n = p;
        }
        view.setUint32(i * 4, n);
      });
      return out;
    }
  }
}

export function encodeFdt(root: FdtNode, opts: FdtEncodeOptions = {}): Uint8Array {
  if (root.name !== '') throw new Error('the root node must have an empty name');
  const phandles = assignPhandles(root);

  const strings = new Writer();
  const stringOffsets = new Map<string, number>();
  const nameOffset = (name: string) => {
    let off = stringOffsets.get(name);
    if (off === undefined) {
      off = strings.length;
      stringOffsets.set(name, off);
      strings.bytes(utf8Encode(name + '\0'));
    }
    return off;
  };

  const struct = new Writer();
  const prop = (name: string, value: Uint8Array) => {
    struct.u32(FdtToken.PROP);
    struct.u32(value.length);
    struct.u32(nameOffset(name));
    struct.bytes(value);
    struct.padTo(FDT_TAG_ALIGN);
  };
  const emit = (n: FdtNode, isRoot: boolean) => {
    if (!isRoot && (n.name === '' || n.name.includes('/'))) throw new Error(`bad device tree node name ${JSON.stringify(n.name)}`);
    struct.u32(FdtToken.BEGIN_NODE);
    struct.bytes(utf8Encode(n.name + '\0'));
    struct.padTo(FDT_TAG_ALIGN);
    for (const [name, value] of n.props) prop(name, valueBytes(value, phandles));
    if (n.label !== undefined) prop('phandle', valueBytes({ kind: 'cells', cells: [phandles.get(n.label)!] }, phandles));
    for (const c of n.children) emit(c, false);
    struct.u32(FdtToken.END_NODE);
  };
  emit(root, true);
  struct.u32(FdtToken.END);

  const rsv = new Writer();
  for (const r of [...(opts.reservations ?? []), { address: 0, size: 0 }]) {
    for (const c of [...u64Cells(r.address), ...u64Cells(r.size)]) rsv.u32(c);
  }

  const offRsvmap = align(FDT_HEADER_SIZE, FDT_RSVMAP_ALIGN);
  const offStruct = offRsvmap + rsv.length;
  const offStrings = offStruct + struct.length;
  const free = opts.freeSpace ?? 0;
  if (!Number.isInteger(free) || free < 0) throw new RangeError(`bad freeSpace ${free}`);
  const total = offStrings + strings.length + free;

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(FdtHeader.MAGIC, FDT_MAGIC);
  view.setUint32(FdtHeader.TOTALSIZE, total);
  view.setUint32(FdtHeader.OFF_DT_STRUCT, offStruct);
  view.setUint32(FdtHeader.OFF_DT_STRINGS, offStrings);
  view.setUint32(FdtHeader.OFF_MEM_RSVMAP, offRsvmap);
  view.setUint32(FdtHeader.VERSION, FDT_VERSION);
  view.setUint32(FdtHeader.LAST_COMP_VERSION, FDT_LAST_COMP_VERSION);
  view.setUint32(FdtHeader.BOOT_CPUID_PHYS, opts.bootCpuid ?? 0);
  view.setUint32(FdtHeader.SIZE_DT_STRINGS, strings.length);
  view.setUint32(FdtHeader.SIZE_DT_STRUCT, struct.length);
  out.set(rsv.result(), offRsvmap);
  out.set(struct.result(), offStruct);
  out.set(strings.result(), offStrings);
  return out;
}
