/**
 * The strict, bounded, incremental stream loader. Feed chunks with `push` as they arrive
 * (live migration) or the whole stream at once (`loadStream`); `finish` says the stream
 * ended. The header, configuration and RAM are parsed as bytes arrive, a unit (one section
 * header, one RAM record) at a time; device sections come after RAM's END section and are
 * buffered (bounded) and loaded at `finish`, followed by the integrity check, EOF, the JSON
 * description and the target's `afterLoad`.
 *
 * Untrusted input never makes it throw: every refusal is a `StreamError` value, and once a
 * target was obtained from the host the result says it is discarded (partly loaded). Memory:
 * nothing is allocated from a length in the stream beyond the configured RAM's page bitmap
 * and the bounded device-state tail.
 */
import { concatBytes } from '../../lib/concat-bytes.ts';
import { asciiString, ByteReader, EndOfInput, loadState, VmStateError } from '../../vmstate/index.ts';
import { parseConfiguration, type StreamConfiguration } from './config.ts';
import { StreamError, type StreamErrorReason } from './errors.ts';
import {
  INTEGRITY_SECTION_NAME,
  MAX_CONFIGURATION_BYTES,
  MAX_DEVICE_STATE_BYTES,
  MAX_VMDESC_BYTES,
  QEMU_VM_FILE_MAGIC,
  QEMU_VM_FILE_VERSION,
  RAM_BLOCK_NAME,
  RAM_FLAGS_MASK,
  RAM_SECTION_NAME,
  RAM_SECTION_VERSION,
  RamFlag,
  Section,
  TARGET_PAGE_SIZE,
} from './format.ts';
import {
  checksumField,
  checksumOf,
  INTEGRITY_CRC32,
  integrityDescription,
  integrityState,
  newChecksum,
  vmdescHash,
  type IntegrityVersion,
  type StreamChecksum,
} from './integrity.ts';
import { deviceSection, sectionKey, type DeviceSection } from './section.ts';

/** Where the loaded machine goes: built by the host from the stream's configuration. */
export interface LoadTarget {
  /** Guest RAM of exactly the configured size; the stream must send every page at least once. */
  readonly ramBytes: Uint8Array;
  /** Every device section the machine expects, each exactly once in the stream. */
  readonly sections: Iterable<DeviceSection>;
  /** The machine-wide step after everything loaded: recompute IRQ levels, flush TLBs, re-arm timers. */
  afterLoad(): void;
  /**
   * `ramBytes` is all zero before the load (freshly allocated): a zero page that arrives for the
   * first time needs no writing. Skipping those writes keeps untouched RAM unmapped in the host.
   */
  readonly ramZeroed?: boolean;
  /**
   * One byte per page (like Ram.dirty): the loader sets it for every page it writes non-zero
   * bytes to, so the host knows which pages may be non-zero without reading them.
   */
  readonly ramDirty?: Uint8Array;
}

export interface Refusal {
  readonly refuse: string;
}

export interface LoadHost {
  /** Gets the parsed configuration; returns the target to load into, or why this host cannot. */
  configure(config: StreamConfiguration): LoadTarget | Refusal;
}

export interface LoadStats {
  readonly bytes: number;
  readonly normalPages: number;
  readonly zeroPages: number;
  readonly devices: number;
}

export type LoadResult =
  | { readonly ok: true; readonly config: StreamConfiguration; readonly stats: LoadStats }
  | { readonly ok: false; readonly error: StreamError; readonly targetDiscarded: boolean };

type Phase = 'header' | 'config' | 'ram-start' | 'ram-section' | 'ram-records' | 'devices' | 'done';

const TWO_32 = 2 ** 32;
/**
 * Local copies of the imported constants the per-page path reads: under tsx (Node benchmarks,
 * CLI) an imported binding is a getter call, which cost ~10% of parsing an idle VM's RAM.
 */
const PAGE_SIZE = TARGET_PAGE_SIZE;
const FLAGS_MASK = RAM_FLAGS_MASK;
const FLAG_EOS = RamFlag.EOS;
const FLAG_CONTINUE = RamFlag.CONTINUE;
const FLAG_ZERO = RamFlag.ZERO;
const FLAG_PAGE = RamFlag.PAGE;
const PAGE_CONTINUED = RamFlag.PAGE | RamFlag.CONTINUE;
const ZERO_CONTINUED = RamFlag.ZERO | RamFlag.CONTINUE;
/** The u64 of offset and flags that starts every RAM record. */
const RECORD_HEADER_BYTES = 8;

