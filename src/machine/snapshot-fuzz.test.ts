/**
 * Loader fuzz on real snapshots: every truncation and thousands of byte flips either restore
 * exactly the saved machine or fail with the loader's typed error (SnapshotError carrying a
 * StreamError); any other exception fails the test.
 *
 * The machine is a 16 MiB VM (the smallest the board allows) booted to the shell prompt,
 * with a file written to its disk (so the copy-on-write overlay is in the snapshot). A restore parses all of RAM before
 * the device sections, so cuts and flips at every byte of the configuration and device
 * sections run on the same snapshot written with zero RAM (same configuration, same device
 * bytes, framing and integrity section; the zero pages cost a flag each). The full snapshot
 * itself gets truncations every few KiB through RAM and random flips anywhere. Inside the
 * payloads every 16th cut is taken in the console history and every 1024th in the overlay's
 * 64 KiB chunks.
 */
import { describe, expect, it } from 'vitest';
import { inspectStream as inspect, saveStreamBytes, StreamError } from '../migration/stream/index.ts';
import { MiB } from './config.ts';
import type { OverlayDisk } from './machine-state/disk-overlay.ts';
import { machineConfiguration, machineStateList, restoreSnapshot, saveSnapshot, SnapshotError } from './snapshot.ts';
import { PROMPT } from './testing/default-machine.ts';
import { snapshotMachine, testRestoreHost } from './testing/snapshot-machine.ts';
import type { VirtMachine } from './virt-machine.ts';

function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}

function visibleState(m: VirtMachine) {
  const b = m.board;
  return {
    sections: machineStateList(m)
      .sections.filter((s) => s.id !== 'board' && s.id !== 'disk-overlay')
      .map((s) => [s.id, s.instanceId, s.state]),
    board: { clock: b.clock, power: b.power, exitCode: b.exitCode, consoleIn: b.consoleIn.slice(0, b.consoleInLength) },
    history: m.consoleHistory(),
    overlay: (m.disk as OverlayDisk).overlayEntries(),
  };
}

/** Section start offsets from the dump: [offset, label] in stream order. */
function regions(bytes: Uint8Array): { at: number; label: string }[] {
  const out: { at: number; label: string }[] = [];
  // inspectStream prints "@<offset> <what>" for every section it walks.
  for (const line of inspect(bytes).split('\n')) {
    const m = /^@(\d+) (.*)$/.exec(line);
    if (m) out.push({ at: Number(m[1]), label: m[2]! });
  }
  return out;
}

/** [start, end) of each overlay chunk's bytes: section header, u32 count, then per chunk u32 index, u32 length, bytes, end marker. */
function overlayPayloads(bytes: Uint8Array, section: number): [number, number][] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = section + 1 + 4;
  at += 1 + bytes[at]! + 4 + 4;
  const count = dv.getUint32(at);
  at += 4;
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const len = dv.getUint32(at + 4);
    out.push([at + 8, at + 8 + len]);
    at += 8 + len + 1;
  }
  return out;
}

function historyPayload(bytes: Uint8Array, from: number): [number, number] {
  const hist = machineHistory;
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(Buffer.from(hist), from);
  if (at < 0) throw new Error('history not found');
  return [at, at + hist.length];
}

let machineHistory: Uint8Array = new Uint8Array(0);

type Outcome = 'identical' | 'refused';

