/**
 * The load half of the interpreter (migration/vmstate.c `vmstate_load_state`): reads fields
 * into an existing state object. The input is untrusted: every refusal is a `VmStateError`
 * with the field path and byte offset; nothing is allocated from a length in the input before
 * that length was checked against the description's bound, and variable-length storage is
 * resized only through the owner's `resize` callback (incoming bytes are copied, never aliased).
 */
import { asciiString } from './ascii.ts';
import type { ByteReader } from './bytes.ts';
import { fieldPresent, type Description } from './description.ts';
import { EndOfInput, VmStateError, type VmStateErrorReason } from './errors.ts';
import type { Field } from './fields.ts';
import { LENGTH_SUFFIX, STRUCT_END_MARKER, VM_SUBSECTION } from './wire.ts';

type Bag = Record<string, unknown>;

const TWO_32 = 2 ** 32;
/** u64n values must stay below 2^53, so the high word below 2^21. */
const U64N_HI_LIMIT = 2 ** 21;

/** Where a description sits: a top-level section or nested struct refuses unknown subsections; a subsection hands them back to its parent. */
type Context = 'section' | 'struct' | 'subsection';

class Loader {
  /** The field being loaded, for error messages. */
  path = '';

  constructor(
    readonly device: string,
    readonly r: ByteReader,
  ) {}

  fail(reason: VmStateErrorReason, detail: string, offset = this.r.offset): never {
    throw new VmStateError(reason, this.device, this.path, offset, detail);
  }

  checkVersion(d: Description<unknown>, version: number, at: number): void {
    if (version > d.version) this.fail('version-too-new', `${d.name} version ${version} > supported ${d.version}`, at);
    if (version < d.minimumVersion)
      this.fail('version-too-old', `${d.name} version ${version} < minimum ${d.minimumVersion}`, at);
  }

  body(d: Description<unknown>, s: unknown, version: number, prefix: string, ctx: Context): void {
    for (const f of d.fields) {
      if (fieldPresent(f, s, version)) {
        this.path = prefix + f.key;
        this.field(f, s as Bag, prefix + f.key);
      }
    }
    const seen = new Set<string>();
    while (this.r.peekU8() === VM_SUBSECTION) {
      const at = this.r.offset;
      const start = this.r.pos;
      this.path = prefix;
      this.r.u8();
      const name = asciiString(this.r.str8()) ?? '';
      const sub = d.subsections.find((x) => x.description.name === name);
      if (sub === undefined) {
        if (ctx === 'subsection') {
          this.r.pos = start; // one of the parent's subsections
          break;
        }
        this.fail('unknown-subsection', `unknown subsection "${name}" in ${d.name}`, at);
      }
      if (seen.has(name)) this.fail('duplicate-subsection', `subsection ${name} twice`, at);
      seen.add(name);
      const v = this.r.u32();
      this.checkVersion(sub.description, v, at);
      this.body(sub.description, s, v, prefix + name.slice(d.name.length + 1) + '/', 'subsection');
    }
    if (d.postLoad !== undefined) {
      const err = d.postLoad(s, version);
      if (err !== undefined) {
        this.path = prefix + err.field;
        this.fail('post-load', err.message);
      }
    }
  }

  struct(d: Description<unknown>, el: unknown, path: string): void {
    this.body(d, el, d.version, path + '.', 'struct');
    this.path = path;
    const at = this.r.offset;
    if (this.r.u8() !== STRUCT_END_MARKER) this.fail('bad-marker', `no end marker after struct ${d.name}`, at);
  }

  length(max: number, path: string): number {
    this.path = path + LENGTH_SUFFIX;
    const at = this.r.offset;
    const n = this.r.u32();
    if (n > max) this.fail('over-bound', `length ${n} exceeds the maximum ${max}`, at);
    this.path = path;
    return n;
  }

  field(f: Field<unknown>, s: Bag, path: string): void {
    const r = this.r;
    switch (f.kind) {
      case 'bool': {
        const at = r.offset;
        const b = r.u8();
        if (b > 1) this.fail('bad-value', `bool byte ${b}`, at);
        s[f.key] = b === 1;
        return;
      }
      case 'u8':
      case 'u16':
      case 'u32':
      case 'i32':
      case 'u64':
      case 'i64':
      case 'f64':
        s[f.key] = r[f.kind]();
        return;
      case 'u64n': {
        const at = r.offset;
        const [hi, lo] = r.u64Halves();
        if (hi >= U64N_HI_LIMIT) this.fail('bad-value', `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')} is not below 2^53`, at);
        s[f.key] = hi * TWO_32 + lo;
        return;
      }
      case 'bytes':
        (s[f.key] as Uint8Array).set(r.bytesView((s[f.key] as Uint8Array).length));
        return;
      case 'u16s': {
        const a = s[f.key] as Uint16Array;
        for (let i = 0; i < a.length; i++) a[i] = r.u16();
        return;
      }
      case 'u32s': {
        const a = s[f.key] as Uint32Array;
        for (let i = 0; i < a.length; i++) a[i] = r.u32();
        return;
      }
      case 'i32s': {
        const a = s[f.key] as Int32Array;
        for (let i = 0; i < a.length; i++) a[i] = r.i32();
        return;
      }
      case 'pairs64': {
        const a = s[f.key] as Int32Array;
        for (let i = 0; i + 1 < a.length; i += 2) {
          const [hi, lo] = r.u64Halves();
          a[i] = lo;
          a[i + 1] = hi;
        }
        return;
      }
      case 'varBytes': {
        const n = this.length(f.max, path);
        const src = r.bytesView(n); // fully present before the owner resizes anything
        f.resize(s, n);
        const dst = s[f.key];
        if (!(dst instanceof Uint8Array) || dst.length !== n)
          this.fail('resize-failed', `resize left ${describeLength(dst)} instead of ${n} bytes`);
        dst.set(src);
        return;
      }
      case 'struct':
        this.struct(f.description, s[f.key], path);
        return;
      case 'structArray': {
        const a = s[f.key] as unknown[];
        for (let i = 0; i < a.length; i++) this.struct(f.description, a[i], `${path}[${i}]`);
        return;
      }
      case 'structVarArray': {
        const n = this.length(f.max, path);
        f.resize(s, n);
        const a = s[f.key];
        if (!Array.isArray(a) || a.length !== n)
          this.fail('resize-failed', `resize left ${describeLength(a)} instead of ${n} elements`);
        for (let i = 0; i < n; i++) this.struct(f.description, a[i], `${path}[${i}]`);
        return;
      }
      case 'unused':
        r.skip(f.size);
        return;
    }
  }
}

function describeLength(v: unknown): string {
  return v instanceof Uint8Array || Array.isArray(v) ? `length ${v.length}` : typeof v;
}

/**
 * Loads `state` as written by `saveState(d, ...)` at stream version `version`. Throws
 * `VmStateError` (never anything else for bad input); `state` is then partly loaded and must
 * be discarded. `device` names the section in errors.
 */
export function loadState<S>(d: Description<S>, state: S, r: ByteReader, version: number, device = d.name): void {
  const l = new Loader(device, r);
  const at = r.offset;
  try {
    l.checkVersion(d as Description<unknown>, version, at);
    l.body(d as Description<unknown>, state, version, '', 'section');
  } catch (e) {
    if (e instanceof EndOfInput) throw new VmStateError('truncated', device, l.path, e.offset, e.message);
    throw e;
  }
}