const NO_BYTES = new Uint8Array(0);

/** Thrown inside the loader only; turned into the result. */
class Refused {
  constructor(readonly error: StreamError) {}
}

export class StreamLoader {
  private phase: Phase = 'header';
  private error: StreamError | undefined;
  /** Unconsumed bytes (before the device phase) and the absolute offset of their first byte. */
  private buf: Uint8Array = new Uint8Array(0);
  /** Chunks not parsed yet (`buf` first), their total, and how many the current unit needs at least. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private need = 0;
  private base = 0;
  /** Device-phase chunks, kept until `finish`. */
  private tail: Uint8Array[] = [];
  private tailBytes = 0;
  /** The checksum the configuration announced; bytes consumed before it was known wait in `unhashed`. */
  private checksum: StreamChecksum | undefined;
  private integrity: IntegrityVersion = INTEGRITY_CRC32;
  private unhashed: Uint8Array[] = [];
  private expectedVmdescHash = 0;
  private config: StreamConfiguration | undefined;
  private target: LoadTarget | undefined;
  private ramSize = 0;
  private ramSectionId = -1;
  private ramEnding = false;
  private blockNamed = false;
  private received = new Uint8Array(0);
  /** The target's RAM, page map and zeroed flag, read once at the configuration (the record paths use these). */
  private ram: Uint8Array = new Uint8Array(0);
  private ramDirty: Uint8Array | undefined;
  private ramZeroed = false;
  private normalPages = 0;
  private zeroPages = 0;
  private devices = 0;
  private section = 'header';

  constructor(private readonly host: LoadHost) {}

  private fail(reason: StreamErrorReason, detail: string, offset: number, field = '', cause?: VmStateError): never {
    throw new Refused(new StreamError(reason, this.section, field, offset, detail, cause));
  }

  /** Feeds the next bytes. The chunk must not change afterwards. Returns the error once the stream is refused. */
  push(chunk: Uint8Array): StreamError | undefined {
    if (this.error !== undefined) return this.error;
    if (this.phase === 'done') return this.refuseNow('trailing-bytes', 'bytes after the stream was finished');
    try {
      if (this.phase === 'devices') return this.pushTail(chunk);
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      // Parse again only once the bytes the last unit was missing have arrived (no quadratic retries).
      if (this.pendingBytes < this.need) return undefined;
      this.buf = concatBytes(this.pending);
      this.pending = [this.buf];
      while (!this.inDevicePhase() && this.step());
      if (this.buf.length === 0) this.buf = NO_BYTES; // no view of the chunk stays behind
      this.pending = this.buf.length > 0 ? [this.buf] : [];
      this.pendingBytes = this.buf.length;
      if (this.inDevicePhase() && this.buf.length > 0) {
        const rest = this.buf;
        this.buf = new Uint8Array(0);
        this.pending = [];
        this.pendingBytes = 0;
        this.pushTail(rest);
      }
    } catch (e) {
      this.catch(e);
    }
    return this.error;
  }

  /**
   * Whether the loader still holds a view of bytes pushed so far (a unit that did not end in
   * them, the device sections kept for `finish`). When false, the caller may reuse them.
   */
  get retainsInput(): boolean {
    return this.pending.length > 0 || this.tail.length > 0;
  }

  /** Ends the stream: loads the device sections and checks everything arrived. */
  finish(): LoadResult {
    if (this.error === undefined) {
      try {
        if (this.phase !== 'devices') this.fail('truncated', `stream ends in phase ${this.phase}`, this.base + this.pendingBytes);
        this.loadTail();
      } catch (e) {
        this.catch(e);
      }
    }
    this.phase = 'done';
    if (this.error !== undefined) return { ok: false, error: this.error, targetDiscarded: this.target !== undefined };
    return {
      ok: true,
      config: this.config!,
      stats: { bytes: this.base, normalPages: this.normalPages, zeroPages: this.zeroPages, devices: this.devices },
    };
  }

  private inDevicePhase(): boolean {
    return this.phase === 'devices';
  }

