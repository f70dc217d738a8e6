/**
 * The deterministic mode: a source and a destination session wired back to back in one
 * synchronous loop, with a modelled clock. Between two pre-copy steps the guest runs a fixed
 * number of instructions (less under auto-converge), messages cross instantly, and time moves
 * by the modelled guest speed and link bandwidth, so a migration is reproducible bit for bit:
 * tests compare the migrated VM with a run that never migrated, and inject faults at any
 * message (`wire`) of any phase.
 */
import { DestinationSession, type DestinationHost } from './destination.ts';
import { SourceSession, type SourceOptions, type SourceVm } from './source.ts';
import type { MigrationStats } from './stats.ts';

/** What the wire does with one message: deliver these bytes, drop it, or close the channel. */
export type WireVerdict = Uint8Array | 'drop' | 'close';

export interface SyncOptions extends SourceOptions {
  /** Guest instructions between two pre-copy steps at throttle 0. */
  instructionsPerStep: number;
  /** Runs the source guest for about `n` instructions (deterministically). */
  runGuest(n: number): void;
  /** Modelled guest speed, instructions per ms (default 100 000: 100 MIPS). */
  instructionsPerMs?: number;
  /** Modelled link bandwidth, bytes per ms (default 500 000: 500 MB/s). */
  bytesPerMs?: number;
  /** Fault injection: sees every message with its direction and per-direction index. */
  wire?(message: Uint8Array, to: 'destination' | 'source', index: number): WireVerdict;
  /** Give up after this many loop turns (a bug guard; default 1 000 000). */
  maxTurns?: number;
}

export interface SyncResult<M> {
  readonly stats: MigrationStats;
  /** The machine the destination runs now (only after a completed migration). */
  readonly machine: M | undefined;
  /** The machine the destination loaded but holds, not running, because GO never came (destination.ts). */
  readonly inDoubt: M | undefined;
  readonly destinationStatus: string;
  readonly destinationError: string | undefined;
  /** Guest instructions the source ran during the migration (as asked of runGuest). */
  readonly guestInstructions: number;
}

export function migrateSync<M>(vm: SourceVm, host: DestinationHost<M>, options: SyncOptions): SyncResult<M> {
  const ipms = options.instructionsPerMs ?? 100_000;
  const bpms = options.bytesPerMs ?? 500_000;
  const src = new SourceSession(vm, options);
  const dst = new DestinationSession(host);
  let now = 0;
  let open = true;
  const sent = { destination: 0, source: 0 };
  let guest = 0;

  const close = (why: string) => {
    if (!open) return;
    open = false;
    src.closed(why, now);
    dst.closed(why);
  };
  const deliver = (to: 'destination' | 'source', m: Uint8Array) => {
    if (!open) return;
    const v = options.wire ? options.wire(m, to, sent[to]++) : m;
    if (v === 'drop') return;
    if (v === 'close') return close(`the wire closed at a message to the ${to}`);
    now += v.length / bpms;
    if (to === 'destination') dst.receive(v, now);
    else src.receive(v, now);
  };
  /** Delivers until both outboxes are empty. */
  const pump = () => {
    for (;;) {
      const a = src.takeOutgoing();
      const b = dst.takeOutgoing();
      if (a.length === 0 && b.length === 0) return;
      for (const m of a) deliver('destination', m);
      for (const m of b) deliver('source', m);
    }
  };

  src.start(now);
  pump();
  src.rehearse();
  const maxTurns = options.maxTurns ?? 1_000_000;
  for (let turn = 0; !src.done; turn++) {
    if (turn >= maxTurns) throw new Error(`migrateSync: no end after ${maxTurns} turns (status ${src.status})`);
    pump();
    if (src.done) break;
    if (src.wantsStep) {
      src.step(now);
      pump();
      if (src.guestMayRun && !src.done && src.guestSliceDue) {
        const n = Math.round(options.instructionsPerStep * (1 - src.throttleFraction));
        options.runGuest(n);
        guest += n;
        const ms = n / ipms;
        now += ms;
        src.guestRan(ms);
      }
    } else {
      // Waiting for a reply that will not come (dropped or never sent): let the timeout fire.
      now += 1 + (options.replyTimeoutMs ?? 30_000);
      src.tick(now);
    }
  }
  pump();
  if (!dst.done) dst.closed('the source finished');
  return {
    stats: src.snapshot(now),
    machine: dst.takeMachine(),
    inDoubt: dst.takeInDoubt(),
    destinationStatus: dst.status,
    destinationError: dst.error,
    guestInstructions: guest,
  };
}
