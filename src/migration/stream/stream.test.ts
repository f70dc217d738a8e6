import { describe as group, expect, it } from 'vitest';
import fc from 'fast-check';
import { describe } from '../../vmstate/index.ts';
import { parseConfiguration } from './config.ts';
import { crc32 } from './crc32.ts';
import { StreamError } from './errors.ts';
import {
  createExampleMachine,
  EXAMPLE_RAM_SIZE,
  exampleMachineConfig,
  exampleSections,
  exampleUartDescription,
  goldenMachine,
  type ExampleUartState,
} from './fixtures/examples.ts';
import { exampleHost } from './fixtures/host.ts';
import { RamFlag, TARGET_PAGE_SIZE } from './format.ts';
import { loadStream, StreamLoader, type LoadResult } from './loader.ts';
import { CURRENT_INTEGRITY_VERSION } from './integrity.ts';
import { collectBlockers, saveStream, saveStreamBytes } from './save.ts';
import { deviceSection, type DeviceSection } from './section.ts';
import { utf8Decode, utf8Encode } from './utf8.ts';
import { StreamWriter } from './writer.ts';

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function golden(m = goldenMachine(), sections?: DeviceSection[]): Uint8Array {
  const r = saveStreamBytes({ blockers: [], ramBytes: m.ram, machine: exampleMachineConfig, sections: sections ?? exampleSections(m) });
  if (!r.ok) throw new Error('blocked');
  return r.bytes;
}