  private refuseNow(reason: StreamErrorReason, detail: string): StreamError {
    this.error = new StreamError(reason, this.section, '', this.base, detail);
    return this.error;
  }

  private catch(e: unknown): void {
    if (e instanceof Refused) this.error = e.error;
    else throw e;
  }

  private pushTail(chunk: Uint8Array): undefined {
    this.tailBytes += chunk.length;
    if (this.tailBytes > MAX_DEVICE_STATE_BYTES + MAX_VMDESC_BYTES)
      this.fail('too-large', `more than ${MAX_DEVICE_STATE_BYTES + MAX_VMDESC_BYTES} bytes after RAM`, this.base + this.tailBytes);
    this.tail.push(chunk);
    return undefined;
  }

  /**
   * Parses as many whole units from `buf` as it holds, with one reader and one CRC update per
   * call (a reader and a subarray per RAM page made restores allocation-bound); false when it
   * needs more bytes. `base` is each unit's start while it is parsed, for error offsets.
   */
  private step(): boolean {
    const start = this.base;
    const r = new ByteReader(this.buf, start);
    let done = 0;
    let more = true;
    try {
      while (!this.inDevicePhase()) {
        this.base = start + done;
        this.unit(r);
        done = r.pos;
      }
      this.need = 0;
    } catch (e) {
      if (!(e instanceof EndOfInput)) throw e;
      this.need = this.buf.length - done + e.wanted;
      more = false;
    }
    this.hash(this.buf.subarray(0, done));
    this.buf = this.buf.subarray(done);
    this.base = start + done;
    return more;
  }

  /** Folds consumed bytes into the checksum (kept, copied, until the configuration named it). */
  private hash(bytes: Uint8Array): void {
    if (this.checksum === undefined && this.config === undefined) {
      if (bytes.length > 0) this.unhashed.push(bytes.slice());
      return;
    }
    if (this.checksum === undefined) {
      this.checksum = newChecksum(this.integrity);
      for (const b of this.unhashed) this.checksum.update(b);
      this.unhashed = [];
    }
    this.checksum.update(bytes);
  }

  private unit(r: ByteReader): void {
    switch (this.phase) {
      case 'header':
        return this.header(r);
      case 'config':
        return this.configuration(r);
      case 'ram-start':
        return this.ramStart(r);
      case 'ram-section':
        return this.ramSection(r);
      case 'ram-records':
        if (this.blockNamed && this.continuedRecords(r) > 0) return;
        return this.ramRecord(r);
    }
  }

  private header(r: ByteReader): void {
    const magic = r.u32();
    if (magic !== QEMU_VM_FILE_MAGIC) this.fail('bad-magic', `magic 0x${magic.toString(16)}`, this.base);
    const version = r.u32();
    if (version !== QEMU_VM_FILE_VERSION) this.fail('bad-version', `file version ${version}`, this.base + 4);
    this.phase = 'config';
    this.section = 'configuration';
  }

  private configuration(r: ByteReader): void {
    const type = r.u8();
    if (type !== Section.CONFIGURATION) this.fail('bad-section-order', `section type ${type}, not CONFIGURATION`, this.base);
    const len = r.u32();
    if (len > MAX_CONFIGURATION_BYTES) this.fail('too-large', `configuration of ${len} bytes`, this.base + 1, 'name_len');
    const parsed = parseConfiguration(r.bytesView(len));
    if (typeof parsed === 'string') this.fail('bad-configuration', parsed, this.base + 5, 'name');
    const target = this.host.configure(parsed);
    if ('refuse' in target) this.fail('refused', target.refuse, this.base + 5, 'name');
    if (target.ramBytes.length !== parsed.ramSize)
      throw new Error(`host gave ${target.ramBytes.length} bytes of RAM for a ${parsed.ramSize}-byte configuration`);
    if (target.ramDirty && target.ramDirty.length !== parsed.ramSize / TARGET_PAGE_SIZE)
      throw new Error(`host gave a page map of ${target.ramDirty.length} pages for ${parsed.ramSize / TARGET_PAGE_SIZE}`);
    this.config = parsed;
    this.target = target;
    this.ram = target.ramBytes;
    this.ramDirty = target.ramDirty;
    this.ramZeroed = target.ramZeroed === true;
    this.integrity = parsed.integrity ?? INTEGRITY_CRC32;
    this.ramSize = parsed.ramSize;
    this.received = new Uint8Array(parsed.ramSize / TARGET_PAGE_SIZE);
    this.phase = 'ram-start';
    this.section = RAM_SECTION_NAME;
  }

