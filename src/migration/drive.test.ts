/**
 * The asynchronous drivers over the in-memory channel pair. The guest keeps running between
 * pre-copy rounds; cancel and a closing channel leave the VM with the source. The same drivers
 * over the transport layer's worker_threads channel, with guest-time continuity, are tested in
 * src/transport/migrate-linux.test.ts (transport sits above migration).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveMigration, startMigration } from './drive.ts';
import { memoryChannelPair } from './testing/memory-channel.ts';
import { bootSnapshots, migrateLinuxOver } from './testing/linux-vm.ts';
import { toyHost, toyVm } from './testing/toy-vm.ts';
import { wallClockHooks } from './testing/wall-clock-hooks.ts';

const hooks = wallClockHooks;

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

  it('moves Linux over the in-memory channel too', async () => {
    const { stats, r } = await migrateLinuxOver(memoryChannelPair(), snaps.prompt, hooks);
    expect(stats.status).toBe('completed');
    expect(r.ok).toBe(true);
  });
});
