/**
 * The incremental stream writer, for snapshots and live migration alike. Calls follow the
 * stream's order: `header` → `configuration` → `ramStart` → `ramPages`/`ramDirtyPages`* →
 * `ramEnd` → `deviceSections` → `eof`. Output goes to `sink` in chunks of about
 * `chunkBytes` (each call flushes what it wrote), so migration can send them as they come.
 * Calling out of order, or with state that breaks its description, throws (a caller bug).
 */
import {
  asciiBytes,
  ByteWriter,
  saveState,
  type Description,
  type VmDesc,
  type VmDescDevice,
} from '../../vmstate/index.ts';
import { collectSet } from '../../lib/page-map.ts';
import { makeConfiguration, validRamSize, type JsonValue } from './config.ts';
import {
  INTEGRITY_SECTION_NAME,
  MAX_CONFIGURATION_BYTES,
  QEMU_VM_FILE_MAGIC,
  QEMU_VM_FILE_VERSION,
  RAM_BLOCK_NAME,
  RAM_SECTION_ID,
  RAM_SECTION_NAME,
  RAM_SECTION_VERSION,
  RamFlag,
  Section,
  TARGET_PAGE_SIZE,
} from './format.ts';
import {
  CURRENT_INTEGRITY_VERSION,
  INTEGRITY_CRC32,
  integrityDescription,
  integrityState,
  newChecksum,
  vmdescHash,
  type IntegrityVersion,
} from './integrity.ts';
import { sectionKey, type DeviceSection } from './section.ts';
import { utf8Encode } from './utf8.ts';

/**
 * Receives each chunk: a buffer that is the sink's to keep (or transfer), holding the writer's
 * `headroom` bytes (for the sink's own header; zero unless `allocate` reuses memory) and then
 * the stream bytes.
 */
export type ChunkSink = (chunk: Uint8Array) => void;

export interface RamPartStats {
  /** Pages sent with their 4096 bytes. */
  readonly normal: number;
  /** Pages sent as a ZERO flag (all bytes zero). */
  readonly zero: number;
  /** Stream bytes this part took. */
  readonly bytes: number;
}

/**
 * Pages a VM knows are zero without reading them: clear in both `written` (Ram.written, pages
 * written before the dirty map was last cleared) and `dirty`. Passed as data, not as a callback:
 * an optimized ramPages that inlined one session's closure was thrown away (V8 "weak objects")
 * when that session died, and recompiled in the next migration (~20 ms of compiler time).
 */
export interface KnownZeroPages {
  readonly written: Uint8Array;
  readonly dirty: Uint8Array;
}

type Phase = 'new' | 'header' | 'config' | 'ram' | 'ram-done' | 'devices' | 'done';

const PAGE_WORDS = TARGET_PAGE_SIZE / 4;
/** Local copies for the per-page path (under tsx an imported binding is a getter call). */
const PAGE_SIZE = TARGET_PAGE_SIZE;
const FLAG_ZERO = RamFlag.ZERO;
const FLAG_PAGE = RamFlag.PAGE;
const FLAG_CONTINUE = RamFlag.CONTINUE;
const BLOCK_NAME = asciiBytes(RAM_BLOCK_NAME);

