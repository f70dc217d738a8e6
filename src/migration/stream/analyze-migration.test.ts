/**
 * Our stream read by QEMU's own scripts/analyze-migration.py (QEMU 7.2, from Debian's qemu
 * source package; not committed). Get it with:
 *   deb-src for bookworm main, apt-get update, apt-get source --download-only qemu,
 *   tar -xJf qemu_7.2+dfsg.orig.tar.xz --wildcards '*' + '/scripts/analyze-migration.py'
 *   and copy it to /tmp/analyze-migration.py (or set ANALYZE_MIGRATION).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe as group, expect, it } from 'vitest';
import { exampleMachineConfig, exampleSections, goldenMachine } from './fixtures/examples.ts';
import { saveStreamBytes } from './save.ts';

const script = process.env.ANALYZE_MIGRATION ?? '/tmp/analyze-migration.py';
const python = spawnSync('python3', ['--version']).status === 0;
const available = python && existsSync(script);
const reason = !python ? 'python3 is not installed' : `${script} is missing (see the header of this file)`;

const dir = mkdtempSync(join(tmpdir(), 'tabvm-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const m = goldenMachine();
const saved = saveStreamBytes({ blockers: [], ramBytes: m.ram, machine: exampleMachineConfig, sections: exampleSections(m) });
const file = join(dir, 'stream.bin');
if (saved.ok) writeFileSync(file, saved.bytes);
// The same machine with only the pages holding data sent (unsentPagesAreZero), as snapshots
// and migrations of a VM that tracks never-written pages are.
const sparse = saveStreamBytes({
  blockers: [], ramBytes: m.ram, machine: exampleMachineConfig, sections: exampleSections(m), mayBeNonzero: (p) => p === 0 || p === 3 || p === 9,
});
const sparseFile = join(dir, 'sparse.bin');
if (sparse.ok) writeFileSync(sparseFile, sparse.bytes);

function run(...args: string[]): string {
  return runOn(file, dir, ...args);
}

function runOn(stream: string, cwd: string, ...args: string[]): string {
  const r = spawnSync('python3', [script, '-f', stream, ...args], { cwd, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

const hx = (n: number | bigint, bytes: number) => `0x${n.toString(16).padStart(bytes * 2, '0')}`;

group.skipIf(!available)(`analyze-migration.py${available ? '' : ` (skipped: ${reason})`}`, () => {
  it('parses the stream and prints every field with its value', () => {
    const out = JSON.parse(run()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(out)).toEqual([
      'ram (0)',
      'example-uart (1)',
      'example-hart (2)',
      'example-hart (3)',
      'example-queue (4)',
      'tabvm/integrity (5)',
    ]);
    expect(out['ram (0)']).toEqual({ 'section sizes': { 'tabvm.ram': hx(m.ram.length, 8) } });
    expect(out['example-uart (1)']).toEqual({
      ier: '0x0f',
      lcr: '0x03',
      thrEmpty: false,
      fifo: '68 69 0a 00 00 00 00 00 00 00 00 00 00 00 00 00',
      fifoCount: '0x03',
      scratch: '0xdeadbeef',
    });
    const h0 = out['example-hart (2)']!;
    expect((h0.x as string[]).length).toBe(32);
    expect((h0.x as string[])[1]).toBe('0xffffffff01010101');
    expect(h0).toMatchObject({
      pc: '0x0000000080200000',
      priv: '0x01',
      mtime: hx(2 ** 52 + 7, 8),
      timeOffset: '0xfffffffff8a432eb (-123456789)',
      fscale: 'bf e0 00 00 00 00 00 00',
      asids: ['0x0001', '0x0002', '0xffff', '0x0000'],
      pending: ['0x00000080', '0xffffffff'],
      deltas: ['0xffffffff (-1)', '0x7fffffff', '0x80000000 (-2147483648)'],
    });
    expect(h0).not.toHaveProperty('example-hart/vector');
    expect(out['example-hart (3)']!['example-hart/vector']).toEqual({
      vlen: '0x00000080',
      vregs: '11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11',
    });
    expect(out['example-queue (4)']).toEqual({
      enabled: true,
      oldCounter: '00 00 00 00',
      features: '0xffffffffffffffff',
      ring: {
        idx: '0x0002',
        descs: [
          { addr: hx(0, 8), len: hx(0, 4), flags: hx(0, 2) },
          { addr: hx(0x87654321000, 8), len: hx(512, 4), flags: hx(1, 2) },
          { addr: hx(0, 8), len: hx(0, 4), flags: hx(0, 2) },
        ],
        'descs/end': ['0x7f', '0x7f', '0x7f'],
        'example-ring/event': { eventIdx: '0x0007' },
      },
      'ring/end': '0x7f',
      'pending/len': '0x00000002',
      pending: [
        { addr: hx(0x1000, 8), len: hx(16, 4), flags: hx(2, 2) },
        { addr: hx(0x2000, 8), len: hx(32, 4), flags: hx(3, 2) },
      ],
      'pending/end': ['0x7f', '0x7f'],
      'config/len': '0x00000005',
      config: '01 02 03 04 05',
    });
    expect(Object.keys(out['tabvm/integrity (5)']!)).toEqual(['hash', 'length', 'vmdesc_hash']);
  });

  it('-d desc prints the JSON description we wrote', () => {
    const desc = JSON.parse(run('-d', 'desc'));
    const ours = saved.ok ? saved.bytes : new Uint8Array(0);
    const brace = ours.indexOf(0x7b, ours.lastIndexOf(0));
    expect(desc).toEqual(JSON.parse(String.fromCharCode(...ours.subarray(brace))));
    expect(desc.page_size).toBe(4096);
    expect(desc.devices.map((d: { name: string }) => d.name)).toContain('example-queue');
  });

  it('-x extracts the RAM block byte for byte, zero pages included', () => {
    expect(run('-x').split('\n')).toEqual(['desc.json', 'tabvm.ram', 'state.json', '']);
    const ram = new Uint8Array(readFileSync(join(dir, 'tabvm.ram')));
    expect(ram.length).toBe(m.ram.length);
    expect(ram.every((b, i) => b === m.ram[i])).toBe(true);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(state['example-uart (1)'].scratch).toBe('0xdeadbeef');
  });

  it('-x extracts the same RAM from a stream that leaves out never-written pages', () => {
    const out = mkdtempSync(join(dir, 'sparse-'));
    runOn(sparseFile, out, '-x');
    const ram = new Uint8Array(readFileSync(join(out, 'tabvm.ram')));
    expect(sparse.ok && sparse.bytes.length).toBeLessThan(saved.ok ? saved.bytes.length : 0);
    expect(ram.length).toBe(m.ram.length);
    expect(ram.every((b, i) => b === m.ram[i])).toBe(true);
  });
});
