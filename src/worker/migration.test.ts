/**
 * Migration and snapshots between two VmSessions, as two VM workers do it (here in one Node
 * thread over a MessageChannel): the VM moves with its console history and runs on; the source
 * is left 'moved'; a refused migration leaves the source running; snapshot files round-trip
 * and damaged ones are explained.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBlockBackend } from '../devices/virtio-blk/memory-backend.ts';
import { defaultImages } from '../machine/testing/default-machine.ts';
import { snapshotConfig, testRestoreHost } from '../machine/testing/snapshot-machine.ts';
import { VirtMachine } from '../machine/virt-machine.ts';
import { newMigrationId } from '../transport/index.ts';
import type { BootImages } from './build-machine.ts';
import type { VmEvent } from './events.ts';
import { migrationAnnouncement } from '../migration/machine.ts';
import { dropOutgoing, holdOutgoing, listenIncoming, migrateIn, migrateOut, prepareIncoming } from './migration.ts';
import { fakeDataChannelPair } from '../transport/testing/fake-data-channel.ts';
import { FrameType } from '../transport/frame.ts';
import { MessageKind } from '../migration/protocol.ts';
import { restoreSessionSnapshot, saveSessionSnapshot } from './snapshot-io.ts';
import { VmSession } from './vm-session.ts';

const clock = { now: () => performance.now() };

function hostImages(): BootImages {
  const i = testRestoreHost().images;
  return { firmware: i.firmware!, kernel: i.kernel!, initrd: i.initrd, disk: i.disk };
}

function session() {
  const events: VmEvent[] = [];
  const s = new VmSession({ emit: (e) => events.push(e), now: clock.now, imageBase: 'http://unused/' });
  s.provideImages(hostImages());
  sessions.push(s);
  const output = () =>
    events
      .filter((e) => e.type === 'output')
      .map((e) => String.fromCharCode(...(e as { bytes: Uint8Array }).bytes))
      .join('');
  return { s, events, output, emit: (e: VmEvent) => events.push(e) };
}

function machineFor(s: VmSession): VirtMachine {
  const img = defaultImages();
  return new VirtMachine(
    snapshotConfig(),
    { firmware: img.firmware, kernel: img.kernel, initrd: img.initrd },
    { consoleOut: s.consoleOut, disk: new MemoryBlockBackend(img.disk, { copyOnWrite: true }) },
  );
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sessions: VmSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

/** As the tabs do it: the destination listens first (before saying ready), then the source sends. */
async function move(src: ReturnType<typeof session>, dst: ReturnType<typeof session>) {
  const { port1, port2 } = new MessageChannel();
  const id = newMigrationId();
  listenIncoming(dst.s, { kind: 'port', id, port: port2 });
  return Promise.all([migrateOut(src.s, { kind: 'port', id, port: port1 }, {}, src.emit, clock), migrateIn(dst.s, clock)]);
}

/** A source running the default machine, booted past OpenSBI. */
async function runningSource() {
  const src = session();
  src.s.start(machineFor(src.s));
  await until(() => src.output().includes('OpenSBI'));
  return src;
}

describe('worker migration', () => {
  it('moves a running VM to a fresh session: history shown, guest runs on, source left moved', async () => {
    const src = await runningSource();
    const dst = session();
    const [stats, result] = await move(src, dst);
    expect(stats['error-desc']).toBeUndefined();
    expect(stats.status).toBe('completed');
    expect(result).toEqual({ ok: true, bytes: expect.any(Number) as number, prepared: false });
    expect(src.s.state).toBe('moved');
    expect(src.s.machine).toBeUndefined();
    expect(dst.s.state).toBe('running');
    // The destination's first output is the history: everything the source printed.
    expect(dst.output().startsWith(src.output())).toBe(true);
    const progress = src.events.filter((e) => e.type === 'migration');
    expect(progress.some((e) => e.event.type === 'iteration')).toBe(true);
    const at = dst.s.machine!.hart.state.instret;
    await until(() => dst.s.machine!.hart.state.instret > at + 1_000_000);
  });

  it('a refused migration leaves the source running', async () => {
    const src = await runningSource();
    const dst = session();
    const other = hostImages();
    // This destination has a different kernel: it refuses, naming the image.
    dst.s.provideImages({ ...other, kernel: { bytes: other.kernel.bytes, id: { ...other.kernel.id, sha256: '0'.repeat(64) } } });
    const [stats, result] = await move(src, dst);
    expect(stats.status).toBe('failed');
    expect(stats['error-desc']).toMatch(/kernel/);
    expect(result.ok).toBe(false);
    expect(dst.s.state).toBe('error');
    expect(src.s.state).toBe('running');
    const at = src.s.machine!.hart.state.instret;
    await until(() => src.s.machine!.hart.state.instret > at + 1_000_000);
  });
});