export class StreamWriter {
  /** The chunk being written; reused, its bytes are copied out into each chunk handed to the sink. */
  private readonly w = new ByteWriter(1 << 16);
  private phase: Phase = 'new';
  private readonly checksum;
  private written = 0;
  private ramSize = 0;
  private nextSectionId = RAM_SECTION_ID + 1;
  private readonly devices: VmDescDevice[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly sink: ChunkSink,
    private readonly chunkBytes = 256 * 1024,
    /** The integrity section's version (integrity.ts); 1 writes the streams of older builds. */
    private readonly integrity: IntegrityVersion = CURRENT_INTEGRITY_VERSION,
    /** Bytes left free before the stream bytes of each chunk (ChunkSink). */
    private readonly headroom = 0,
    /** Where chunk buffers come from (a migration channel may hand back used ones). */
    private readonly allocate: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes),
  ) {
    this.checksum = newChecksum(integrity);
  }

  /** Stream bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.written;
  }

  private expect(phase: Phase, next: Phase, what: string): void {
    if (this.phase !== phase) throw new Error(`StreamWriter.${what} called in phase ${this.phase}`);
    this.phase = next;
  }

  /**
   * Hands the bytes written so far to the sink in a buffer of exactly their size (plus
   * headroom), so that a transport can transfer it whole without another copy; the staging
   * buffer stays (one allocation per chunk, not two).
   */
  private flush(): void {
    const n = this.w.length;
    if (n === 0) return;
    const bytes = this.w.peek();
    this.checksum.update(bytes);
    this.written += n;
    const chunk = this.allocate(this.headroom + n);
    chunk.set(bytes, this.headroom);
    this.w.reset();
    this.sink(chunk);
  }

  private maybeFlush(): void {
    if (this.w.length >= this.chunkBytes) this.flush();
  }

  private sectionHeader(type: Section.START | Section.FULL, id: number, name: string, instance: number, version: number): void {
    this.w.u8(type);
    this.w.u32(id);
    this.w.str8(asciiBytes(name));
    this.w.u32(instance);
    this.w.u32(version);
  }

  private footer(id: number): void {
    this.w.u8(Section.FOOTER);
    this.w.u32(id);
  }

  header(): void {
    this.expect('new', 'header', 'header');
    this.w.u32(QEMU_VM_FILE_MAGIC);
    this.w.u32(QEMU_VM_FILE_VERSION);
    this.flush();
  }

  /**
   * The CONFIGURATION section: our envelope around the machine's JSON configuration.
   * `unsentPagesAreZero`: the caller will not send pages it knows are zero (config.ts).
   */
  configuration(ramSize: number, machine: JsonValue, unsentPagesAreZero = false): void {
    this.expect('header', 'config', 'configuration');
    if (!validRamSize(ramSize)) throw new RangeError(`bad RAM size ${ramSize}`);
    this.ramSize = ramSize;
    const json = utf8Encode(JSON.stringify(makeConfiguration(ramSize, machine, this.integrity, unsentPagesAreZero)));
    if (json.length > MAX_CONFIGURATION_BYTES) throw new RangeError(`configuration of ${json.length} bytes is too large`);
    this.w.u8(Section.CONFIGURATION);
    this.w.u32(json.length);
    this.w.bytes(json);
    this.flush();
  }

  /** START of section "ram": the MEM_SIZE record naming our one block, then EOS. `ramSize`, when given, must match the configuration. */
  ramStart(ramSize = this.ramSize): void {
    if (ramSize !== this.ramSize) throw new RangeError(`ramStart(${ramSize}) but the configuration says ${this.ramSize}`);
    this.expect('config', 'ram', 'ramStart');
    this.sectionHeader(Section.START, RAM_SECTION_ID, RAM_SECTION_NAME, 0, RAM_SECTION_VERSION);
    this.w.u64n(this.ramSize + RamFlag.MEM_SIZE);
    this.w.str8(BLOCK_NAME);
    this.w.u64n(this.ramSize);
    this.w.u64n(RamFlag.EOS);
    this.footer(RAM_SECTION_ID);
    this.flush();
  }

  /**
   * One PART section with the given pages (indices), zero pages as a flag only; what it wrote
   * goes to the sink, except with `holdTail` a remainder shorter than one page, which waits in
   * the writer for the next call (a live migration's batch of 512 KiB otherwise left a message
   * of 14 bytes behind each full one, and its acknowledgement).
   */
  ramPages(pages: Iterable<number>, ram: Uint8Array, known?: KnownZeroPages, holdTail = false): RamPartStats {
    if (this.phase !== 'ram') throw new Error(`StreamWriter.ramPages called in phase ${this.phase}`);
    if (ram.length !== this.ramSize) throw new RangeError(`RAM of ${ram.length} bytes, configured ${this.ramSize}`);
    const start = this.written + this.w.length;
    const aligned = ram.byteOffset % 4 === 0;
    const words = aligned ? new Int32Array(ram.buffer, ram.byteOffset, ram.length >>> 2) : undefined;
    const written = known?.written;
    const dirty = known?.dirty;
    let normal = 0;
    let zero = 0;
    this.w.u8(Section.PART);
    this.w.u32(RAM_SECTION_ID);
    for (const p of pages) {
      const off = p * PAGE_SIZE;
      if (!Number.isInteger(p) || p < 0 || off >= this.ramSize) throw new RangeError(`page ${p} outside RAM`);
      // A page the caller knows was never written is zero without reading it.
      const isZero = (written !== undefined && written[p] === 0 && dirty![p] === 0) || (words ? wordsZero(words, off >>> 2) : bytesZero(ram, off));
      // Each PART names the block in its first record, then CONTINUEs: parts stand alone.
      const cont = normal + zero > 0 ? FLAG_CONTINUE : 0;
      this.w.u64n(off + (isZero ? FLAG_ZERO : FLAG_PAGE) + cont);
      if (!cont) this.w.str8(BLOCK_NAME);
      if (isZero) {
        this.w.u8(0);
        zero++;
      } else {
        this.w.bytes(ram.subarray(off, off + PAGE_SIZE));
        normal++;
      }
      this.maybeFlush();
    }
    this.w.u64n(RamFlag.EOS);
    this.footer(RAM_SECTION_ID);
    const bytes = this.written + this.w.length - start;
    if (!holdTail || this.w.length >= PAGE_SIZE) this.flush();
    return { normal, zero, bytes };
  }

  /** `ramPages` over the pages whose byte in `bitmap` (one per page, like `Ram.dirty`) is non-zero. Does not clear it. */
  ramDirtyPages(bitmap: Uint8Array, ram: Uint8Array, known?: KnownZeroPages): RamPartStats {
    return this.ramPages(setIndices(bitmap), ram, known);
  }

  /** END of section "ram" (the last dirty pages went in a PART before it). */
  ramEnd(): void {
    this.expect('ram', 'ram-done', 'ramEnd');
    this.w.u8(Section.END);
    this.w.u32(RAM_SECTION_ID);
    this.w.u64n(RamFlag.EOS);
    this.footer(RAM_SECTION_ID);
    this.flush();
  }

  /** One FULL section per device, in the given order. May be called more than once. */
  deviceSections(list: Iterable<DeviceSection>): void {
    if (this.phase === 'ram-done') this.phase = 'devices';
    if (this.phase !== 'devices') throw new Error(`StreamWriter.deviceSections called in phase ${this.phase}`);
    for (const s of list) {
      if (s.id === INTEGRITY_SECTION_NAME) throw new Error(`section id ${s.id} is reserved`);
      const key = sectionKey(s.id, s.instanceId);
      if (this.seen.has(key)) throw new Error(`section ${s.id} instance ${s.instanceId} listed twice`);
      this.seen.add(key);
      this.devices.push(this.fullSection(s.id, s.instanceId, s.description, s.state));
      this.maybeFlush();
    }
    this.flush();
  }

  private fullSection<S>(
    id: string,
    instanceId: number,
    d: Description<S>,
    state: S,
  ): VmDescDevice {
    const sectionId = this.nextSectionId++;
    this.sectionHeader(Section.FULL, sectionId, id, instanceId, d.version);
    const desc = saveState(d, state, this.w);
    this.footer(sectionId);
    return { name: id, instance_id: instanceId, ...desc };
  }

  /** The integrity section, EOF, and the JSON description (QEMU_VM_VMDESCRIPTION). */
  eof(): void {
    if (this.phase === 'ram-done') this.phase = 'devices';
    this.expect('devices', 'done', 'eof');
    this.flush();
    const v = this.integrity;
    const description = integrityDescription(v);
    const sectionId = this.nextSectionId;
    let state = integrityState(v, this.checksum.digest(), this.written);
    let json: Uint8Array | undefined;
    if (v !== INTEGRITY_CRC32) {
      // The description's shape does not depend on values: describe the section with a dry run, hash the JSON.
      const dry = saveState(description, state, new ByteWriter(64));
      json = this.vmdescJson([...this.devices, { name: INTEGRITY_SECTION_NAME, instance_id: 0, ...dry }]);
      state = integrityState(v, state.hash, state.length, vmdescHash(json, v));
    }
    this.devices.push(this.fullSection(INTEGRITY_SECTION_NAME, 0, description, state));
    if (sectionId + 1 !== this.nextSectionId) throw new Error('integrity section id moved');
    json ??= this.vmdescJson(this.devices);
    this.w.u8(Section.EOF);
    this.w.u8(Section.VMDESCRIPTION);
    this.w.u32(json.length);
    this.w.bytes(json);
    this.flush();
  }

  private vmdescJson(devices: VmDescDevice[]): Uint8Array {
    const desc: VmDesc = { page_size: TARGET_PAGE_SIZE, devices };
    let json = JSON.stringify(desc);
    // analyze-migration.py finds the JSON as the first '{' after the last NUL byte: no byte
    // of the length after its last zero byte may be '{' (0x7b).
    while (lengthConfusesFinder(json.length)) json += ' ';
    return asciiJson(json);
  }
}