describe('snapshot loader fuzz', () => {
  const { machine, console: con } = snapshotMachine({ ramSize: 16 * MiB });
  con.runUntil(PROMPT, 400_000_000);
  con.command('mount /dev/vda /mnt && echo fuzz > /mnt/f && sync');
  const expected = visibleState(machine);
  machineHistory = machine.consoleHistory();
  const full = saveSnapshot(machine);
  const list = machineStateList(machine);
  const zeroRam = new Uint8Array(machine.ram.size);
  const small = saveStreamBytes({ blockers: [], ramBytes: zeroRam, machine: machineConfiguration(machine, list.sections), sections: list.sections });
  if (!small.ok) throw new Error('blocked');
  const host = testRestoreHost();

  /** Restores `bytes`; a success must equal the saved machine (RAM: `ram`). */
  function attempt(bytes: Uint8Array, ram: Uint8Array, what: string): Outcome {
    let m: VirtMachine;
    try {
      m = restoreSnapshot(bytes, host);
    } catch (e) {
      if (e instanceof SnapshotError && e.stream instanceof StreamError) return 'refused';
      throw new Error(`${what}: not the loader's error: ${String(e)}`, { cause: e });
    }
    expect(visibleState(m), what).toEqual(expected);
    expect(Buffer.compare(m.ram.u8, ram), `${what}: RAM`).toBe(0);
    return 'identical';
  }

  it('the snapshots restore the machine, and the zero-RAM variant has the same sections', () => {
    expect(attempt(full, machine.ram.u8, 'full')).toBe('identical');
    expect(attempt(small.bytes, zeroRam, 'zero RAM')).toBe('identical');
    expect((machine.disk as OverlayDisk).overlayEntries().length).toBeGreaterThan(0);
  });

  it('refuses every truncation of the configuration and device sections', () => {
    const bytes = small.bytes;
    const r = regions(bytes);
    const ramEnd = r.find((x) => x.label.startsWith('FULL'))!.at;
    const vmdesc = r.find((x) => x.label.startsWith('VMDESCRIPTION'))!.at;
    const ramStart = r.find((x) => x.label.includes('"ram"'))!.at;
    // Payloads are sampled: every 16th cut inside the console history, every 1024th inside overlay chunks.
    const overlay = overlayPayloads(bytes, r.find((x) => x.label.startsWith('FULL') && x.label.includes('"disk-overlay"'))!.at);
    const history = historyPayload(bytes, ramEnd);
    const payloads: [number, number, number][] = [...overlay.map(([a, b]) => [a, b, 1024] as [number, number, number]), [...history, 16]];
    const inPayload = (i: number) => payloads.some(([a, b, k]) => i >= a && i < b && (i - a) % k !== 0);
    const cuts: number[] = [];
    for (let i = 0; i < ramStart + 128; i++) cuts.push(i); // header, configuration, RAM START and the first record
    for (let i = ramStart + 128; i < ramEnd; i += 4099) cuts.push(i); // zero-page records
    for (let i = ramEnd; i < vmdesc + 16; i++) if (!inPayload(i)) cuts.push(i);
    for (let i = vmdesc + 16; i < bytes.length; i += 97) cuts.push(i);
    for (const cut of cuts) expect(attempt(bytes.subarray(0, cut), zeroRam, `cut at ${cut}`), `cut at ${cut}`).toBe('refused');
    expect(cuts.length).toBeGreaterThan(2500);
  }, 300_000);

  it('byte flips in the configuration and device sections: identical or refused', () => {
    const bytes = small.bytes;
    const r = regions(bytes);
    const config = r.find((x) => x.label.startsWith('CONFIGURATION'))!.at;
    const ramStart = r.find((x) => x.label.includes('"ram"'))!.at;
    const devices = r.find((x) => x.label.startsWith('FULL'))!.at;
    const random = rng(0xf122);
    const counts = { identical: 0, refused: 0 };
    for (let i = 0; i < 2000; i++) {
      // Half the flips in the configuration, half from the first device section to the end.
      const at = i % 2 === 0 ? config + random(ramStart - config) : devices + random(bytes.length - devices);
      const bad = bytes.slice();
      bad[at] ^= 1 << random(8);
      counts[attempt(bad, zeroRam, `flip at ${at}`)]++;
    }
    expect(counts.refused).toBeGreaterThan(1000);
  }, 300_000);

  it('the full snapshot: truncations through RAM and random flips anywhere', () => {
    const random = rng(0xf1ee);
    const step = Math.ceil(full.length / 150);
    for (let cut = 0; cut < full.length; cut += step + random(64)) expect(attempt(full.subarray(0, cut), machine.ram.u8, `cut ${cut}`)).toBe('refused');
    const counts = { identical: 0, refused: 0 };
    for (let i = 0; i < 150; i++) {
      const bad = full.slice();
      const at = random(full.length);
      bad[at] ^= 1 << random(8);
      counts[attempt(bad, machine.ram.u8, `flip at ${at}`)]++;
    }
    expect(counts.refused).toBeGreaterThan(100);
  }, 300_000);
});