function failure(r: LoadResult): StreamError {
  if (r.ok) throw new Error('expected the load to fail');
  expect(r.error).toBeInstanceOf(StreamError);
  return r.error;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Offset of the FULL section header whose idstr is `name` (type byte). */
function sectionAt(bytes: Uint8Array, name: string, from = 0): number {
  const needle = Uint8Array.of(name.length, ...ascii(name));
  for (let i = from; i < bytes.length; i++) {
    if (needle.every((b, k) => bytes[i + k] === b) && bytes[i - 5] === 0x04) return i - 5;
  }
  throw new Error(`no section ${name}`);
}

group('stream writer', () => {
  it('refuses up front with every blocker and writes nothing', () => {
    const m = goldenMachine();
    const chunks: Uint8Array[] = [];
    const blockers = collectBlockers([() => [{ reason: 'virtio-blk: image not saved' }], () => [], () => [{ reason: 'host pass-through' }]]);
    const r = saveStream({ blockers, ramBytes: m.ram, machine: exampleMachineConfig, sections: exampleSections(m) }, (c) => chunks.push(c));
    expect(r).toEqual({ ok: false, blockers: [{ reason: 'virtio-blk: image not saved' }, { reason: 'host pass-through' }] });
    expect(chunks).toEqual([]);
  });

  it('writes a zero page as a flag and one fill byte, a data page with its 4096 bytes', () => {
    const m = createExampleMachine();
    m.ram[5 * TARGET_PAGE_SIZE + 17] = 1;
    const chunks: Uint8Array[] = [];
    const w = new StreamWriter((c) => chunks.push(c));
    w.header();
    w.configuration(m.ram.length, null);
    w.ramStart();
    chunks.length = 0;
    const zero = w.ramPages([4], m.ram);
    const name = 1 + 'tabvm.ram'.length;
    expect(zero).toEqual({ normal: 0, zero: 1, bytes: 5 + 8 + name + 1 + 8 + 5 });
    const part = concat(chunks);
    expect(Array.from(part.subarray(5, 13))).toEqual([0, 0, 0, 0, 0, 0, 0x40, RamFlag.ZERO]);
    const data = w.ramPages([5, 6], m.ram);
    expect(data).toEqual({ normal: 1, zero: 1, bytes: 5 + (8 + name + 4096) + (8 + 1) + 8 + 5 });
  });

  it('throws when called out of order (a caller bug)', () => {
    const w = new StreamWriter(() => {});
    expect(() => w.ramStart()).toThrow(/phase/);
    w.header();
    expect(() => w.header()).toThrow(/phase/);
    expect(() => w.eof()).toThrow(/phase/);
  });

  it('keeps the JSON length readable by analyze-migration.py (no "{" byte after the last zero byte)', () => {
    // Probe through eof() with descriptions padded to hit lengths ending in 0x7b.
    const lengths = new Set<number>();
    for (let pad = 0; pad < 300; pad++) {
      const chunks: Uint8Array[] = [];
      const w = new StreamWriter((c) => chunks.push(c));
      w.header();
      w.configuration(TARGET_PAGE_SIZE, null);
      w.ramStart();
      w.ramPages([0], new Uint8Array(TARGET_PAGE_SIZE));
      w.ramEnd();
      w.deviceSections([deviceSection(`d${'x'.repeat(pad % 100)}`, pad, exampleUartDescription, createExampleMachine().uart)]);
      w.eof();
      const bytes = concat(chunks);
      // What read_migration_debug_json does: the first '{' after the last NUL byte ...
      const brace = bytes.indexOf(0x7b, bytes.lastIndexOf(0));
      // ... must be where the JSON starts: right after 0x06 and its be32 length.
      expect(bytes[brace - 5]).toBe(0x06);
      expect(new DataView(bytes.buffer).getUint32(brace - 4)).toBe(bytes.length - brace);
      expect(JSON.parse(String.fromCharCode(...bytes.subarray(brace))).page_size).toBe(TARGET_PAGE_SIZE);
      lengths.add(bytes.length - brace);
    }
    // The probe crossed lengths around ...7b, and none ended in '{' (the writer padded it away).
    const ls = [...lengths];
    expect(ls.some((n) => (n & 0xff) === 0x7b)).toBe(false);
    expect(ls.some((a) => (a & 0xff) < 0x7b && ls.some((b) => b >> 8 === a >> 8 && (b & 0xff) > 0x7b))).toBe(true);
  });
});

group('stream loader', () => {
  it('loads a live-migration-shaped stream: pages resent across PART sections, fed in small chunks', () => {
    const src = goldenMachine();
    const chunks: Uint8Array[] = [];
    const w = new StreamWriter((c) => chunks.push(c), 1000);
    w.header();
    w.configuration(src.ram.length, exampleMachineConfig);
    w.ramStart();
    const before = src.ram.slice();
    src.ram.fill(0);
    w.ramPages([...Array(16).keys()], src.ram); // first pass: all zero
    src.ram.set(before);
    const dirty = new Uint8Array(16);
    dirty[0] = dirty[3] = dirty[9] = 1;
    expect(w.ramDirtyPages(dirty, src.ram)).toMatchObject({ normal: 3, zero: 0 });
    w.ramEnd();
    w.deviceSections(exampleSections(src));
    w.eof();
    expect(chunks.every((c) => c.length <= 1000 + TARGET_PAGE_SIZE + 64)).toBe(true);
    const bytes = concat(chunks);
    for (const size of [1, 7, 4096, 5000]) {
      const host = exampleHost();
      const l = new StreamLoader(host);
      for (let i = 0; i < bytes.length; i += size) expect(l.push(bytes.subarray(i, i + size))).toBeUndefined();
      const r = l.finish();
      expect(r.ok).toBe(true);
      expect(host.machine).toEqual(goldenMachine());
    }
  });

  it('refuses bad magic and a too-new file version', () => {
    const bytes = golden();
    const b = bytes.slice();
    b[0] = 0;
    expect(failure(loadStream(b, exampleHost()))).toMatchObject({ reason: 'bad-magic', section: 'header', offset: 0 });
    const v = bytes.slice();
    v[7] = 4;
    expect(failure(loadStream(v, exampleHost()))).toMatchObject({ reason: 'bad-version', offset: 4 });
  });

  it('hands the configuration to the host and reports its refusal (no target to discard)', () => {
    const host = exampleHost({ refuse: 'this build has no example board' });
    const r = loadStream(golden(), host);
    expect(failure(r)).toMatchObject({ reason: 'refused', section: 'configuration' });
    expect(r.ok === false && r.targetDiscarded).toBe(false);
    expect(host.config).toMatchObject({ format: 'tabvm', formatVersion: 1, ramSize: EXAMPLE_RAM_SIZE, pageSize: TARGET_PAGE_SIZE });
  });

  it('refuses a configuration from a newer format', () => {
    const bytes = golden();
    const at = String.fromCharCode(...bytes).indexOf('"formatVersion":1');
    const b = bytes.slice();
    b[at + '"formatVersion":'.length] = '9'.charCodeAt(0);
    expect(failure(loadStream(b, exampleHost()))).toMatchObject({ reason: 'bad-configuration', section: 'configuration' });
  });

  it('refuses a page offset outside the configured RAM, naming the byte', () => {
    const bytes = golden();
    const b = bytes.slice();
    const text = String.fromCharCode(...bytes);
    const partAt = text.indexOf('tabvm.ram', text.indexOf('tabvm.ram') + 1) - 1 - 8; // first page record (the first name is MEM_SIZE's)
    expect(b[partAt + 7]! & RamFlag.PAGE).toBe(RamFlag.PAGE);
    b[partAt + 5] = 0x01; // offset += 64 KiB: just past RAM
    const e = failure(loadStream(b, exampleHost()));
    expect(e).toMatchObject({ reason: 'ram-offset', section: 'ram', offset: partAt });
  });

  /**
   * A RAM part of three records (page 0 with its bytes naming the block, page 1 zero, page 2 with
   * its bytes, both CONTINUE) and the offsets of the last two: the loader's fast path reads such
   * CONTINUE records straight from the buffer and leaves anything unusual to the general path.
   */
  function threeRecordStream(): { bytes: Uint8Array; zeroRecord: number; pageRecord: number } {
    const ram = new Uint8Array(EXAMPLE_RAM_SIZE);
    ram.fill(0x11, 0, TARGET_PAGE_SIZE);
    ram.fill(0x22, 2 * TARGET_PAGE_SIZE, 3 * TARGET_PAGE_SIZE);
    const chunks: Uint8Array[] = [];
    const w = new StreamWriter((c) => chunks.push(c));
    w.header();
    w.configuration(ram.length, exampleMachineConfig, true);
    w.ramStart();
    w.ramPages([0, 1, 2], ram);
    const bytes = concat(chunks);
    const text = String.fromCharCode(...bytes);
    const nameAt = text.indexOf('tabvm.ram', text.indexOf('tabvm.ram') + 1); // the first name is MEM_SIZE's
    const zeroRecord = nameAt + 'tabvm.ram'.length + TARGET_PAGE_SIZE;
    const pageRecord = zeroRecord + 8 + 1;
    expect(bytes[zeroRecord + 7]).toBe(RamFlag.ZERO | RamFlag.CONTINUE);
    expect(bytes[pageRecord + 7]).toBe(RamFlag.PAGE | RamFlag.CONTINUE);
    return { bytes, zeroRecord, pageRecord };
  }

  it('loads CONTINUE records split at every byte between two pushes', () => {
    const { bytes } = threeRecordStream();
    for (let cut = 1; cut < bytes.length; cut++) {
      const host = exampleHost();
      const l = new StreamLoader(host);
      expect(l.push(bytes.subarray(0, cut))).toBeUndefined();
      expect(l.push(bytes.subarray(cut))).toBeUndefined();
      const ram = host.machine!.ram;
      expect([ram[0], ram[TARGET_PAGE_SIZE], ram[2 * TARGET_PAGE_SIZE + 4095]]).toEqual([0x11, 0, 0x22]);
    }
  });

  it('says whether it still holds a view of what was pushed (a record cut short, the device sections)', () => {
    const { bytes, pageRecord } = threeRecordStream();
    const l = new StreamLoader(exampleHost());
    l.push(bytes.subarray(0, pageRecord + 100)); // ends inside page 2's record
    expect(l.retainsInput).toBe(true);
    l.push(bytes.subarray(pageRecord + 100)); // ends after the part's footer
    expect(l.retainsInput).toBe(false);
    const whole = golden();
    const g = new StreamLoader(exampleHost());
    g.push(whole); // RAM, then the device sections, which wait for finish()
    expect(g.retainsInput).toBe(true);
    expect(g.finish().ok).toBe(true);
  });

  it('refuses a CONTINUE page record outside RAM at that record', () => {
    const { bytes, pageRecord } = threeRecordStream();
    const b = bytes.slice();
    b[pageRecord + 5] = 0x01; // offset 0x2000 becomes 0x10000: the first page past RAM
    b[pageRecord + 6] = 0x00;
    const l = new StreamLoader(exampleHost());
    expect(l.push(b)).toMatchObject({ reason: 'ram-offset', section: 'ram', offset: pageRecord });
  });

  it('refuses unknown flags in a CONTINUE record at that record', () => {
    const { bytes, zeroRecord } = threeRecordStream();
    const b = bytes.slice();
    b[zeroRecord + 7] = RamFlag.CONTINUE | 0x40;
    const l = new StreamLoader(exampleHost());
    expect(l.push(b)).toMatchObject({ reason: 'ram-flags', section: 'ram', offset: zeroRecord });
  });

  it('fills a CONTINUE zero-flag page with a fill byte other than zero (legal, if rare)', () => {
    const { bytes, zeroRecord } = threeRecordStream();
    const b = bytes.slice();
    b[zeroRecord + 8] = 0x5a;
    const host = exampleHost();
    expect(new StreamLoader(host).push(b)).toBeUndefined();
    const page = host.machine!.ram.subarray(TARGET_PAGE_SIZE, 2 * TARGET_PAGE_SIZE);
    expect(page.every((x) => x === 0x5a)).toBe(true);
    expect(host.machine!.ram[2 * TARGET_PAGE_SIZE]).toBe(0x22);
  });

  it('refuses a stream that never sent some page', () => {
    const m = goldenMachine();
    const chunks: Uint8Array[] = [];
    const w = new StreamWriter((c) => chunks.push(c));
    w.header();
    w.configuration(m.ram.length, null);
    w.ramStart();
    w.ramPages([0, 1, 2, 4], m.ram);
    w.ramEnd();
    w.deviceSections(exampleSections(m));
    w.eof();
    expect(failure(loadStream(concat(chunks), exampleHost()))).toMatchObject({ reason: 'ram-page-missing', section: 'ram' });
  });

  it('loads a stream that says unsent pages are zero, and clears them in RAM that was not fresh', () => {
    const m = goldenMachine();
    const chunks: Uint8Array[] = [];
    const w = new StreamWriter((c) => chunks.push(c));
    w.header();
    w.configuration(m.ram.length, null, true);
    w.ramStart();
    w.ramPages([0, 9], m.ram); // page 3 (0xa5) is not sent: the destination must not keep stale bytes there either
    w.ramEnd();
    w.deviceSections(exampleSections(m));
    w.eof();
    const host = exampleHost();
    const configure = host.configure.bind(host);
    host.configure = (c) => {
      const t = configure(c);
      if (!('refuse' in t)) t.ramBytes.fill(0xee); // not fresh, and not declared zeroed
      return t;
    };
    const r = loadStream(concat(chunks), host);
    expect(r.ok).toBe(true);
    expect(host.config?.unsentPagesAreZero).toBe(true);
    const ram = host.machine!.ram;
    expect(ram.subarray(0, 4096)).toEqual(m.ram.subarray(0, 4096));
    expect(ram[9 * 4096 + 4095]).toBe(1);
    expect(ram.subarray(3 * 4096, 4 * 4096).every((b) => b === 0)).toBe(true);
    expect(ram.subarray(10 * 4096).every((b) => b === 0)).toBe(true);
  });

  it('accepts unsentPagesAreZero only as true', () => {
    const cfg = (extra: object) => utf8Encode(JSON.stringify({ format: 'tabvm', formatVersion: 1, ramSize: 4096, pageSize: 4096, machine: null, ...extra }));
    expect(parseConfiguration(cfg({ unsentPagesAreZero: true }))).toMatchObject({ unsentPagesAreZero: true });
    expect(parseConfiguration(cfg({ unsentPagesAreZero: false }))).toBe('unsentPagesAreZero is not true');
    expect(parseConfiguration(cfg({ unsentPagesAreZero: 'yes' }))).toBe('unsentPagesAreZero is not true');
  });

  it('refuses unknown, duplicate and missing device sections', () => {
    const m = goldenMachine();
    const extra = createExampleMachine().uart;
    const unknown = golden(m, [...exampleSections(m), deviceSection('example-uart', 5, exampleUartDescription, extra)]);
    expect(failure(loadStream(unknown, exampleHost()))).toMatchObject({ reason: 'unknown-section', section: 'example-uart' });

    const missing = golden(m, exampleSections(m).slice(1));
    const r = loadStream(missing, exampleHost());
    expect(failure(r)).toMatchObject({ reason: 'missing-section' });
    expect(r.ok === false && r.targetDiscarded).toBe(true);

    const bytes = golden(m);
    const uartAt = sectionAt(bytes, 'example-uart');
    const hartAt = sectionAt(bytes, 'example-hart');
    const uart = bytes.slice(uartAt, hartAt);
    uart[4] = 99; // another section id, same (name, instance)
    uart[uart.length - 1] = 99; // its footer
    const dup = concat([bytes.subarray(0, hartAt), uart, bytes.subarray(hartAt)]);
    expect(failure(loadStream(dup, exampleHost()))).toMatchObject({ reason: 'duplicate-section', section: 'example-uart', offset: hartAt });
  });

  it('refuses a device section newer than this build, naming the section', () => {
    const m = goldenMachine();
    const v3 = describe<ExampleUartState>({ name: 'example-uart', version: 3, fields: (f) => [f.u8('ier')] });
    const bytes = golden(m, [deviceSection('example-uart', 0, v3, m.uart), ...exampleSections(m).slice(1)]);
    const e = failure(loadStream(bytes, exampleHost()));
    expect(e).toMatchObject({ reason: 'device-state', section: 'example-uart', offset: sectionAt(bytes, 'example-uart') + 5 + 1 + 12 + 8 });
    expect(e.cause?.reason).toBe('version-too-new');
  });

  it('refuses state that postLoad rejects, naming the field; afterLoad does not run', () => {
    const m = goldenMachine();
    m.uart.fifoCount = 17;
    const host = exampleHost();
    const e = failure(loadStream(golden(m), host));
    expect(e).toMatchObject({ reason: 'device-state', section: 'example-uart', field: 'fifoCount' });
    expect(e.cause?.reason).toBe('post-load');
    expect(host.afterLoadCalls).toBe(0);
  });

  it('refuses a flipped data byte through the integrity section', () => {
    const bytes = golden();
    const b = bytes.slice();
    const uartAt = sectionAt(bytes, 'example-uart');
    b[uartAt + 5 + 1 + 12 + 8 + 1] ^= 0x01; // lcr: still a valid value
    const e = failure(loadStream(b, exampleHost()));
    expect(e).toMatchObject({ reason: 'integrity', section: 'tabvm/integrity', field: 'hash' });
  });

  it('refuses a flipped byte in the JSON description after EOF (integrity version 2 hashes it too)', () => {
    const b = golden().slice();
    b[String.fromCharCode(...b).lastIndexOf('"page_size"') + 3]! ^= 0x10;
    expect(failure(loadStream(b, exampleHost()))).toMatchObject({ reason: 'integrity', field: 'vmdesc_hash' });
  });

  it('refuses a configuration announcing an integrity version this build does not know', () => {
    const b = golden().slice();
    const at = String.fromCharCode(...b).indexOf(`"integrity":${CURRENT_INTEGRITY_VERSION}`);
    expect(at).toBeGreaterThan(0);
    b[at + '"integrity":'.length] = '7'.charCodeAt(0);
    expect(failure(loadStream(b, exampleHost()))).toMatchObject({ reason: 'bad-configuration', section: 'configuration' });
  });

  it('refuses bytes after the JSON description and a chunk after the end', () => {
    const bytes = golden();
    expect(failure(loadStream(concat([bytes, Uint8Array.of(0)]), exampleHost()))).toMatchObject({ reason: 'trailing-bytes', offset: bytes.length });
    const l = new StreamLoader(exampleHost());
    l.push(bytes);
    expect(l.finish().ok).toBe(true);
    expect(l.push(Uint8Array.of(1))?.reason).toBe('trailing-bytes');
  });

  it('never allocates RAM beyond the configuration: a huge MEM_SIZE is refused', () => {
    const bytes = golden();
    const b = bytes.slice();
    const startAt = String.fromCharCode(...bytes).indexOf('\u0003ram') - 5; // START type byte
    b[startAt + 1 + 4 + 4 + 4 + 4 + 2] = 0xff; // MEM_SIZE high bytes
    expect(failure(loadStream(b, exampleHost()))).toMatchObject({ reason: 'ram-size', section: 'ram' });
  });
});

group('stream round trip', () => {
  const u8 = fc.integer({ min: 0, max: 0xff });
  it('loads back exactly what was saved, for random RAM pages and device states', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 4095 }), u8), { maxLength: 40 }),
        fc.record({ ier: u8, lcr: u8, thrEmpty: fc.boolean(), fifo: fc.uint8Array({ minLength: 16, maxLength: 16 }), fifoCount: fc.integer({ min: 0, max: 16 }), scratch: fc.nat() }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.int32Array({ minLength: 64, maxLength: 64 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.uint8Array({ maxLength: 64 }),
        (writes, uart, pc, x, vlen, config) => {
          const m = createExampleMachine();
          for (const [page, at, v] of writes) m.ram[page * TARGET_PAGE_SIZE + at] = v;
          Object.assign(m.uart, uart);
          m.harts[1]!.pc = pc;
          m.harts[1]!.x.set(x);
          m.harts[1]!.vlen = vlen;
          m.queue.config = config;
          const host = exampleHost();
          expect(loadStream(golden(m), host).ok).toBe(true);
          const got = host.machine!;
          expect(got.ram.every((b, i) => b === m.ram[i])).toBe(true); // bytes: a deep toEqual over 64 KiB is slow
          expect({ ...got, ram: null }).toEqual({ ...m, ram: null });
        },
      ),
      { numRuns: 200 },
    );
  });
});

group('helpers', () => {
  it('crc32 matches the IEEE check value', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('utf8 round-trips any string and refuses malformed bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(utf8Decode(utf8Encode(s))).toBe(s);
      }),
    );
    expect(utf8Decode(Uint8Array.of(0xc0, 0x80))).toBeUndefined(); // overlong
    expect(utf8Decode(Uint8Array.of(0xe2, 0x82))).toBeUndefined(); // truncated
    expect(utf8Decode(Uint8Array.of(0xed, 0xa0, 0x80))).toBeUndefined(); // surrogate
  });
});

