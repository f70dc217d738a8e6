/**
 * Ram.written + Ram.dirty must cover every page that holds a non-zero byte: migration sends a
 * page in neither map as zero without reading it. Every path that writes guest RAM is checked
 * here by running Linux (hart stores, page-table A/D updates, virtio DMA), loading images,
 * rebooting, and restoring a snapshot.
 */
import { describe, expect, it } from 'vitest';
import type { Ram } from '../core/bus/ram.ts';
import { MiB } from './config.ts';
import { restoreSnapshot, saveSnapshot } from './snapshot.ts';
import { PROMPT } from './testing/default-machine.ts';
import { snapshotMachine, testRestoreHost } from './testing/snapshot-machine.ts';

/** Pages in neither map that hold a non-zero byte (must be none), and how many pages are known zero. */
function audit(ram: Ram): { uncovered: number[]; knownZero: number } {
  const words = ram.i32;
  const uncovered: number[] = [];
  let knownZero = 0;
  for (let p = 0; p < ram.pages; p++) {
    if (ram.dirty[p] !== 0 || ram.written[p] !== 0) continue;
    knownZero++;
    for (let i = p * 1024; i < (p + 1) * 1024; i++) {
      if (words[i] !== 0) {
        uncovered.push(p);
        break;
      }
    }
  }
  return { uncovered, knownZero };
}

describe('known-zero pages (Ram.written)', () => {
  it('cover every written page through loading, booting to the prompt, clearing, typing, restoring and rebooting', () => {
    const { machine, console } = snapshotMachine({ ramSize: 64 * MiB });
    const fresh = audit(machine.ram);
    expect(fresh.uncovered).toEqual([]);
    // Only the images' pages are marked on a fresh machine.
    expect(fresh.knownZero).toBeGreaterThan(machine.ram.pages / 2);

    console.runUntil(PROMPT, 200_000_000, 1_000_000);
    expect(audit(machine.ram).uncovered).toEqual([]);
    machine.ram.clearDirty();
    console.type('for i in 1 2 3; do echo $i > /tmp/f$i; done; cat /tmp/f2\n');
    console.runUntil('2\r\n', 100_000_000, 100_000);
    const booted = audit(machine.ram);
    expect(booted.uncovered).toEqual([]);
    expect(booted.knownZero).toBeGreaterThan(0);

    const copy = restoreSnapshot(saveSnapshot(machine), testRestoreHost());
    const restored = audit(copy.ram);
    expect(restored.uncovered).toEqual([]);
    // The restore marks only the pages that arrived with data.
    expect(restored.knownZero).toBeGreaterThanOrEqual(booted.knownZero);

    copy.reboot();
    expect(audit(copy.ram).uncovered).toEqual([]);
  });
});
