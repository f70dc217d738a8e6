/**
 * The save half of the interpreter: writes `state` as `description` says, in QEMU's encoding
 * (migration/vmstate.c `vmstate_save_state`), and returns the JSON description of exactly
 * what it wrote. State that breaks its own description (a u8 field holding 300, a buffer
 * longer than its maximum) is an emulator bug and throws.
 */
import { asciiBytes } from './ascii.ts';
import type { ByteWriter } from './bytes.ts';
import { fieldPresent, type Description } from './description.ts';
import type { Field } from './fields.ts';
import type { VmDescField, VmDescStruct, VmDescType } from './vmdesc.ts';
import { LENGTH_SUFFIX, STRUCT_END_MARKER, STRUCT_END_SUFFIX, VM_SUBSECTION } from './wire.ts';

type Bag = Record<string, unknown>;

const SCALAR: Record<string, { type: VmDescType; size: number }> = {
  bool: { type: 'bool', size: 1 },
  u8: { type: 'uint8', size: 1 },
  u16: { type: 'uint16', size: 2 },
  u32: { type: 'uint32', size: 4 },
  i32: { type: 'int32', size: 4 },
  u64: { type: 'uint64', size: 8 },
  u64n: { type: 'uint64', size: 8 },
  i64: { type: 'int64', size: 8 },
  f64: { type: 'float64', size: 8 },
};

/** Writes `state` (fields, then needed subsections) and returns its JSON description. */
export function saveState<S>(d: Description<S>, state: S, w: ByteWriter): VmDescStruct {
  d.preSave?.(state);
  const fields: VmDescField[] = [];
  for (const f of d.fields) {
    if (fieldPresent(f, state, d.version)) saveField(f, state as Bag, w, fields, d.name);
  }
  const subsections: VmDescStruct[] = [];
  for (const s of d.subsections) {
    if (!s.needed(state)) continue;
    w.u8(VM_SUBSECTION);
    w.str8(asciiBytes(s.description.name));
    w.u32(s.description.version);
    subsections.push(saveState(s.description, state, w));
  }
  const out: VmDescStruct = { vmsd_name: d.name, version: d.version, fields };
  if (subsections.length > 0) out.subsections = subsections;
  return out;
}

function saveField<S>(f: Field<S>, s: Bag, w: ByteWriter, out: VmDescField[], owner: string): void {
  const v = s[f.key];
  const wrong = (what: string): never => {
    throw new TypeError(`${owner}.${f.key}: expected ${what} for a ${f.kind} field`);
  };
  switch (f.kind) {
    case 'bool':
      if (typeof v !== 'boolean') wrong('boolean');
      w.u8(v ? 1 : 0);
      break;
    case 'u8':
    case 'u16':
    case 'u32':
    case 'i32':
    case 'u64n':
    case 'f64':
      if (typeof v !== 'number') wrong('number');
      w[f.kind](v as number);
      break;
    case 'u64':
    case 'i64':
      if (typeof v !== 'bigint') wrong('bigint');
      w[f.kind](v as bigint);
      break;
    case 'bytes': {
      if (!(v instanceof Uint8Array)) return wrong('Uint8Array');
      w.bytes(v);
      if (v.length > 0) out.push({ name: f.key, type: 'buffer', size: v.length });
      return;
    }
    case 'u16s':
    case 'u32s':
    case 'i32s':
    case 'pairs64':
      saveTypedArray(f.kind, f.key, v, w, out, wrong);
      return;
    case 'varBytes': {
      if (!(v instanceof Uint8Array)) return wrong('Uint8Array');
      if (v.length > f.max) throw new RangeError(`${owner}.${f.key}: ${v.length} bytes exceed the maximum ${f.max}`);
      w.u32(v.length);
      w.bytes(v);
      out.push({ name: f.key + LENGTH_SUFFIX, type: 'uint32', size: 4 });
      if (v.length > 0) out.push({ name: f.key, type: 'buffer', size: v.length });
      return;
    }
    case 'struct':
      if (typeof v !== 'object' || v === null) return wrong('object');
      saveStruct(f.key, undefined, f.description, v, w, out);
      return;
    case 'structArray':
    case 'structVarArray': {
      if (!Array.isArray(v)) return wrong('array');
      if (f.kind === 'structVarArray') {
        if (v.length > f.max) throw new RangeError(`${owner}.${f.key}: ${v.length} elements exceed the maximum ${f.max}`);
        w.u32(v.length);
        out.push({ name: f.key + LENGTH_SUFFIX, type: 'uint32', size: 4 });
      }
      v.forEach((el: unknown, i) => saveStruct(f.key, i, f.description, el, w, out));
      return;
    }
    case 'unused':
      w.zeros(f.size);
      out.push({ name: f.key, type: 'unused_buffer', size: f.size });
      return;
  }
  out.push({ name: f.key, ...SCALAR[f.kind]! });
}

function saveStruct(
  key: string,
  index: number | undefined,
  d: Description<unknown>,
  el: unknown,
  w: ByteWriter,
  out: VmDescField[],
): void {
  if (typeof el !== 'object' || el === null) throw new TypeError(`${key}: expected an object for a struct`);
  const start = w.length;
  const struct = saveState(d, el, w);
  const size = w.length - start;
  w.u8(STRUCT_END_MARKER);
  const at = index === undefined ? {} : { index };
  out.push({ name: key, ...at, type: 'struct', struct, size });
  out.push({ name: key + STRUCT_END_SUFFIX, ...at, type: 'uint8', size: 1 });
}

function saveTypedArray(
  kind: 'u16s' | 'u32s' | 'i32s' | 'pairs64',
  key: string,
  v: unknown,
  w: ByteWriter,
  out: VmDescField[],
  wrong: (what: string) => never,
): void {
  let n: number;
  let type: VmDescType;
  let size: number;
  if (kind === 'u16s') {
    if (!(v instanceof Uint16Array)) return wrong('Uint16Array');
    for (const x of v) w.u16(x);
    [n, type, size] = [v.length, 'uint16', 2];
  } else if (kind === 'u32s') {
    if (!(v instanceof Uint32Array)) return wrong('Uint32Array');
    for (const x of v) w.u32(x);
    [n, type, size] = [v.length, 'uint32', 4];
  } else {
    if (!(v instanceof Int32Array)) return wrong('Int32Array');
    if (kind === 'i32s') {
      for (const x of v) w.i32(x);
      [n, type, size] = [v.length, 'int32', 4];
    } else {
      if (v.length % 2 !== 0) throw new RangeError(`${key}: lo/hi pair array has odd length ${v.length}`);
      for (let i = 0; i < v.length; i += 2) w.u64Halves(v[i + 1]!, v[i]!);
      [n, type, size] = [v.length / 2, 'uint64', 8];
    }
  }
  if (n > 0) out.push({ name: key, array_len: n, type, size });
}
