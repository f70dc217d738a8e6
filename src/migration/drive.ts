/**
 * The asynchronous drivers: a source or destination session wired to a MigrationChannel and
 * to the host's loop. They add only I/O and waiting to the synchronous state machines (the
 * promises here are the channel's own backpressure and the host's hooks); time still comes
 * from the host (`hooks.now`), and waiting from `hooks.sleep`.
 *
 *   const run = startMigration(machineSourceVm(vm), channel, {}, {
 *     now: () => performance.now(),
 *     sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
 *     runGuest: (throttle) => pacer.step(...)   // one host slice of guest work, shortened by `throttle`
 *   });
 *   run.cancel('user');  const stats = await run.done;
 *
 * While pre-copy runs the driver alternates: batches of pages (each sent, awaiting the channel's
 * flow control, before the next is read) until a slice's worth went out, then one guest slice. During stop-and-copy it never calls runGuest. Once `done`
 * settles with status 'completed' the VM belongs to the destination; any other status means
 * the host simply keeps running it.
 */
import type { MigrationChannel } from './channel.ts';
import { DestinationSession, type DestinationHost, type DestinationOptions } from './destination.ts';
import { DATA_HEADER_BYTES, MAX_DATA_BYTES } from './protocol.ts';
import { DEFAULT_MESSAGE_BYTES, SourceSession, type SourceOptions, type SourceVm } from './source.ts';
import { TARGET_PAGE_SIZE } from './stream/index.ts';
import type { MigrationStats } from './stats.ts';

export interface DriverHooks {
  /** Host time in ms (monotonic). */
  now(): number;
  /** Resolves after about `ms` (the host's timer); used while waiting for the peer. */
  sleep(ms: number): Promise<void>;
}

export interface SourceHooks extends DriverHooks {
  /**
   * Runs one host slice of guest work while pre-copy goes on; `throttle` (0..0.99) is the
   * share auto-converge withholds (run `budget × (1 − throttle)` instructions). May yield.
   */
  runGuest(throttle: number): void | Promise<void>;
}

export interface MigrationRun {
  readonly done: Promise<MigrationStats>;
  /** Gives up (before LOADED): the source keeps the VM. */
  cancel(reason?: string): void;
  /** Current statistics (for a UI poll). */
  stats(): MigrationStats;
}

/** How long to wait for the peer between timeout checks, ms. */
const POLL_MS = 5;

/** Starts migrating `vm` over `channel`. The host keeps the channel and closes it after `done`. */
export function startMigration(vm: SourceVm, channel: MigrationChannel, options: SourceOptions, hooks: SourceHooks): MigrationRun {
  const session = new SourceSession(vm, { ...options, allocate: options.allocate ?? channelAllocator(channel, options) });
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  channel.onMessage((m) => {
    session.receive(m, hooks.now());
    poke();
  });
  channel.onClose((reason) => {
    session.closed(reason, hooks.now());
    poke();
  });
  const flush = async () => {
    for (const m of session.takeOutgoing()) {
      if (channel.closed) return;
      try {
        await channel.send(m);
      } catch (e) {
        session.closed(e instanceof Error ? e.message : String(e), hooks.now());
        return;
      }
    }
  };
  const waitForPeer = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      void hooks.sleep(POLL_MS).then(poke);
    });

  const loop = async (): Promise<MigrationStats> => {
    if (channel.closed) session.closed('channel closed before the migration started', hooks.now());
    else {
      session.start(hooks.now());
      await flush();
      session.rehearse();
    }
    while (!session.done) {
      await flush();
      if (session.done) break;
      if (session.wantsStep) {
        session.step(hooks.now());
        await flush();
        if (session.guestMayRun && !session.done && session.guestSliceDue) {
          const t = hooks.now();
          await hooks.runGuest(session.throttleFraction);
          session.guestRan(hooks.now() - t);
        }
      } else {
        // Setup: the guest keeps running while the destination decides. Device phase: paused.
        if (session.guestMayRun) {
          const t = hooks.now();
          await hooks.runGuest(session.throttleFraction);
          session.guestRan(hooks.now() - t);
          if (session.wantsStep || session.done) continue;
        }
        await waitForPeer();
        session.tick(hooks.now());
      }
    }
    await flush();
    return session.snapshot(hooks.now());
  };
  return {
    done: loop(),
    cancel: (reason = 'cancelled by the host') => {
      session.cancel(reason, hooks.now());
      poke();
    },
    stats: () => session.snapshot(hooks.now()),
  };
}

/**
 * DATA buffers from the channel where it reuses the ones the destination hands back: a fresh
 * 512 KiB buffer per message costs ~130 page faults and a zero fill on the source, and a
 * collection on the destination (measured: ~3 ms of each 12 MiB migration on the source).
 * Capacity: a message and then some, so that the writer's chunks (a record may overshoot the
 * message size, a held tail may precede it) fit the buffers handed back.
 */
function channelAllocator(channel: MigrationChannel, options: SourceOptions): ((bytes: number) => Uint8Array) | undefined {
  const take = channel.takeBuffer?.bind(channel);
  if (take === undefined) return undefined;
  const capacity = Math.min(options.messageBytes ?? DEFAULT_MESSAGE_BYTES, MAX_DATA_BYTES) + DATA_HEADER_BYTES + 4 * TARGET_PAGE_SIZE;
  return (bytes) => take(bytes, capacity) ?? new Uint8Array(bytes);
}

/** `startMigration(...).done`. */
export function migrate(vm: SourceVm, channel: MigrationChannel, options: SourceOptions, hooks: SourceHooks): Promise<MigrationStats> {
  return startMigration(vm, channel, options, hooks).done;
}

export type ReceiveResult<M> =
  | { readonly ok: true; readonly machine: M; readonly bytes: number }
  /** `inDoubt`: loaded, but GO never came (destination.ts): kept, not running, for a person to decide. */
  | { readonly ok: false; readonly reason: string; readonly inDoubt?: M };

/**
 * Receives a migration on `channel`: builds the machine through `host`, loads it, answers
 * LOADED and resolves with the machine after GO, ready to run. On failure nothing escapes.
 */
export async function receiveMigration<M>(
  channel: MigrationChannel,
  host: DestinationHost<M>,
  options: DestinationOptions,
  hooks: DriverHooks,
): Promise<ReceiveResult<M>> {
  const session = new DestinationSession(host, options);
  let wake: (() => void) | undefined;
  let sending = Promise.resolve();
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const queueOutgoing = () => {
    for (const m of session.takeOutgoing()) {
      sending = sending.then(async () => {
        if (channel.closed) return;
        try {
          await channel.send(m);
        } catch (e) {
          session.closed(e instanceof Error ? e.message : String(e));
          poke();
        }
      });
    }
  };
  channel.onMessage((m) => {
    session.receive(m, hooks.now());
    // The loader copied what it needed and keeps no view of it: the sender may reuse the buffer.
    if (session.inputReleased) channel.recycle?.(m);
    queueOutgoing();
    if (session.done) poke();
  });
  channel.onClose((reason) => {
    session.closed(reason);
    poke();
  });
  if (channel.closed) session.closed('channel closed before the migration started');
  while (!session.done) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      void hooks.sleep(POLL_MS * 20).then(poke);
    });
    session.tick(hooks.now());
    queueOutgoing();
  }
  await sending;
  const machine = session.takeMachine();
  if (machine !== undefined) return { ok: true, machine, bytes: session.bytes };
  const inDoubt = session.takeInDoubt();
  return { ok: false, reason: session.error ?? 'migration failed', ...(inDoubt !== undefined ? { inDoubt } : {}) };
}
