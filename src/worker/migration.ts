/**
 * Live migration from inside a VM worker: the source worker drives the engine
 * (src/migration/drive.ts) over a per-migration channel while its guest keeps running in
 * slices; the destination worker receives into a fresh machine and runs it after GO. Bytes go
 * worker to worker (a MessagePort from the SharedWorker broker, a BroadcastChannel named
 * after the migration id, or an RTCDataChannel to another browser), never through the page's
 * main thread.
 */
import { cryptoEntropy } from '../host/browser/entropy.ts';
import { MemoryBlockBackend } from '../devices/virtio-blk/memory-backend.ts';
import type { RestoreHost } from '../machine/snapshot.ts';
import type { VirtMachine } from '../machine/virt-machine.ts';
import type { MigrationChannel } from '../migration/channel.ts';
import { receiveMigration, startMigration, type DriverHooks, type ReceiveResult } from '../migration/drive.ts';
import {
  isMoved, machineDestinationHost, machineSourceVm, migrationAnnouncement, parseAnnouncement, prepareDestination,
  type MigrationAnnouncement, type PreparedDestination,
} from '../migration/machine.ts';
import { rehearseSource } from '../migration/source.ts';
import { emptyStats, type MigrationEvent, type MigrationStats } from '../migration/stats.ts';
import { channelFromDataChannel, channelFromPort, openBroadcastChannel, type ChannelOptions, type PortTransfer } from '../transport/index.ts';
import type { BootImages } from './build-machine.ts';
import type { Emit } from './events.ts';
import type { VmSession } from './vm-session.ts';

/** Which wire a migration uses; both ends name the same migration id. */
export type ChannelSpec =
  /** One end of a MessageChannel pair from the port broker (transferred into this worker). */
  | { readonly kind: 'port'; readonly id: string; readonly port: MessagePort }
  /** A BroadcastChannel named after the id (where SharedWorker is missing). */
  | { readonly kind: 'broadcast'; readonly id: string }
  /**
   * A WebRTC data channel to another browser, transferred into this worker. A browser allows
   * that only in the task that created or received it, so the page hands it over at once: the
   * source with `holdOutgoing`, the destination with `listenIncoming`.
   */
  | { readonly kind: 'rtc'; readonly id: string; readonly channel: RTCDataChannel }
  /** The channel `holdOutgoing` opened for this migration id earlier (only for `migrateOut`). */
  | { readonly kind: 'held'; readonly id: string };

export interface MigrateOutOptions {
  /** Longest acceptable guest pause, ms (the engine's default when absent). */
  readonly downtimeLimitMs?: number;
}

export type PrepareResult = { readonly ok: true; readonly preparedMs: number } | { readonly ok: false; readonly reason: string };

export type MigrateInResult =
  /** `prepared`: the VM loaded into the machine `prepareIncoming` built. */
  | { readonly ok: true; readonly bytes: number; readonly prepared: boolean }
  /**
   * `inDoubt`: the VM loaded but the source's GO never came, so whether the source let go is
   * unknown; this session holds it paused (resume only once the source's side says it let go).
   */
  | { readonly ok: false; readonly reason: string; readonly inDoubt?: true };

/**
 * Channel tunables for a migration between tabs of one machine: a slow, loaded tab is not a
 * dead one. The window is the transport's 4 MiB: what is in flight no longer delays the pause
 * (the source lets the destination load everything sent before it pauses the guest).
 */
const CHANNEL_OPTIONS: ChannelOptions = { idleTimeoutMs: 15_000, connectTimeoutMs: 20_000 };

/**
 * The pause the switch-over aims for (the engine's default is 50 ms): the final pass then
 * carries at most ~10 ms of the measured bandwidth.
 */
export const DEFAULT_DOWNTIME_LIMIT_MS = 10;

/** How long the source waits for the destination to close the channel after GO before closing it itself. */
const GO_LINGER_MS = 2000;

/**
 * The two ends are workers of two tabs, so two renderer processes: every DATA buffer is copied
 * through the browser's IPC, and handing it back would copy it once more (bench:browser, idle
 * 12 MiB move: the source sent a 512 KiB message every ~1.2 ms, a third of the raw channel
 * rate, with the buffers coming back).
 */
const PORT_TRANSFER: PortTransfer = 'copy';

/**
 * Over WebRTC the window is 1 MiB. With 2 MiB (the first choice) the raw data channel carried
 * 10.9–12.9 MiB/s between two browser contexts here and 3 of 26 idle moves stalled for 1.4–3.2 s
 * inside the first RAM pass (bursts the SCTP association loses, then retransmission timeouts,
 * most likely); with 1 MiB it carried 20.8–24.3 MiB/s and none of 32 moves stalled; 512 KiB
 * gave 22.9 MiB/s and slower moves. Far below the data channel's 16 MiB send queue either way.
 */