  private sectionHeader(r: ByteReader): { id: number; name: string; instance: number; version: number; at: number } {
    const at = r.offset - 1;
    const id = r.u32();
    const nameAt = r.offset;
    const name = asciiString(r.str8());
    if (name === undefined) this.fail('unknown-section', 'section name is not ASCII', nameAt);
    const instance = r.u32();
    const version = r.u32();
    return { id, name, instance, version, at };
  }

  private footer(r: ByteReader, id: number): void {
    const at = r.offset;
    const type = r.u8();
    const got = r.u32();
    if (type !== Section.FOOTER || got !== id) this.fail('bad-footer', `expected footer for section ${id}`, at);
  }

  /** Reads `be64 (offset | flags)`: [offset, flags]. */
  private record(r: ByteReader): [number, number] {
    const [hi, lo] = r.u64Halves();
    const flags = lo & FLAGS_MASK;
    return [hi * TWO_32 + (lo - flags), flags];
  }

  private ramStart(r: ByteReader): void {
    const type = r.u8();
    if (type !== Section.START) this.fail('bad-section-order', `section type ${type}, expected the RAM START`, this.base);
    const h = this.sectionHeader(r);
    if (h.name !== RAM_SECTION_NAME || h.instance !== 0) this.fail('bad-section-order', `first section is ${h.name}, not ram`, h.at);
    if (h.version > RAM_SECTION_VERSION) this.fail('version-too-new', `ram version ${h.version}`, h.at);
    if (h.version !== RAM_SECTION_VERSION) this.fail('bad-version', `ram version ${h.version}`, h.at);
    let at = r.offset;
    const [total, flags] = this.record(r);
    if (flags !== RamFlag.MEM_SIZE) this.fail('ram-flags', `flags 0x${flags.toString(16)}, expected MEM_SIZE`, at);
    if (total !== this.ramSize) this.fail('ram-size', `RAM of ${total} bytes, configured ${this.ramSize}`, at);
    at = r.offset;
    if (asciiString(r.str8()) !== RAM_BLOCK_NAME) this.fail('ram-block', `block is not ${RAM_BLOCK_NAME}`, at);
    at = r.offset;
    const [len, lenFlags] = this.record(r);
    if (len !== this.ramSize || lenFlags !== 0) this.fail('ram-size', `block of ${len} bytes, configured ${this.ramSize}`, at);
    at = r.offset;
    const eos = this.record(r);
    if (eos[0] !== 0 || eos[1] !== RamFlag.EOS) this.fail('ram-flags', 'MEM_SIZE not followed by EOS', at);
    this.footer(r, h.id);
    this.ramSectionId = h.id;
    this.phase = 'ram-section';
  }

  private ramSection(r: ByteReader): void {
    const type = r.u8();
    if (type !== Section.PART && type !== Section.END)
      this.fail('bad-section-order', `section type ${type} before the RAM END`, this.base);
    const id = r.u32();
    if (id !== this.ramSectionId) this.fail('unknown-section', `section id ${id} in the RAM phase`, this.base + 1);
    this.ramEnding = type === Section.END;
    this.blockNamed = false;
    this.phase = 'ram-records';
  }

