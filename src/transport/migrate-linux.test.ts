/**
 * The migration drivers over this layer's Node worker_threads MessagePort channel: Linux moves,
 * its console continues there, guest time continues without a jump and a pending timer fires
 * at the same guest time. (An integration test of migration over a transport: it lives here,
 * above both layers.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isMoved } from '../migration/machine.ts';
import { bootSnapshots, migrateLinuxOver, restoreLinux, runBudgets, runUntilText, text, typeLine } from '../migration/testing/linux-vm.ts';
import { wallClockHooks } from '../migration/testing/wall-clock-hooks.ts';
import { nodeChannelPair } from './node-worker.ts';

const hooks = wallClockHooks;

let snaps: { midBoot: Uint8Array; prompt: Uint8Array };
beforeAll(() => {
  snaps = bootSnapshots(64, 1);
});

describe('live migration over worker_threads', () => {
  it('moves Linux over the Node worker_threads transport; the console continues there and the timer fires on time', async () => {
    const { src, stats, r, dest } = await migrateLinuxOver(nodeChannelPair(), snaps.prompt, hooks);
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

  it('sends DATA in buffers the destination handed back, and the VM arrives intact', async () => {
    const [a, b] = nodeChannelPair();
    const { src, stats, r } = await migrateLinuxOver([a, b], snaps.prompt, hooks);
    expect(stats.status).toBe('completed');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 64 MiB idle at the prompt: a few MiB in ~512 KiB messages, most of them in reused buffers.
    expect(b.stats.buffersReturned).toBeGreaterThan(3);
    expect(a.stats.buffersReused).toBeGreaterThan(3);
    const moved = r.machine.ram.u8;
    const original = src.machine.ram.u8;
    let diff = -1;
    for (let i = 0; i < original.length && diff < 0; i++) if (moved[i] !== original[i]) diff = i;
    expect(diff).toBe(-1);
  });
});
