/**
 * saveSnapshot / restoreSnapshot contracts: blockers refuse a save with their reasons; a host
 * without the snapshot's images is refused before anything is built; impossible device state
 * is refused naming the device and field; the restored machine is a copy, not an alias.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlockBackend } from '../devices/virtio-blk/memory-backend.ts';
import { loadStream, StreamError } from '../migration/stream/index.ts';
import { MiB } from './config.ts';
import { migrationBlockers, restoreLoadHost, restoreSnapshot, saveSnapshot, SnapshotError } from './snapshot.ts';
import { defaultImages } from './testing/default-machine.ts';
import { snapshotConfig, snapshotMachine, testRestoreHost } from './testing/snapshot-machine.ts';
import { VirtMachine } from './virt-machine.ts';

const small = () => snapshotMachine({ ramSize: 16 * MiB });

function restoreError(bytes: Uint8Array, host = testRestoreHost()): SnapshotError {
  try {
    restoreSnapshot(bytes, host);
  } catch (e) {
    if (e instanceof SnapshotError) return e;
    throw e;
  }
  throw new Error('restore succeeded');
}

describe('snapshots', () => {
  it('a restored machine continues from the saved state, with its own RAM and state objects', () => {
    const { machine } = small();
    machine.run(5_000_000);
    const copy = restoreSnapshot(saveSnapshot(machine), testRestoreHost());
    expect(copy.hart.state).toEqual(machine.hart.state);
    expect(copy.hart.state === machine.hart.state).toBe(false);
    expect(copy.ram.u8 === machine.ram.u8).toBe(false);
    expect(Buffer.compare(copy.ram.u8, machine.ram.u8)).toBe(0);
    expect(copy.consoleHistory()).toEqual(machine.consoleHistory());
    expect(copy.consoleHistory().length).toBeGreaterThan(100); // OpenSBI's banner
  });

  it('leaves out never-written pages (the stream says so) and the restore has zeros there', () => {
    const { machine } = small();
    machine.run(5_000_000);
    const bytes = saveSnapshot(machine);
    const written = machine.ram.written.reduce((n, w, p) => n + (w !== 0 || machine.ram.dirty[p] !== 0 ? 1 : 0), 0);
    const pages = machine.ram.pages;
    expect(written).toBeLessThan(pages / 2);
    const h = restoreLoadHost(testRestoreHost());
    const r = loadStream(bytes, h.loadHost);
    if (!r.ok) throw r.error;
    expect(r.config.unsentPagesAreZero).toBe(true);
    expect(r.stats.normalPages + r.stats.zeroPages).toBe(written);
    const copy = h.machine()!;
    expect(Buffer.compare(copy.ram.u8, machine.ram.u8)).toBe(0);
  });

  it('a disk written in place, or without a sha256 identity, blocks the save with the reason', () => {
    const img = defaultImages();
    const inPlace = new VirtMachine(
      snapshotConfig({ ramSize: 16 * MiB }),
      { firmware: img.firmware, kernel: img.kernel, initrd: img.initrd },
      { consoleOut: () => {}, disk: new MemoryBlockBackend(img.disk.slice()) },
    );
    expect(migrationBlockers(inPlace).map((b) => b.reason)).toEqual([expect.stringContaining('written in place')]);
    expect(() => saveSnapshot(inPlace)).toThrow(SnapshotError);
    try {
      saveSnapshot(inPlace);
    } catch (e) {
      expect(e instanceof SnapshotError && e.reason === 'blocked' && e.blockers.length === 1).toBe(true);
    }
    const config = snapshotConfig({ ramSize: 16 * MiB });
    const unnamed = new VirtMachine(
      { ...config, images: { ...config.images, disk: { name: 'disk.img', bytes: img.disk.length } } },
      { firmware: img.firmware, kernel: img.kernel, initrd: img.initrd },
      { consoleOut: () => {}, disk: new MemoryBlockBackend(img.disk, { copyOnWrite: true }) },
    );
    expect(migrationBlockers(unnamed).map((b) => b.reason)).toEqual([expect.stringContaining('no sha256')]);
  });

  it('a host without the same images is refused before a machine is built', () => {
    const bytes = saveSnapshot(small().machine);
    const host = testRestoreHost();
    const other = { ...host, images: { ...host.images, kernel: { bytes: host.images.kernel!.bytes, id: { ...host.images.kernel!.id, sha256: '0'.repeat(64) } } } };
    const e = restoreError(bytes, other);
    expect(e.reason).toBe('refused');
    expect(e.message).toContain('kernel image Image is not the snapshot');
    const missing = restoreError(bytes, { ...host, images: { ...host.images, disk: undefined } });
    expect(missing.message).toContain('needs the disk image disk.img');
  });

  it.each([
    ['uart16550', 'rxCount', (m: VirtMachine) => (m.uart.state.rxCount = 17)],
    ['plic', 'priority[10]', (m: VirtMachine) => (m.plic.state.priority[10] = 9)],
    ['virtio-mmio', 'queueNum[0]', (m: VirtMachine) => (m.virtio[0]!.state.queueNum[0] = 100)],
    ['hart', 'priv', (m: VirtMachine) => (m.hart.state.priv = 2)],
    ['clint', 'msip[0]', (m: VirtMachine) => (m.clint.state.msip[0] = 3)],
  ])('impossible %s state is refused naming the field %s', (device, field, spoil) => {
    const { machine } = small();
    spoil(machine);
    const e = restoreError(saveSnapshot(machine));
    expect(e.reason).toBe('stream');
    expect(e.stream).toBeInstanceOf(StreamError);
    expect(e.stream!.reason).toBe('device-state');
    expect(e.stream!.section).toBe(device);
    expect(e.stream!.field).toBe(field);
  });

  it('truncated or foreign bytes give a typed error, never an exception of another kind', () => {
    const bytes = saveSnapshot(small().machine);
    for (const bad of [new Uint8Array(0), bytes.subarray(0, 100), bytes.subarray(0, bytes.length - 1), new TextEncoder().encode('not a snapshot')]) {
      expect(restoreError(bad).reason).toBe('stream');
    }
  });
});
