/**
 * Golden streams (STYLE principle 12): the writer must keep producing these bytes, and these
 * bytes must keep loading. Regenerate deliberately with UPDATE_FIXTURES=1 when the format
 * changes on purpose, and keep the old files that must still load.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import { describe } from '../../vmstate/index.ts';
import { exampleMachineConfig, exampleSections, goldenMachine, type ExampleMachine, type ExampleUartState } from './fixtures/examples.ts';
import { exampleHost } from './fixtures/host.ts';
import type { IntegrityVersion } from './integrity.ts';
import { loadStream } from './loader.ts';
import { saveStreamBytes } from './save.ts';
import { deviceSection } from './section.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

function saveGolden(m: ExampleMachine, sections = exampleSections(m), integrity?: IntegrityVersion): Uint8Array {
  const r = saveStreamBytes({ blockers: [], ramBytes: m.ram, machine: exampleMachineConfig, sections, ...(integrity ? { integrity } : {}) });
  if (!r.ok) throw new Error('unexpected blockers');
  return r.bytes;
}

function matchesFixture(name: string, bytes: Uint8Array): void {
  if (process.env.UPDATE_FIXTURES === '1') writeFileSync(fixture(name), bytes);
  const stored = new Uint8Array(readFileSync(fixture(name)));
  const firstDiff = stored.findIndex((b, i) => b !== bytes[i]);
  expect({ length: bytes.length, firstDiff: stored.length === bytes.length ? firstDiff : Math.min(firstDiff, stored.length) }).toEqual({
    length: stored.length,
    firstDiff: -1,
  });
}

/** The uart as it was described at version 1, before `scratch` was added. */
const uartV1 = describe<ExampleUartState>({
  name: 'example-uart',
  version: 1,
  fields: (f) => [f.u8('ier'), f.u8('lcr'), f.bool('thrEmpty'), f.bytes('fifo'), f.u8('fifoCount')],
});

group('golden streams', () => {
  it('example-machine.bin: the writer produces the committed bytes', () => {
    matchesFixture('example-machine.bin', saveGolden(goldenMachine()));
  });

  it('example-machine.bin still loads into exactly the golden machine', () => {
    const bytes = new Uint8Array(readFileSync(fixture('example-machine.bin')));
    const host = exampleHost();
    const r = loadStream(bytes, host);
    expect(r.ok).toBe(true);
    expect(host.machine).toEqual(goldenMachine());
    expect(host.afterLoadCalls).toBe(1);
    expect(host.config?.machine).toEqual(exampleMachineConfig);
    if (r.ok) expect(r.stats).toEqual({ bytes: bytes.length, normalPages: 3, zeroPages: 13, devices: 4 });
  });

  it.each<[string, IntegrityVersion, string]>([
    ['example-machine-integrity-v3.bin', 3, 'four-lane word hash'],
    ['example-machine-integrity-v2.bin', 2, 'one-lane word hash'],
    ['example-machine-integrity-v1.bin', 1, 'CRC-32'],
  ])('%s: the writer with integrity version %i (%s) produces the committed bytes of older builds', (file, version) => {
    matchesFixture(file, saveGolden(goldenMachine(), undefined, version));
  });

  it.each([
    ['example-machine.bin', 'hash'],
    ['example-machine-integrity-v3.bin', 'hash'],
    ['example-machine-integrity-v2.bin', 'hash'],
    ['example-machine-integrity-v1.bin', 'crc32'],
  ] as const)('%s still loads into exactly the golden machine, and its %s refuses a flipped page byte', (file, field) => {
    const bytes = new Uint8Array(readFileSync(fixture(file)));
    const host = exampleHost();
    const r = loadStream(bytes, host);
    expect(r.ok).toBe(true);
    expect(host.machine).toEqual(goldenMachine());
    if (r.ok) expect(r.stats).toEqual({ bytes: bytes.length, normalPages: 3, zeroPages: 13, devices: 4 });
    const b = bytes.slice();
    const page = String.fromCharCode(...b).indexOf('tabvm.ram', String.fromCharCode(...b).indexOf('tabvm.ram') + 1) + 9;
    b[page + 100]! ^= 0x10;
    const bad = loadStream(b, exampleHost());
    expect(bad.ok ? undefined : bad.error).toMatchObject({ reason: 'integrity', field });
  });

  it('example-machine-uart-v1.bin: a stream with the older uart version still loads (scratch keeps its reset value)', () => {
    const m = goldenMachine();
    const sections = exampleSections(m);
    sections[0] = deviceSection('example-uart', 0, uartV1, m.uart);
    matchesFixture('example-machine-uart-v1.bin', saveGolden(m, sections, 1));
    const bytes = new Uint8Array(readFileSync(fixture('example-machine-uart-v1.bin')));
    const host = exampleHost();
    expect(loadStream(bytes, host).ok).toBe(true);
    const expected = goldenMachine();
    expected.uart.scratch = 0;
    expect(host.machine).toEqual(expected);
  });
});