const RTC_CHANNEL_OPTIONS: ChannelOptions = { ...CHANNEL_OPTIONS, windowBytes: 1 << 20 };

export function openChannel(spec: ChannelSpec): MigrationChannel {
  switch (spec.kind) {
    case 'port':
      return channelFromPort(spec.port, spec.id, CHANNEL_OPTIONS, PORT_TRANSFER);
    case 'broadcast':
      return openBroadcastChannel(spec.id, CHANNEL_OPTIONS);
    case 'rtc':
      return channelFromDataChannel(spec.channel, spec.id, RTC_CHANNEL_OPTIONS);
    case 'held':
      throw new Error(`migration ${spec.id}: a held channel is taken with takeHeld, not opened`);
  }
}

/** Channels the source opened when it agreed to a move, by migration id, until migrateOut takes them. */
const held = new Map<string, MigrationChannel>();

/**
 * Source: opens the channel for migration `spec.id` now (a WebRTC data channel must be handed
 * over in the task that created it); `migrateOut` with `{ kind: 'held', id }` uses it.
 */
export function holdOutgoing(spec: ChannelSpec): void {
  dropOutgoing(spec.id, 'replaced by another channel');
  held.set(spec.id, openChannel(spec));
}

/** Source: the move that channel was for is off (the destination cancelled or went away). */
export function dropOutgoing(id: string, reason = 'migration cancelled'): void {
  held.get(id)?.close(reason);
  held.delete(id);
}

function outgoingChannel(spec: ChannelSpec): MigrationChannel | undefined {
  if (spec.kind !== 'held') return openChannel(spec);
  const channel = held.get(spec.id);
  held.delete(spec.id);
  return channel;
}

export interface WorkerClock {
  now(): number;
}

