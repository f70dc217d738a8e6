/**
 * Live migration of a running Linux VM (64 MiB, deterministic mode, the back-to-back driver):
 * mid-boot, at the prompt, while a guest program rewrites megabytes; the migrated VM ends in
 * exactly the state of a run that never migrated; 20 migrations back and forth; faults at
 * every phase leave the VM running on the source with its console intact.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isMoved, machineSourceVm } from './machine.ts';
import { MessageKind } from './protocol.ts';
import { migrateSync, type SyncOptions, type WireVerdict } from './sync.ts';
import {
  bootSnapshots,
  firstDiff,
  recordingDestination,
  restoreLinux,
  runBudgets,
  runUntilText,
  stateBytes,
  text,
  typeLine,
  type LinuxVm,
} from './testing/linux-vm.ts';

let snaps: { midBoot: Uint8Array; prompt: Uint8Array };

beforeAll(() => {
  snaps = bootSnapshots(64, 12_000_000);
});

/** A workload that keeps building multi-MiB strings (awk doubling), then prints DONE. */
const REWRITE = `awk 'BEGIN{for(r=0;r<3;r++){s="x" r; while(length(s)<2097152) s=s s}; print "DO" "NE"}'`;

function migrateLinux(src: LinuxVm, extra: Partial<SyncOptions> & { refuse?: string; wire?: SyncOptions['wire'] } = {}) {
  const budgets: number[] = [];
  const dest = recordingDestination(extra.refuse);
  const result = migrateSync(machineSourceVm(src.machine), dest, {
    instructionsPerStep: 1_000_000,
    runGuest: (n) => {
      budgets.push(n);
      src.machine.run(n);
    },
    batchBytes: 4 << 20,
    ...extra,
  });
  return { budgets, result, dest };
}

/** Runs `after` on the migrated VM and on a reference that replays the source's budgets, then compares everything. */
function expectSameAsReference(start: Uint8Array, pre: number[], migrated: LinuxVm, sourceOut: readonly number[], during: number[], after: number[]) {
  const ref = restoreLinux(start);
  runBudgets(ref.machine, [...pre, ...during, ...after]);
  runBudgets(migrated.machine, after);
  expect(firstDiff(stateBytes(migrated.machine), stateBytes(ref.machine))).toBe(-1);
  expect(text([...sourceOut, ...migrated.out])).toBe(text(ref.out));
  return ref;
}

describe('live migration of Linux (deterministic)', () => {
  it('mid-boot: the migrated VM matches a run that never migrated, and boots on to the prompt', () => {
    const src = restoreLinux(snaps.midBoot);
    const pre = [3_000_000];
    runBudgets(src.machine, pre);
    const { budgets, result, dest } = migrateLinux(src);
    expect(result.stats.status).toBe('completed');
    expect(isMoved(src.machine)).toBe(true);
    const moved = dest.vmOf(result.machine!);
    // The console history travels with the VM: the destination shows what was printed before.
    const history = text([...moved.machine.consoleHistory()]);
    expect(history).toBe(text([...src.machine.consoleHistory()]));
    expect(history.endsWith(text(src.out))).toBe(true);
    expect(history).toContain('OpenSBI');
    expectSameAsReference(snaps.midBoot, pre, moved, src.out, budgets, [5_000_000, 5_000_000]);
    runUntilText(moved, '~ # ', 0);
  });

  it('at the prompt, while a guest program rewrites megabytes: same state as without migrating, and the program finishes', () => {
    const src = restoreLinux(snaps.prompt);
    typeLine(src.machine, REWRITE);
    const pre = [20_000_000];
    runBudgets(src.machine, pre);
    src.machine.ram.clearDirty();
    const { budgets, result, dest } = migrateLinux(src, { downtimeLimitMs: 5 });
    expect(result.stats.status).toBe('completed');
    // The guest kept writing during pre-copy: later iterations found dirty pages again.
    expect(result.stats.ram['dirty-sync-count']).toBeGreaterThan(1);
    expect(result.stats.iterations.slice(1).some((i) => i.pagesDirtied > 100)).toBe(true);
    const moved = dest.vmOf(result.machine!);
    const ref = restoreLinux(snaps.prompt);
    typeLine(ref.machine, REWRITE);
    runBudgets(ref.machine, [...pre, ...budgets, 10_000_000]);
    runBudgets(moved.machine, [10_000_000]);
    expect(firstDiff(stateBytes(moved.machine), stateBytes(ref.machine))).toBe(-1);
    expect(text([...src.out, ...moved.out])).toBe(text(ref.out));
    runUntilText(moved, 'DONE\r\n', 0);
  });

  it('migrates back and forth 20 times and still runs the same guest', () => {
    let vm = restoreLinux(snaps.prompt);
    typeLine(vm.machine, 'i=0; while [ $i -lt 4000 ]; do i=$((i+1)); done; echo LOOP$i');
    const all: number[] = [];
    const printed: number[] = [];
    for (let k = 0; k < 20; k++) {
      const step = [500_000];
      runBudgets(vm.machine, step);
      all.push(...step);
      const { budgets, result, dest } = migrateLinux(vm, { instructionsPerStep: 200_000 });
      expect(result.stats.status, `migration ${k}`).toBe('completed');
      all.push(...budgets);
      printed.push(...vm.out);
      vm = dest.vmOf(result.machine!);
    }
    const ref = restoreLinux(snaps.prompt);
    typeLine(ref.machine, 'i=0; while [ $i -lt 4000 ]; do i=$((i+1)); done; echo LOOP$i');
    runBudgets(ref.machine, all);
    expect(firstDiff(stateBytes(vm.machine), stateBytes(ref.machine))).toBe(-1);
    expect(text([...printed, ...vm.out])).toBe(text(ref.out));
    // How far the loop got during the 20 migrations depends on how many steps they took.
    runUntilText(vm, 'LOOP4000', 0, 200_000_000);
  });
});