describe('worker migration into a prepared destination', () => {

  it('says so when asked to receive with no channel open', async () => {
    const dst = session();
    expect(await migrateIn(dst.s, clock)).toEqual({ ok: false, reason: expect.stringMatching(/no channel/) as string });
  });

  it('builds the announced machine before the move and loads the VM into it', async () => {
    const src = await runningSource();
    const dst = session();
    const prepared = await prepareIncoming(dst.s, migrationAnnouncement(src.s.machine!), clock);
    expect(prepared).toEqual({ ok: true, preparedMs: expect.any(Number) as number });
    const [stats, result] = await move(src, dst);
    expect(stats.status).toBe('completed');
    expect(result).toEqual({ ok: true, bytes: expect.any(Number) as number, prepared: true });
    expect(dst.output().startsWith(src.output())).toBe(true);
    const at = dst.s.machine!.hart.state.instret;
    await until(() => dst.s.machine!.hart.state.instret > at + 1_000_000);
  });

  it('builds afresh when the stream describes another machine than the one announced', async () => {
    const src = await runningSource();
    const dst = session();
    const a = migrationAnnouncement(src.s.machine!);
    const smaller = 64 << 20;
    const machine = a.machine as { config: object };
    const announced = { ramSize: smaller, machine: { ...machine, config: { ...machine.config, ramSize: smaller } } };
    expect(await prepareIncoming(dst.s, announced, clock)).toEqual({ ok: true, preparedMs: expect.any(Number) as number });
    const [stats, result] = await move(src, dst);
    expect(stats.status).toBe('completed');
    expect(result).toMatchObject({ ok: true, prepared: false });
    expect(dst.s.machine!.ram.size).toBe(a.ramSize);
  });

  it('refuses, with the reason, an announcement it cannot host or cannot read', async () => {
    const src = await runningSource();
    const other = hostImages();
    const dst = session();
    dst.s.provideImages({ ...other, kernel: { bytes: other.kernel.bytes, id: { ...other.kernel.id, sha256: '0'.repeat(64) } } });
    const refused = await prepareIncoming(dst.s, migrationAnnouncement(src.s.machine!), clock);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(/kernel/);
    for (const junk of [null, 42, { ramSize: 3, machine: {} }, { ramSize: 256 << 20, machine: 'x' }, { ramSize: 256 << 20, machine: { ramSize: 'big' } }]) {
      const r = await prepareIncoming(session().s, junk, clock);
      expect(r.ok, JSON.stringify(junk)).toBe(false);
      expect(!r.ok && r.reason, JSON.stringify(junk)).toMatch(/\w/);
    }
    // The source was never touched.
    expect(src.s.state).toBe('running');
  });
});