function hooks(clock: WorkerClock): DriverHooks {
  return { now: () => clock.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
}

function failedStats(reason: string): MigrationStats {
  return { ...emptyStats(0), status: 'failed', 'error-desc': reason };
}

/** Resolves when `channel` closes, or after `ms`. */
function closedOrAfter(channel: MigrationChannel, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (channel.closed) return resolve();
    const timer = setTimeout(resolve, ms);
    channel.onClose(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Machines whose pause was rehearsed when they were announced: their migration skips its own rehearsal. */
const rehearsed = new WeakSet<VirtMachine>();

/**
 * The session's VM as a migration will describe it, for the destination to prepare (undefined
 * without a VM). While the destination prepares, the source rehearses its pause here, outside
 * the migration's time (~4 ms that otherwise delay the first RAM pages).
 */
export function announceOutgoing(session: VmSession): MigrationAnnouncement | undefined {
  const m = session.machine;
  if (!m || isMoved(m)) return undefined;
  const announcement = migrationAnnouncement(m);
  rehearseSource(machineSourceVm(m));
  rehearsed.add(m);
  return announcement;
}

/**
 * Migrates the session's VM out over `spec`. Resolves with the engine's statistics: on
 * 'completed' the session is marked moved; otherwise the guest runs on as before.
 */
export async function migrateOut(session: VmSession, spec: ChannelSpec, options: MigrateOutOptions, emit: Emit, clock: WorkerClock): Promise<MigrationStats> {
  const channel = outgoingChannel(spec);
  if (!channel) return failedStats(`no channel is held for migration ${spec.id}`);
  const refuse = (reason: string): MigrationStats => {
    channel.close(reason); // the destination learns why
    return failedStats(reason);
  };
  const m = session.machine;
  if (!m || isMoved(m)) return refuse('this tab has no machine to send');
  if (session.state !== 'running' && session.state !== 'paused') return refuse(`the VM is ${session.state}, not running or paused`);
  if (channel.closed) return failedStats('the channel to the destination closed before the move');
  const wasRunning = session.detach();
  const rehearsedAhead = rehearsed.delete(m);
  let stats: MigrationStats;
  // The page re-renders on every event (a structured clone here, React and the plot there); on
  // a 2-core machine that competes with the pause for the CPU. The event that starts the pause
  // is held and goes out with the next one, when the pause has ended.
  let held: MigrationEvent | undefined;
  const onEvent = (event: MigrationEvent): void => {
    if (event.type === 'status' && event.stats.status === 'device') {
      held = event;
      return;
    }
    if (held) emit({ type: 'migration', event: held });
    held = undefined;
    emit({ type: 'migration', event });
  };
  try {
    const run = startMigration(
      machineSourceVm(m),
      channel,
      { downtimeLimitMs: options.downtimeLimitMs ?? DEFAULT_DOWNTIME_LIMIT_MS, rehearsed: rehearsedAhead, onEvent },
      { ...hooks(clock), runGuest: (throttle) => session.slice(throttle) },
    );
    stats = await run.done;
  } catch (e) {
    stats = failedStats(e instanceof Error ? e.message : String(e));
  }
  if (stats.status === 'completed') {
    session.markMoved();
    await closedOrAfter(channel, GO_LINGER_MS);
  } else {
    session.reattach(wasRunning);
  }
  channel.close(stats.status === 'completed' ? 'migration completed' : `migration ${stats.status}`);
  return stats;
}

/** A restore host over the images this worker fetched (the same files as the source's, checked by sha256). */
export function restoreHostFor(session: VmSession, images: BootImages): RestoreHost {
  return {
    consoleOut: session.consoleOut,
    images: { firmware: images.firmware, kernel: images.kernel, initrd: images.initrd, disk: images.disk },
    disk: (base) => new MemoryBlockBackend(base, { copyOnWrite: true }),
    entropy: cryptoEntropy(),
  };
}

const IMAGES_MISSING = 'the boot images could not be loaded in this tab';

/** The machine each fresh session prepared for its incoming VM (used once, by migrateIn). */
const preparedFor = new WeakMap<VmSession, PreparedDestination>();

/**
 * In a fresh worker, before the source starts: fetches the boot images and, given the source's
 * announcement (src/migration/machine.ts), builds the machine, rehearses the stop-and-copy and
 * faults in its RAM, as QEMU's destination is started with `-incoming` before `migrate` runs.
 * The guest keeps running on the source meanwhile; the migration's own time no longer includes
 * the build (~15 ms) and first touches of fresh memory (~5 µs per page received). A machine this
 * tab cannot host is refused here, with the reason, before the source changes anything.
 */
export async function prepareIncoming(session: VmSession, announcement: unknown, clock: WorkerClock): Promise<PrepareResult> {
  const images = await session.fetchImagesOnly();
  if (!images) return { ok: false, reason: IMAGES_MISSING };
  if (announcement === undefined) return { ok: true, preparedMs: 0 };
  const t0 = clock.now();
  const a = parseAnnouncement(announcement);
  const r = 'refuse' in a ? a : prepareDestination(a, restoreHostFor(session, images), { prefault: true });
  if ('refuse' in r) return { ok: false, reason: r.refuse };
  preparedFor.set(session, r);
  return { ok: true, preparedMs: clock.now() - t0 };
}

/** The channel each fresh session opened for its incoming VM before its tab said ready (used once, by migrateIn). */
const listening = new WeakMap<VmSession, MigrationChannel>();

/**
 * In a fresh worker, after `prepareIncoming` and before the tab says ready: opens the channel
 * the VM will arrive on, so the source's first frames find it listening (its clock runs from
 * the first of them; over a BroadcastChannel a frame sent before the destination listens is
 * lost, and only the next HELLO, 50 ms later, would connect).
 */
export function listenIncoming(session: VmSession, spec: ChannelSpec): void {
  listening.get(session)?.close('replaced by another incoming channel');
  listening.set(session, openChannel(spec));
}

/**
 * Receives a VM into this (fresh) session over the channel `listenIncoming` opened, and runs it
 * with its console history, into the machine `prepareIncoming` built when the stream describes
 * the same one.
 */
export async function migrateIn(session: VmSession, clock: WorkerClock): Promise<MigrateInResult> {
  const channel = listening.get(session);
  listening.delete(session);
  if (channel === undefined) return { ok: false, reason: 'no channel to receive the VM on (listenIncoming was not called)' };
  const images = await session.fetchImagesOnly();
  if (!images) {
    channel.close(IMAGES_MISSING);
    return { ok: false, reason: IMAGES_MISSING };
  }
  const prepared = preparedFor.get(session);
  preparedFor.delete(session);
  let r: ReceiveResult<VirtMachine>;
  try {
    const host = machineDestinationHost(restoreHostFor(session, images), prepared);
    r = await receiveMigration(channel, host, { idleTimeoutMs: 30_000 }, hooks(clock));
  } catch (e) {
    r = { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  channel.close(r.ok ? 'received' : r.reason);
  if (!r.ok && r.inDoubt) {
    session.holdWithHistory(r.inDoubt);
    return { ok: false, reason: r.reason, inDoubt: true };
  }
  if (!r.ok) {
    session.failWith(`migration failed: ${r.reason}`);
    return { ok: false, reason: r.reason };
  }
  session.startWithHistory(r.machine);
  return { ok: true, bytes: r.bytes, prepared: r.machine === prepared?.machine };
}