/** A fault at one message: the direction, the index (or a predicate) and what happens to it. */
interface Fault {
  readonly name: string;
  readonly refuse?: string;
  readonly at?: (m: Uint8Array, to: 'destination' | 'source', index: number, kinds: number[]) => boolean;
  readonly verdict?: (m: Uint8Array) => WireVerdict;
  /** The fault must strike after at least this many dirty-map syncs. */
  readonly minIterations?: number;
}

const corrupt = (m: Uint8Array): Uint8Array => {
  const bad = m.slice();
  bad[Math.min(bad.length - 1, 1 + (bad.length >>> 1))]! ^= 0x40;
  return bad;
};

describe('faults at every phase (deterministic): the source keeps the VM, the console loses and repeats nothing', () => {
  // Message kinds to the destination of a clean run from the same state, to aim at phases.
  const faults: Fault[] = [
    { name: 'setup: the destination refuses', refuse: 'this tab cannot hold 64 MiB more' },
    { name: 'setup: the channel closes at the configuration', at: (_m, to, i) => to === 'destination' && i === 1, verdict: () => 'close' },
    { name: 'setup: the ACCEPT is corrupted', at: (m, to) => to === 'source' && m[0] === MessageKind.ACCEPT, verdict: () => Uint8Array.of(0x7f) },
    { name: 'iteration 1: a chunk is corrupted', at: (_m, to, i) => to === 'destination' && i === 5, verdict: corrupt },
    { name: 'iteration 1: the destination dies (channel closes)', at: (_m, to, i) => to === 'destination' && i === 12, verdict: () => 'close' },
    {
      name: 'a later iteration: a chunk is corrupted',
      at: (_m, to, i) => to === 'destination' && i === probe1 + 2,
      verdict: corrupt,
      minIterations: 2,
    },
    {
      name: 'stop-and-copy: the device sections are corrupted',
      at: (_m, to, i, kinds) => to === 'destination' && i === kinds.lastIndexOf(MessageKind.DATA) - 1,
      verdict: corrupt,
    },
    {
      name: 'stop-and-copy: the integrity section is corrupted',
      at: (_m, to, i, kinds) => to === 'destination' && i === kinds.lastIndexOf(MessageKind.DATA),
      verdict: (m) => {
        const bad = m.slice();
        bad[12]! ^= 0x01;
        return bad;
      },
    },
    { name: 'before the acknowledgement: the channel closes after END', at: (m, to) => to === 'destination' && m[0] === MessageKind.END, verdict: () => 'close' },
    { name: 'before the acknowledgement: LOADED is lost (timeout)', at: (m, to) => to === 'source' && m[0] === MessageKind.LOADED, verdict: () => 'drop' },
    { name: 'before the acknowledgement: LOADED is corrupted', at: (m, to) => to === 'source' && m[0] === MessageKind.LOADED, verdict: corrupt },
  ];

  /**
   * Low enough that the rewriting guest needs several iterations (the first pass sends only
   * the pages that may be nonzero, so it is short), so that faults land in later ones too.
   */
  const FAULT_DOWNTIME_MS = 0.3;
  const kinds: number[] = [];
  /** Messages delivered when the first iteration ended (its last batch is still to come). */
  let probe1 = 0;
  beforeAll(() => {
    const probe = restoreLinux(snaps.prompt);
    typeLine(probe.machine, REWRITE);
    runBudgets(probe.machine, [20_000_000]);
    const r = migrateLinux(probe, {
      downtimeLimitMs: FAULT_DOWNTIME_MS,
      wire: (m, to) => (to === 'destination' && kinds.push(m[0]!), m),
      onEvent: (e) => {
        if (e.type === 'iteration' && e.record.iteration === 1) probe1 = kinds.length;
      },
    });
    expect(r.result.stats.iterations.length).toBeGreaterThan(2);
    expect(kinds.filter((k) => k === MessageKind.DATA).length).toBeGreaterThan(20);
  });

  for (const f of faults) {
    it(f.name, () => {
      const src = restoreLinux(snaps.prompt);
      typeLine(src.machine, REWRITE);
      const pre = [20_000_000];
      runBudgets(src.machine, pre);
      let hit = false;
      const { budgets, result, dest } = migrateLinux(src, {
        refuse: f.refuse,
        replyTimeoutMs: 100,
        downtimeLimitMs: FAULT_DOWNTIME_MS,
        wire: (m, to, i) => {
          if (f.at && !hit && f.at(m, to, i, kinds)) {
            hit = true;
            return f.verdict!(m);
          }
          return m;
        },
      });
      expect(hit || f.refuse !== undefined).toBe(true);
      expect(result.stats.status).toBe('failed');
      expect(result.stats.ram['dirty-sync-count']).toBeGreaterThanOrEqual(f.minIterations ?? 0);
      expect(isMoved(src.machine)).toBe(false);
      // The destination never got a machine to run; whatever it built was discarded.
      expect(result.machine).toBeUndefined();
      expect(dest.discarded).toEqual(dest.built.map((b) => b.machine));
      // The source resumes: the same state and console as a run that never tried to migrate.
      const after = [10_000_000];
      runBudgets(src.machine, after);
      const ref = restoreLinux(snaps.prompt);
      typeLine(ref.machine, REWRITE);
      runBudgets(ref.machine, [...pre, ...budgets, ...after]);
      expect(firstDiff(stateBytes(src.machine), stateBytes(ref.machine))).toBe(-1);
      expect(text(src.out)).toBe(text(ref.out));
    });
  }
});