describe('worker migration over WebRTC (a stand-in data channel)', () => {
  /** As the page does it: each end is handed its data channel in the task that made it. */
  function rtcPair(dst: ReturnType<typeof session>) {
    const [x, y] = fakeDataChannelPair();
    const id = newMigrationId();
    holdOutgoing({ kind: 'rtc', id, channel: x as unknown as RTCDataChannel });
    listenIncoming(dst.s, { kind: 'rtc', id, channel: y as unknown as RTCDataChannel });
    return { id, x };
  }

  it('moves a running VM over the channel the source held since it agreed', async () => {
    const src = await runningSource();
    const dst = session();
    const { id, x } = rtcPair(dst);
    const [stats, result] = await Promise.all([migrateOut(src.s, { kind: 'held', id }, {}, src.emit, clock), migrateIn(dst.s, clock)]);
    expect(stats['error-desc']).toBeUndefined();
    expect(stats.status).toBe('completed');
    expect(result).toMatchObject({ ok: true });
    expect(src.s.state).toBe('moved');
    expect(dst.output().startsWith(src.output())).toBe(true);
    // Every message fitted Chromium's data channel limit.
    expect(Math.max(...x.sentSizes)).toBeLessThanOrEqual(1 + (64 << 10));
    const at = dst.s.machine!.hart.state.instret;
    await until(() => dst.s.machine!.hart.state.instret > at + 1_000_000);
  });

  it('a link that drops during pre-copy leaves the VM running on the source, and nothing running on the destination', async () => {
    const src = await runningSource();
    const dst = session();
    const { id, x } = rtcPair(dst);
    // The data channel closes (the other browser's tab or network went away) as the first RAM pass ends.
    const emit = (e: VmEvent) => {
      src.emit(e);
      if (e.type === 'migration' && e.event.type === 'iteration') x.close();
    };
    const [stats, result] = await Promise.all([migrateOut(src.s, { kind: 'held', id }, {}, emit, clock), migrateIn(dst.s, clock)]);
    expect(x.sentSizes.length).toBeGreaterThan(100); // it was well under way
    expect(stats.status).not.toBe('completed');
    expect(stats['error-desc']).toMatch(/data channel (closed|is closing)/);
    expect(result.ok).toBe(false);
    expect(dst.s.state).toBe('error');
    expect(src.s.state).toBe('running');
    const at = src.s.machine!.hart.state.instret;
    await until(() => src.s.machine!.hart.state.instret > at + 1_000_000);
  });

  it('a link that drops between LOADED and GO leaves the VM held, paused, at the destination: nothing lost, nothing run twice', async () => {
    const src = await runningSource();
    const dst = session();
    const [x, y] = fakeDataChannelPair();
    const id = newMigrationId();
    holdOutgoing({ kind: 'rtc', id, channel: x as unknown as RTCDataChannel });
    // The destination's data channel closes right after it sends LOADED (a DATA frame whose message is LOADED).
    const send = y.send.bind(y);
    y.send = (data: ArrayBuffer) => {
      send(data);
      const b = new Uint8Array(data);
      if (b.length > 45 && b[14] === FrameType.DATA && b[45] === MessageKind.LOADED) y.close();
    };
    listenIncoming(dst.s, { kind: 'rtc', id, channel: y as unknown as RTCDataChannel });
    const [stats, result] = await Promise.all([migrateOut(src.s, { kind: 'held', id }, {}, src.emit, clock), migrateIn(dst.s, clock)]);
    // The source got LOADED and let go.
    expect(stats.status).toBe('completed');
    expect(src.s.state).toBe('moved');
    // The destination cannot know that: it holds the VM, paused, with its history.
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/channel closed/) as string, inDoubt: true });
    expect(dst.s.state).toBe('paused');
    expect(dst.output().startsWith(src.output())).toBe(true);
    const at = dst.s.machine!.hart.state.instret;
    await new Promise((r) => setTimeout(r, 200));
    expect(dst.s.machine!.hart.state.instret).toBe(at);
    // A person who sees the source's "moved" resumes it here.
    dst.s.resume();
    await until(() => dst.s.machine!.hart.state.instret > at + 1_000_000);
  });

  it('says so, and keeps running, when no channel is held for the migration', async () => {
    const src = await runningSource();
    const stats = await migrateOut(src.s, { kind: 'held', id: newMigrationId() }, {}, src.emit, clock);
    expect(stats.status).toBe('failed');
    expect(stats['error-desc']).toMatch(/no channel is held/);
    expect(src.s.state).toBe('running');
  });

  it('a dropped move closes the held channel, and the destination learns why', async () => {
    const src = session();
    src.s.start(machineFor(src.s));
    const dst = session();
    const { id } = rtcPair(dst);
    const receiving = migrateIn(dst.s, clock);
    dropOutgoing(id, 'the other browser cancelled');
    const r = await receiving;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/the other browser cancelled/);
    // The channel is gone: a later migrateOut for that id finds nothing.
    const stats = await migrateOut(src.s, { kind: 'held', id }, {}, src.emit, clock);
    expect(stats['error-desc']).toMatch(/no channel is held/);
    expect(src.s.state).toBe('running');
  });
});

describe('worker snapshots', () => {
  it('saves and restores into a fresh session that runs on with the history', async () => {
    const src = await runningSource();
    const saved = saveSessionSnapshot(src.s);
    if (!saved.ok) throw new Error(saved.reason);
    const printed = src.output();
    const dst = session();
    expect(await restoreSessionSnapshot(dst.s, saved.bytes)).toEqual({ ok: true });
    expect(dst.s.state).toBe('running');
    expect(dst.output().startsWith(printed.slice(0, 100))).toBe(true);
    const at = dst.s.machine!.hart.state.instret;
    await until(() => dst.s.machine!.hart.state.instret > at + 1_000_000);
  });

  it('explains a truncated or corrupt file in words', async () => {
    const src = await runningSource();
    const saved = saveSessionSnapshot(src.s);
    if (!saved.ok) throw new Error(saved.reason);
    const truncated = session();
    const r1 = await restoreSessionSnapshot(truncated.s, saved.bytes.subarray(0, saved.bytes.length >> 1));
    expect(r1.ok).toBe(false);
    expect(!r1.ok && r1.reason).toMatch(/^cannot restore: /);
    expect(truncated.s.state).toBe('error');
    const junk = session();
    const r2 = await restoreSessionSnapshot(junk.s, new TextEncoder().encode('this is not a snapshot'));
    expect(r2.ok).toBe(false);
    expect(!r2.ok && r2.reason).toMatch(/^cannot restore: .+/);
  });
});
