/**
 * The asynchronous drivers over real channels: the in-memory pair and the transport layer's
 * Node worker_threads MessagePort channel. The guest keeps running between pre-copy rounds;
 * cancel and a closing channel leave the VM with the source; guest time continues on the
 * destination without a jump and a pending timer fires at the same guest time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeChannelPair } from '../transport/node-worker.ts';
import type { MigrationChannel } from './channel.ts';
import { receiveMigration, startMigration, type DriverHooks } from './drive.ts';
import { isMoved, machineSourceVm } from './machine.ts';
import { memoryChannelPair } from './testing/memory-channel.ts';
import { bootSnapshots, recordingDestination, restoreLinux, runBudgets, runUntilText, text, typeLine } from './testing/linux-vm.ts';
import { toyHost, toyVm } from './testing/toy-vm.ts';

const hooks: DriverHooks = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

let snaps: { midBoot: Uint8Array; prompt: Uint8Array };
beforeAll(() => {
  snaps = bootSnapshots(64, 1);
});

describe('async drivers', () => {
  it('migrates the example VM over the in-memory channel while the guest runs between rounds', async () => {
    const [a, b] = memoryChannelPair({ windowBytes: 64 << 10 });
    const vm = toyVm(512);
    const host = toyHost();
    let slices = 0;
    const got = receiveMigration(b, host, {}, hooks);
    const run = startMigration(vm, a, { batchBytes: 32 << 12 }, { ...hooks, runGuest: () => (slices++, vm.write(5)) });
    const stats = await run.done;
    const r = await got;
    expect(stats.status).toBe('completed');
    expect(slices).toBeGreaterThan(3);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Buffer.compare(r.machine.ram, vm.machine.ram)).toBe(0);
  });

  it('cancel() before LOADED: the source keeps the VM, the destination discards', async () => {
    const [a, b] = memoryChannelPair();
    const vm = toyVm(2048);
    const host = toyHost();
    const got = receiveMigration(b, host, {}, hooks);
    let slices = 0;
    const run = startMigration(vm, a, { batchBytes: 16 << 12 }, {
      ...hooks,
      runGuest: () => {
        if (++slices === 5) run.cancel('the user changed their mind');
      },
    });
    const stats = await run.done;
    expect(stats.status).toBe('cancelled');
    expect(vm.released).toBe(false);
    const r = await got;
    expect(r).toEqual({ ok: false, reason: 'source cancelled: the user changed their mind' });
    expect(host.discarded).toEqual(host.built);
  });

  it('a destination that dies mid-stream (its channel closes): the source resumes', async () => {
    const [a, b] = memoryChannelPair({ tap: (m, from, i) => (from === 'a' && i === 20 ? 'close' : m) });
    const vm = toyVm(2048);
    void receiveMigration(b, toyHost(), {}, hooks);
    const stats = await startMigration(vm, a, { batchBytes: 16 << 12 }, { ...hooks, runGuest: () => vm.write(1) }).done;
    expect(stats.status).toBe('failed');
    expect(stats['error-desc']).toMatch(/channel closed/);
    expect(vm.released).toBe(false);
  });

  async function linuxOver(pair: [MigrationChannel, MigrationChannel]) {
    const src = restoreLinux(snaps.prompt);
    typeLine(src.machine, 'sleep 1; echo WO""KE');
    runBudgets(src.machine, [5_000_000]);
    const dest = recordingDestination();
    const got = receiveMigration(pair[1], dest, {}, hooks);
    const stats = await startMigration(machineSourceVm(src.machine), pair[0], {}, { ...hooks, runGuest: () => void src.machine.run(200_000) }).done;
    const r = await got;
    pair[0].close('done');
    return { src, stats, r, dest };
  }

  it('moves Linux over the Node worker_threads transport; the console continues there and the timer fires on time', async () => {
    const { src, stats, r, dest } = await linuxOver(nodeChannelPair());
    expect(stats.status).toBe('completed');
    expect(isMoved(src.machine)).toBe(true);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const moved = dest.vmOf(r.machine);
    // Guest time continues from where the source paused (no jump), and so do the timers.
    const pausedAt = src.machine.clock.now();
    expect(moved.machine.clock.now()).toBe(pausedAt);
    expect(moved.machine.clint.state.mtimecmp).toEqual(src.machine.clint.state.mtimecmp);
    expect(moved.machine.hart.state.instret).toBe(src.machine.hart.state.instret);
    // A reference that keeps running the source state prints WOKE at the same guest time.
    const wokeAt = (vm: typeof moved) => {
      runUntilText(vm, 'WOKE', 0, 2_000_000_000, 100_000);
      return vm.machine.clock.now();
    };
    const ref = restoreLinux(snaps.prompt);
    typeLine(ref.machine, 'sleep 1; echo WO""KE');
    runBudgets(ref.machine, [5_000_000]);
    // The source ran a host-dependent number of instructions before stop: replay them by instret.
    while (ref.machine.hart.state.instret < src.machine.hart.state.instret) ref.machine.run(1);
    expect(ref.machine.hart.state.instret).toBe(src.machine.hart.state.instret);
    const tMoved = wokeAt(moved);
    expect(Math.abs(tMoved - wokeAt(ref))).toBeLessThanOrEqual(100_000 / moved.machine.config.instructionsPerTick);
    expect(text(moved.out)).toContain('WOKE');
  });

  it('moves Linux over the in-memory channel too', async () => {
    const { stats, r } = await linuxOver(memoryChannelPair());
    expect(stats.status).toBe('completed');
    expect(r.ok).toBe(true);
  });
});
