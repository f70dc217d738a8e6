/**
 * Field kinds of a state description. A description lists fields by key into the device's
 * plain `State` object; the builder's signatures make a key of the wrong type a compile
 * error (`f.u64('pc')` needs `state.pc: bigint`, `f.u32s('regs')` a `Uint32Array`).
 */
import type { Description } from './description.ts';

/** Keys of `S` whose value type is assignable to `V`. */
export type KeysOfType<S, V> = { [K in keyof S]-?: S[K] extends V ? K : never }[keyof S] & string;

type ElementOf<A> = A extends readonly (infer T)[] ? T : never;

/** When a field is on the wire: from version `since` on, and when `exists` says so. */
export interface FieldCondition<S> {
  /** First description version that carries the field (QEMU's per-field version_id). Default 0: always. */
  readonly since?: number;
  /** Extra test (QEMU's `field_exists`); on load it sees the fields loaded before it. */
  readonly exists?: (state: S, version: number) => boolean;
}

export type ScalarKind = 'bool' | 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'u64n' | 'i64' | 'f64';
/** Fixed typed arrays; `pairs64` is an Int32Array of lo/hi pairs sent as n/2 × u64. */
export type ArrayKind = 'bytes' | 'u16s' | 'u32s' | 'i32s' | 'pairs64';

interface FieldCommon<S> {
  readonly key: string;
  readonly since: number;
  readonly exists: ((state: S, version: number) => boolean) | undefined;
}

export interface ScalarField<S> extends FieldCommon<S> {
  readonly kind: ScalarKind;
}

export interface ArrayField<S> extends FieldCommon<S> {
  readonly kind: ArrayKind;
}

/** A length-prefixed byte buffer of at most `max` bytes, resized on load by its owner. */
export interface VarBytesField<S> extends FieldCommon<S> {
  readonly kind: 'varBytes';
  readonly max: number;
  /** Must leave `state[key]` a Uint8Array of exactly `length` bytes (the owner keeps any capacity bookkeeping). */
  readonly resize: (state: S, length: number) => void;
}

/** A nested struct (`state[key]` is an object described by `description`). */
export interface StructField<S> extends FieldCommon<S> {
  readonly kind: 'struct';
  readonly description: Description<unknown>;
}

/** An array of structs whose length is fixed by the machine configuration (the state's own length). */
export interface StructArrayField<S> extends FieldCommon<S> {
  readonly kind: 'structArray';
  readonly description: Description<unknown>;
}

/** A length-prefixed array of at most `max` structs, resized on load by its owner. */
export interface StructVarArrayField<S> extends FieldCommon<S> {
  readonly kind: 'structVarArray';
  readonly description: Description<unknown>;
  readonly max: number;
  /** Must leave `state[key]` an array of exactly `length` fresh elements. */
  readonly resize: (state: S, length: number) => void;
}

/** `size` zero bytes on save, skipped on load: the place of a removed field (QEMU's VMSTATE_UNUSED). */
export interface UnusedField<S> extends FieldCommon<S> {
  readonly kind: 'unused';
  readonly size: number;
}

export type Field<S> =
  | ScalarField<S>
  | ArrayField<S>
  | VarBytesField<S>
  | StructField<S>
  | StructArrayField<S>
  | StructVarArrayField<S>
  | UnusedField<S>;

export interface BoundOptions<S> extends FieldCondition<S> {
  readonly max: number;
  readonly resize: (state: S, length: number) => void;
}