/** Whether the page at word `at` is all zero: eight words per test (about twice as fast as one; a whole idle VM's RAM is scanned per snapshot). */
function wordsZero(w: Int32Array, at: number): boolean {
  for (let i = at, end = at + PAGE_WORDS; i < end; i += 8) {
    if ((w[i]! | w[i + 1]! | w[i + 2]! | w[i + 3]! | w[i + 4]! | w[i + 5]! | w[i + 6]! | w[i + 7]!) !== 0) return false;
  }
  return true;
}

function bytesZero(ram: Uint8Array, at: number): boolean {
  for (let i = at, end = at + TARGET_PAGE_SIZE; i < end; i++) if (ram[i] !== 0) return false;
  return true;
}

/** Indices of the non-zero bytes (lib/page-map.ts skips four zero bytes at a time). */
function setIndices(bitmap: Uint8Array): number[] {
  const out: number[] = [];
  collectSet(bitmap, out);
  return out;
}

const OPEN_BRACE = 0x7b;

function lengthConfusesFinder(n: number): boolean {
  const b = [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const lastZero = b.lastIndexOf(0);
  if (lastZero < 0) return true;
  return b.slice(lastZero + 1).includes(OPEN_BRACE);
}

/** JSON.stringify escapes control characters; our names are ASCII, machine JSON may not be. */
function asciiJson(json: string): Uint8Array {
  const out = new Uint8Array(json.length);
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c > 0x7e) throw new RangeError('vmdesc JSON must be ASCII');
    out[i] = c;
  }
  return out;
}
