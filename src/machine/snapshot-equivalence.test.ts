/**
 * The heart of snapshots (issue 4): in deterministic mode, running N instructions, saving,
 * restoring into a fresh machine and running M more must give exactly the state of running the
 * same N then M without the save/restore: every register and CSR, every device field, the
 * board, the disk overlay, all of RAM, and the console output.
 *
 * One trunk machine boots once and runs forward in random segments (fixed seed). At every
 * segment boundary it is saved; the copy restored from those bytes and the trunk then run the
 * same segment with the same calls, and must agree at its end. Boundaries fall early in
 * OpenSBI, all through the kernel's boot, at the shell prompt, while `seq 1 200` prints, after
 * a disk write (so the copy-on-write overlay is part of the state) and a few single steps.
 */
import { describe, expect, it } from 'vitest';
import { machineStateList, restoreSnapshot, saveSnapshot } from './snapshot.ts';
import { PROMPT } from './testing/default-machine.ts';
import { snapshotMachine, testRestoreHost } from './testing/snapshot-machine.ts';
import type { VirtMachine } from './virt-machine.ts';
import type { OverlayDisk } from './machine-state/disk-overlay.ts';

/** Runs in calls of at most this many instructions (both machines make the same calls). */
const CALL = 1_000_000;

/** mulberry32: a fixed-seed generator for the segment lengths. */
function rng(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    return lo + Math.floor(u * (hi - lo + 1));
  };
}

function advance(m: VirtMachine, n: number): void {
  let left = n;
  while (left > 0 && m.board.power === 'on') {
    const r = m.run(Math.min(CALL, left));
    if (r.consumed === 0) break;
    left -= r.consumed;
  }
}

/** Everything guest-visible, for toEqual: section states (board through its fields), history, overlay, derived lines. */
function visibleState(m: VirtMachine) {
  const { board } = m;
  const sections = machineStateList(m).sections.filter((s) => s.id !== 'board' && s.id !== 'disk-overlay');
  return {
    sections: sections.map((s) => [s.id, s.instanceId, s.state]),
    board: { clock: board.clock, power: board.power, exitCode: board.exitCode, consoleIn: board.consoleIn.slice(0, board.consoleInLength) },
    history: m.consoleHistory(),
    overlay: (m.disk as OverlayDisk).overlayEntries(),
    mip: m.hart.mip(),
    mtime: m.clint.mtime(),
  };
}

function sameRam(a: VirtMachine, b: VirtMachine): boolean {
  return Buffer.compare(a.ram.u8, b.ram.u8) === 0;
}

describe('snapshot equivalence (deterministic mode)', () => {
  it('save at N, restore, run M equals running N then M, at boundaries through boot, the prompt and console output', () => {
    const random = rng(0x5eed_0004);
    const { machine: trunk, console: con } = snapshotMachine();
    const cases: string[] = [];

    const segment = (m: number, label: string) => {
      const bytes = saveSnapshot(trunk);
      const host = testRestoreHost();
      const copy = restoreSnapshot(bytes, host);
      expect(visibleState(copy)).toEqual(visibleState(trunk));
      const printedBefore = con.output.length;
      const at = `${label}: N=${trunk.hart.state.instret} retired, M=${m} budget`;
      advance(trunk, m);
      advance(copy, m);
      cases.push(at);
      expect(visibleState(copy), at).toEqual(visibleState(trunk));
      expect(sameRam(copy, trunk), `${at}: RAM`).toBe(true);
      expect(String.fromCharCode(...host.output), `${at}: console`).toBe(con.output.slice(printedBefore));
    };

    // Early OpenSBI: a few thousand instructions after reset, then single steps.
    segment(random(1_000, 20_000), 'early OpenSBI');
    segment(1, 'one instruction');
    segment(random(2, 50), 'a few instructions');
    // Through the kernel's boot, in random segments, until the prompt.
    while (!con.output.includes(PROMPT)) segment(random(200_000, 3_000_000), 'boot');
    con.mark = con.output.indexOf(PROMPT) + PROMPT.length;
    // Idle at the prompt (WFI skips), then mid-output of seq.
    segment(random(100_000, 3_000_000), 'at the prompt');
    trunk.consoleInput(Uint8Array.from('seq 1 200\n', (c) => c.charCodeAt(0)));
    segment(random(1, 1000), 'input queued');
    while (!con.output.slice(con.mark).includes('200\r\n')) segment(random(2_000, 30_000), 'seq printing');
    // A disk write: the copy-on-write overlay becomes part of the state.
    trunk.consoleInput(Uint8Array.from('mount /dev/vda /mnt && echo snap > /mnt/snap.txt && sync\n', (c) => c.charCodeAt(0)));
    for (let i = 0; i < 4; i++) segment(random(1_000_000, 5_000_000), 'disk write');
    expect((trunk.disk as OverlayDisk).overlayEntries().length).toBeGreaterThan(0);
    segment(random(1_000, 100_000), 'after the write');

    expect(cases.filter((c) => c.startsWith('seq printing')).length).toBeGreaterThan(3);
    expect(cases.length).toBeGreaterThan(40);
  }, 240_000);
});

