/**
 * Decodes a DTB into a plain tree (for tests, and for inspecting a tree a host supplied).
 * Malformed input throws: the decoder only reads blobs the host produced or was given.
 */
import { FDT_HEADER_SIZE, FDT_MAGIC, FDT_RSV_ENTRY_SIZE, FDT_TAG_ALIGN, FdtHeader, FdtToken, align } from './format.ts';
import { utf8Decode } from './text.ts';

export interface DecodedNode {
  readonly name: string;
  readonly props: Map<string, Uint8Array>;
  readonly children: DecodedNode[];
}

export interface DecodedFdt {
  readonly version: number;
  readonly lastCompVersion: number;
  readonly bootCpuid: number;
  readonly reservations: { address: bigint; size: bigint }[];
  readonly root: DecodedNode;
}

function cString(blob: Uint8Array, at: number, limit: number): string {
  const end = blob.indexOf(0, at);
  if (end < 0 || end >= limit) throw new Error(`unterminated string at ${at}`);
  return utf8Decode(blob.subarray(at, end));
}

export function decodeFdt(blob: Uint8Array): DecodedFdt {
  if (blob.length < FDT_HEADER_SIZE) throw new Error('blob shorter than an FDT header');
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const h = (field: number) => view.getUint32(field);
  if (h(FdtHeader.MAGIC) !== FDT_MAGIC) throw new Error('bad FDT magic');
  if (h(FdtHeader.TOTALSIZE) > blob.length) throw new Error('FDT totalsize exceeds the blob');
  const offStruct = h(FdtHeader.OFF_DT_STRUCT);
  const structEnd = offStruct + h(FdtHeader.SIZE_DT_STRUCT);
  const offStrings = h(FdtHeader.OFF_DT_STRINGS);
  const stringsEnd = offStrings + h(FdtHeader.SIZE_DT_STRINGS);
  if (structEnd > blob.length || stringsEnd > blob.length) throw new Error('FDT block outside the blob');

  const reservations: { address: bigint; size: bigint }[] = [];
  for (let at = h(FdtHeader.OFF_MEM_RSVMAP); ; at += FDT_RSV_ENTRY_SIZE) {
    if (at + FDT_RSV_ENTRY_SIZE > blob.length) throw new Error('unterminated memory reservation block');
    const address = view.getBigUint64(at);
    const size = view.getBigUint64(at + 8);
    if (address === 0n && size === 0n) break;
    reservations.push({ address, size });
  }

  let at = offStruct;
  const word = () => {
    if (at + 4 > structEnd) throw new Error('structure block ends early');
    const v = view.getUint32(at);
    at += 4;
    return v;
  };
  const stack: DecodedNode[] = [];
  let root: DecodedNode | undefined;
  for (;;) {
    const token = word();
    if (token === FdtToken.BEGIN_NODE) {
      const name = cString(blob, at, structEnd);
      at = align(at + name.length + 1, FDT_TAG_ALIGN);
      const n: DecodedNode = { name, props: new Map(), children: [] };
      if (stack.length > 0) stack[stack.length - 1]!.children.push(n);
      else if (root) throw new Error('second root node');
      else root = n;
      stack.push(n);
    } else if (token === FdtToken.END_NODE) {
      if (!stack.pop()) throw new Error('END_NODE without a node');
    } else if (token === FdtToken.PROP) {
      const len = word();
      const nameoff = word();
      const top = stack[stack.length - 1];
      if (!top) throw new Error('property outside a node');
      if (at + len > structEnd) throw new Error('property value outside the structure block');
      const name = cString(blob, offStrings + nameoff, stringsEnd);
      top.props.set(name, blob.slice(at, at + len));
      at = align(at + len, FDT_TAG_ALIGN);
    } else if (token === FdtToken.NOP) {
      continue;
    } else if (token === FdtToken.END) {
      break;
    } else {
      throw new Error(`bad FDT token ${token} at ${at - 4}`);
    }
  }
  if (!root || stack.length !== 0) throw new Error('unbalanced FDT structure');
  return {
    version: h(FdtHeader.VERSION),
    lastCompVersion: h(FdtHeader.LAST_COMP_VERSION),
    bootCpuid: h(FdtHeader.BOOT_CPUID_PHYS),
    reservations,
    root,
  };
}

/** The node at `path` (`/`, `/cpus/cpu@0`), or undefined. */
export function findNode(root: DecodedNode, path: string): DecodedNode | undefined {
  let n: DecodedNode | undefined = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    n = n.children.find((c) => c.name === part);
    if (!n) return undefined;
  }
  return n;
}

function prop(n: DecodedNode, name: string): Uint8Array {
  const v = n.props.get(name);
  if (!v) throw new Error(`node ${n.name || '/'} has no property ${name}`);
  return v;
}

/** A property as big-endian 32-bit cells. */
export function propCells(n: DecodedNode, name: string): number[] {
  const v = prop(n, name);
  if (v.length % 4 !== 0) throw new Error(`property ${name} is not a cell list`);
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return Array.from({ length: v.length / 4 }, (_, i) => view.getUint32(i * 4));
}

export function propU32(n: DecodedNode, name: string): number {
  const c = propCells(n, name);
  if (c.length !== 1) throw new Error(`property ${name} is not one cell`);
  return c[0]!;
}

export function propU64(n: DecodedNode, name: string): bigint {
  const c = propCells(n, name);
  if (c.length !== 2) throw new Error(`property ${name} is not two cells`);
  return (BigInt(c[0]!) << 32n) | BigInt(c[1]!);
}

export function propStrings(n: DecodedNode, name: string): string[] {
  const v = prop(n, name);
  if (v.length === 0 || v[v.length - 1] !== 0) throw new Error(`property ${name} is not a string list`);
  return utf8Decode(v.subarray(0, v.length - 1)).split('\0');
}

export function propString(n: DecodedNode, name: string): string {
  const s = propStrings(n, name);
  if (s.length !== 1) throw new Error(`property ${name} is not one string`);
  return s[0]!;
}