export interface FieldBuilder<S> {
  bool(key: KeysOfType<S, boolean>, c?: FieldCondition<S>): Field<S>;
  u8(key: KeysOfType<S, number>, c?: FieldCondition<S>): Field<S>;
  u16(key: KeysOfType<S, number>, c?: FieldCondition<S>): Field<S>;
  u32(key: KeysOfType<S, number>, c?: FieldCondition<S>): Field<S>;
  i32(key: KeysOfType<S, number>, c?: FieldCondition<S>): Field<S>;
  /** A `number` holding an integer in [0, 2^53): a physical address, a tick count. */
  u64n(key: KeysOfType<S, number>, c?: FieldCondition<S>): Field<S>;
  u64(key: KeysOfType<S, bigint>, c?: FieldCondition<S>): Field<S>;
  i64(key: KeysOfType<S, bigint>, c?: FieldCondition<S>): Field<S>;
  /** A double, sent as its IEEE-754 bits. */
  f64(key: KeysOfType<S, number>, c?: FieldCondition<S>): Field<S>;
  bytes(key: KeysOfType<S, Uint8Array>, c?: FieldCondition<S>): Field<S>;
  u16s(key: KeysOfType<S, Uint16Array>, c?: FieldCondition<S>): Field<S>;
  u32s(key: KeysOfType<S, Uint32Array>, c?: FieldCondition<S>): Field<S>;
  i32s(key: KeysOfType<S, Int32Array>, c?: FieldCondition<S>): Field<S>;
  /** An Int32Array of 64-bit values kept as x[2i] = lo, x[2i+1] = hi; sent as n/2 × u64. */
  pairs64(key: KeysOfType<S, Int32Array>, c?: FieldCondition<S>): Field<S>;
  varBytes(key: KeysOfType<S, Uint8Array>, o: BoundOptions<S>): Field<S>;
  struct<K extends KeysOfType<S, object>>(key: K, d: Description<S[K]>, c?: FieldCondition<S>): Field<S>;
  structArray<K extends KeysOfType<S, readonly object[]>>(
    key: K,
    d: Description<ElementOf<S[K]>>,
    c?: FieldCondition<S>,
  ): Field<S>;
  structVarArray<K extends KeysOfType<S, readonly object[]>>(
    key: K,
    d: Description<ElementOf<S[K]>>,
    o: BoundOptions<S>,
  ): Field<S>;
  /** `size` bytes that used to hold a removed field; `name` only labels it in the JSON description. */
  unused(size: number, name?: string, c?: FieldCondition<S>): Field<S>;
}

function common<S>(key: string, c: FieldCondition<S> | undefined): FieldCommon<S> {
  return { key, since: c?.since ?? 0, exists: c?.exists };
}

function scalar<S>(kind: ScalarKind) {
  return (key: string, c?: FieldCondition<S>): Field<S> => ({ kind, ...common(key, c) });
}

function array<S>(kind: ArrayKind) {
  return (key: string, c?: FieldCondition<S>): Field<S> => ({ kind, ...common(key, c) });
}

function bound<S>(o: BoundOptions<S>): { max: number; resize: (state: S, length: number) => void } {
  if (!Number.isInteger(o.max) || o.max < 0 || o.max > 0xffffffff) throw new RangeError(`bad maximum ${o.max}`);
  return { max: o.max, resize: o.resize };
}

/** The field builder handed to `describe`'s `fields` callback. */
export function fieldBuilder<S>(): FieldBuilder<S> {
  return {
    bool: scalar('bool'),
    u8: scalar('u8'),
    u16: scalar('u16'),
    u32: scalar('u32'),
    i32: scalar('i32'),
    u64n: scalar('u64n'),
    u64: scalar('u64'),
    i64: scalar('i64'),
    f64: scalar('f64'),
    bytes: array('bytes'),
    u16s: array('u16s'),
    u32s: array('u32s'),
    i32s: array('i32s'),
    pairs64: array('pairs64'),
    varBytes: (key, o) => ({ kind: 'varBytes', ...common(key, o), ...bound(o) }),
    struct: (key, d, c) => ({ kind: 'struct', ...common(key, c), description: d as Description<unknown> }),
    structArray: (key, d, c) => ({ kind: 'structArray', ...common(key, c), description: d as Description<unknown> }),
    structVarArray: (key, d, o) => ({
      kind: 'structVarArray',
      ...common(key, o),
      description: d as Description<unknown>,
      ...bound(o),
    }),
    unused: (size, name = 'unused', c) => {
      if (!Number.isInteger(size) || size <= 0) throw new RangeError(`bad unused size ${size}`);
      return { kind: 'unused', ...common(name, c), size };
    },
  };
}