  private ramRecord(r: ByteReader): void {
    const at = r.offset;
    const [offset, flags] = this.record(r);
    if (flags === FLAG_EOS && offset === 0) {
      this.footer(r, this.ramSectionId);
      this.phase = this.ramEnding ? 'devices' : 'ram-section';
      if (this.ramEnding) this.allPagesArrived(at);
      return;
    }
    const kind = flags & ~FLAG_CONTINUE;
    if (kind !== FLAG_ZERO && kind !== FLAG_PAGE) this.fail('ram-flags', `flags 0x${flags.toString(16)}`, at);
    if (offset + PAGE_SIZE > this.ramSize) this.fail('ram-offset', `page at 0x${offset.toString(16)} outside RAM`, at);
    if (flags & FLAG_CONTINUE) {
      if (!this.blockNamed) this.fail('ram-block', 'CONTINUE before the block was named', at);
    } else {
      const nameAt = r.offset;
      if (asciiString(r.str8()) !== RAM_BLOCK_NAME) this.fail('ram-block', `block is not ${RAM_BLOCK_NAME}`, nameAt);
    }
    const dirty = this.ramDirty;
    if (kind === FLAG_ZERO) {
      const fill = r.u8();
      if (fill !== 0 || this.received[offset / PAGE_SIZE] !== 0 || !this.ramZeroed) this.ram.fill(fill, offset, offset + PAGE_SIZE);
      if (fill !== 0 && dirty) dirty[offset / PAGE_SIZE] = 1;
      this.zeroPages++;
    } else {
      this.ram.set(r.bytesView(PAGE_SIZE), offset);
      if (dirty) dirty[offset / PAGE_SIZE] = 1;
      this.normalPages++;
    }
    // Only now, with the whole record read, does it count (a retry after EndOfInput redoes it).
    this.blockNamed = true;
    this.received[offset / PAGE_SIZE] = 1;
  }

