/**
 * Building a device tree in memory: nodes with ordered properties and children, and helpers
 * that produce property values. A node can carry a label; `ref(label)` in a cell list becomes
 * that node's phandle when the tree is encoded (the encoder adds the `phandle` property).
 */

/** A reference to a labelled node's phandle, resolved by the encoder. */
export interface PhandleRef {
  readonly ref: string;
}
export type Cell = number | PhandleRef;

export type PropValue =
  | { readonly kind: 'cells'; readonly cells: readonly Cell[] }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'strings'; readonly strings: readonly string[] };

export interface FdtNode {
  /** Node name with unit address, e.g. `serial@10000000`; the root is ``. */
  readonly name: string;
  readonly label?: string;
  readonly props: readonly (readonly [string, PropValue])[];
  readonly children: readonly FdtNode[];
}

/** Properties in insertion order; `undefined` values are left out (optional properties). */
export type PropMap = Readonly<Record<string, PropValue | undefined>>;

export function node(name: string, props: PropMap = {}, children: readonly FdtNode[] = [], opts: { label?: string } = {}): FdtNode {
  const list: [string, PropValue][] = [];
  for (const [k, v] of Object.entries(props)) if (v !== undefined) list.push([k, v]);
  return opts.label === undefined ? { name, props: list, children } : { name, label: opts.label, props: list, children };
}

function checkU32(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new RangeError(`${n} is not a 32-bit cell value`);
  return n;
}

/** One 32-bit cell. */
export function u32(n: number): PropValue {
  return { kind: 'cells', cells: [checkU32(n)] };
}

/** Splits a 64-bit value into its two cells, high first. Numbers must be exact (< 2^53). */
export function u64Cells(n: number | bigint): [number, number] {
  const v = BigInt(n);
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`${n} is not an exact integer`);
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new RangeError(`${n} is not a 64-bit value`);
  return [Number(v >> 32n), Number(v & 0xffff_ffffn)];
}

/** A 64-bit value as two cells (high first). */
export function u64(n: number | bigint): PropValue {
  return { kind: 'cells', cells: u64Cells(n) };
}

/** A list of cells; phandle references are allowed. */
export function cells(...values: Cell[]): PropValue {
  for (const c of values) if (typeof c === 'number') checkU32(c);
  return { kind: 'cells', cells: values };
}

export function ref(label: string): PhandleRef {
  return { ref: label };
}

export function str(s: string): PropValue {
  return strs(s);
}

/** A string list (each NUL-terminated), e.g. `compatible`. */
export function strs(...list: string[]): PropValue {
  for (const s of list) if (s.includes('\0')) throw new RangeError(`string ${JSON.stringify(s)} contains NUL`);
  return { kind: 'strings', strings: list };
}

export function bytes(b: Uint8Array): PropValue {
  return { kind: 'bytes', bytes: b.slice() };
}

/** A property with no value (a boolean such as `interrupt-controller`). */
export function empty(): PropValue {
  return { kind: 'bytes', bytes: new Uint8Array(0) };
}