  /**
   * The bulk of the RAM phase without the general path's per-record calls and allocations: whole
   * CONTINUE records of a page or of a zero page, one after another, read straight from the
   * buffer into RAM. It stops at anything else, and at a record not wholly here; `ramRecord`
   * then reads, checks and (where it must) refuses that one as usual. Returns the records loaded.
   */
  private continuedRecords(r: ByteReader): number {
    // Fields of this loader only: a LoadTarget is a plain object whose hidden class V8 may free
    // between two migrations, and optimized code that read it was thrown away when it did.
    const b = r.bytes;
    const end = b.length;
    const ram = this.ram;
    const dirty = this.ramDirty;
    const zeroed = this.ramZeroed;
    const received = this.received;
    const ramSize = this.ramSize;
    let pos = r.pos;
    let n = 0;
    while (pos + RECORD_HEADER_BYTES <= end) {
      // Big-endian u64: offset | flags (the flags fill the low 12 bits, below a page).
      const hi = ((b[pos]! << 24) | (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!) >>> 0;
      const lo = ((b[pos + 4]! << 24) | (b[pos + 5]! << 16) | (b[pos + 6]! << 8) | b[pos + 7]!) >>> 0;
      const flags = lo & FLAGS_MASK;
      const offset = hi * TWO_32 + (lo - flags);
      if (offset + PAGE_SIZE > ramSize) break;
      const page = offset / PAGE_SIZE;
      const at = pos + RECORD_HEADER_BYTES;
      if (flags === PAGE_CONTINUED) {
        if (at + PAGE_SIZE > end) break;
        ram.set(b.subarray(at, at + PAGE_SIZE), offset);
        if (dirty) dirty[page] = 1;
        this.normalPages++;
        pos = at + PAGE_SIZE;
      } else if (flags === ZERO_CONTINUED) {
        // A fill byte other than zero is rare and legal: the general path takes it.
        if (at >= end || b[at] !== 0) break;
        if (received[page] !== 0 || !zeroed) ram.fill(0, offset, offset + PAGE_SIZE);
        this.zeroPages++;
        pos = at + 1;
      } else break;
      received[page] = 1;
      n++;
    }
    r.pos = pos;
    return n;
  }

  private allPagesArrived(at: number): void {
    const missing = this.received.indexOf(0);
    if (missing < 0) return;
    if (this.config?.unsentPagesAreZero !== true)
      this.fail('ram-page-missing', `page ${missing} (0x${(missing * TARGET_PAGE_SIZE).toString(16)}) never sent`, at);
    // The source skipped pages it knew were zero: fresh RAM already is; anything else is cleared.
    if (this.ramZeroed) return;
    for (let p = missing; p < this.received.length; p++) {
      if (this.received[p] === 0) this.ram.fill(0, p * TARGET_PAGE_SIZE, (p + 1) * TARGET_PAGE_SIZE);
    }
  }

  private loadTail(): void {
    const bytes = concatBytes(this.tail);
    const tailBase = this.base;
    this.tail = [];
    const r = new ByteReader(bytes, tailBase);
    const expected = new Map<string, DeviceSection>();
    for (const s of this.target!.sections) {
      const key = sectionKey(s.id, s.instanceId);
      if (expected.has(key)) throw new Error(`target lists section ${s.id} instance ${s.instanceId} twice`);
      expected.set(key, s);
    }
    const loaded = new Set<string>();
    const ids = new Set<number>([this.ramSectionId]);
    let integrityChecked = false;
    try {
      for (;;) {
        const at = r.offset;
        const type = r.u8();
        if (type === Section.EOF) break;
        if (type !== Section.FULL || integrityChecked)
          this.fail('bad-section-order', `section type ${type} where a device section or EOF belongs`, at);
        const h = this.sectionHeader(r);
        this.section = h.name;
        if (ids.has(h.id)) this.fail('duplicate-section', `section id ${h.id} used twice`, h.at);
        ids.add(h.id);
        if (h.name === INTEGRITY_SECTION_NAME && h.instance === 0) {
          this.hash(bytes.subarray(0, h.at - tailBase));
          this.checkIntegrity(r, h.version, h.at);
          integrityChecked = true;
        } else {
          const key = sectionKey(h.name, h.instance);
          const s = expected.get(key);
          if (s === undefined) this.fail('unknown-section', `no section ${h.name} instance ${h.instance} here`, h.at);
          if (loaded.has(key)) this.fail('duplicate-section', `${h.name} instance ${h.instance} twice`, h.at);
          loaded.add(key);
          this.loadDevice(s, r, h.version);
          this.devices++;
        }
        this.footer(r, h.id);
      }
      this.section = 'EOF';
      if (!integrityChecked) this.fail('missing-section', `no ${INTEGRITY_SECTION_NAME} section`, r.offset - 1);
      for (const [key, s] of expected)
        if (!loaded.has(key)) this.fail('missing-section', `section ${s.id} instance ${s.instanceId} missing`, r.offset - 1);
      this.section = 'vmdesc';
      const at = r.offset;
      const type = r.u8();
      if (type !== Section.VMDESCRIPTION) this.fail('bad-vmdesc', `section type ${type} after EOF`, at);
      const len = r.u32();
      if (len > MAX_VMDESC_BYTES) this.fail('too-large', `JSON description of ${len} bytes`, at + 1);
      const json = r.bytesView(len);
      if (this.integrity !== INTEGRITY_CRC32 && vmdescHash(json, this.integrity) !== this.expectedVmdescHash)
        this.fail('integrity', 'the JSON description does not match its hash', at + 5, 'vmdesc_hash');
      if (r.remaining > 0) this.fail('trailing-bytes', `${r.remaining} bytes after the JSON description`, r.offset);
    } catch (e) {
      if (e instanceof EndOfInput) this.fail('truncated', e.message, e.offset);
      throw e;
    }
    this.base = tailBase + bytes.length;
    this.target!.afterLoad();
  }

  private loadDevice(s: DeviceSection, r: ByteReader, version: number): void {
    try {
      loadState(s.description, s.state, r, version, s.id);
    } catch (e) {
      if (e instanceof VmStateError)
        this.fail(e.reason === 'truncated' ? 'truncated' : 'device-state', e.message, e.offset, e.field, e);
      throw e;
    }
  }

  private checkIntegrity(r: ByteReader, version: number, at: number): void {
    const v = this.integrity;
    if (version !== v) this.fail('bad-version', `integrity version ${version}, the configuration announced ${v}`, at);
    const got = integrityState(v, 0, 0);
    this.loadDevice(deviceSection(INTEGRITY_SECTION_NAME, 0, integrityDescription(v), got), r, version);
    this.hash(new Uint8Array(0));
    const sum = this.checksum!.digest();
    const field = checksumField(v);
    const name = v === INTEGRITY_CRC32 ? 'CRC-32' : 'hash';
    if (got.length !== at) this.fail('integrity', `covers ${got.length} bytes, section starts at ${at}`, at, 'length');
    if (checksumOf(got, v) !== sum)
      this.fail('integrity', `${name} 0x${checksumOf(got, v).toString(16)} != computed 0x${sum.toString(16)}`, at, field);
    this.expectedVmdescHash = got.vmdesc_hash;
  }
}

/** Loads a whole stream held in memory. */
export function loadStream(bytes: Uint8Array, host: LoadHost): LoadResult {
  const l = new StreamLoader(host);
  l.push(bytes);
  return l.finish();
}
