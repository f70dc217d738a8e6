/**
 * The source side of a live migration as a synchronous state machine (no I/O, time is an
 * argument): QEMU's pre-copy. A driver (`migrate` in drive-source.ts, or `migrateSync` for
 * deterministic tests) feeds it peer messages and the clock, sends what it queues, and runs
 * the guest between `step()` calls while `guestMayRun` says so.
 *
 *   setup   blockers refuse up front; send header + configuration; wait for ACCEPT/REFUSE
 *           (nothing on the source has changed until ACCEPT)
 *   active  iterations: sync the dirty map (clear it, then read the pages it named), send
 *           those pages in batches, zero pages as a flag; measure bandwidth and dirty rate;
 *           auto-converge raises the guest throttle when the guest dirties faster than half
 *           the transfer rate; switch over once remaining ≤ bandwidth × downtime limit, but
 *           first let the destination drain (guest still running) until its PROGRESS says it
 *           has loaded every byte sent, so the pause never waits behind a backlog
 *   device  the guest is paused: the last dirty pages, END of RAM, every device section,
 *           EOF, then wait for LOADED; on LOADED release the VM and send GO (completed)
 *
 * Any failure before LOADED (refusal, peer error, channel closed, timeout, corrupted message,
 * cancel) ends in `failed`/`cancelled` with `guestMayRun` true again: the source only read
 * the guest, so it resumes with nothing lost.
 */
import { collectSet, countSet, countUnion, orInto, warmPageMaps } from '../lib/page-map.ts';
import { DATA_HEADER_BYTES, dataMessageInPlace, decodeMessage, encodeData, encodeReason, encodeSignal, kindName, MAX_DATA_BYTES, MessageKind } from './protocol.ts';
import { emptyStats, mbps, type IterationRecord, type MigrationEvent, type MigrationStats, type MigrationStatus } from './stats.ts';
import { rehearseSave, StreamWriter, TARGET_PAGE_SIZE, type DeviceSection, type JsonValue, type MigrationBlocker, type RehearsalScope } from './stream/index.ts';
import type { KnownZeroPages } from './stream/writer.ts';

/** What the engine needs of the VM it moves. */
export interface SourceVm {
  /** Guest RAM. */
  readonly ram: Uint8Array;
  /** One byte per 4 KiB page, non-zero when written since the engine last cleared it. */
  readonly dirty: Uint8Array;
  /**
   * Optional, one byte per page (Ram.written): pages written before the dirty map was last
   * cleared. The engine ORs `dirty` into it whenever it clears `dirty`; a page clear in both is
   * known to be zero and goes out as a zero page without being read. Without it, every page
   * is read.
   */
  readonly written?: Uint8Array;
  /** The machine configuration that travels in the CONFIGURATION section. */
  configuration(): JsonValue;
  /** Reasons this VM cannot migrate now (empty: it can). */
  blockers(): readonly MigrationBlocker[];
  /** Every device section, read with the guest paused. */
  sections(): Iterable<DeviceSection>;
  /** The destination owns the VM now: the source must never run it again. */
  release(): void;
}

export interface SourceOptions {
  /** Longest acceptable pause, ms (QEMU's downtime-limit; default 50). */
  downtimeLimitMs?: number;
  /** How long to wait for ACCEPT or LOADED, ms (default 30 000). */
  replyTimeoutMs?: number;
  /**
   * RAM bytes read per `step()` (default 512 KiB, about one DATA message: the driver sends each
   * step's messages before the next step, so the destination loads while the source reads on).
   */
  batchBytes?: number;
  /** RAM bytes read between two guest slices while pre-copy runs (default `batchBytes` when that is given, else 4 MiB). */
  sliceBytes?: number;
  /** Stream bytes per DATA message (default 512 KiB; at most MAX_DATA_BYTES). */
  messageBytes?: number;
  /** Auto-converge (default on) and its steps, percent (QEMU's cpu-throttle-initial/increment/max). */
  autoConverge?: boolean;
  throttleInitial?: number;
  throttleIncrement?: number;
  throttleMax?: number;
  /**
   * The host already ran `rehearseSource` on this VM (while the destination prepared, before the
   * clock of the migration started), so the session does not rehearse again (default false).
   */
  rehearsed?: boolean;
  /**
   * Where DATA message buffers come from (default: fresh memory). The drivers take them from
   * the channel where it can reuse the buffers the destination handed back.
   */
  allocate?: (bytes: number) => Uint8Array;
  /** Progress events (status changes and every finished iteration). */
  onEvent?: (e: MigrationEvent) => void;
}

/**
 * Runs the pause's code on the source before the pause (stream/rehearse.ts): saves the VM's
 * device sections into a small stream and warms the page-map helpers. Reads the VM only. A
 * session does this itself after sending the configuration unless told `rehearsed`; a host
 * that knows a migration is coming (the destination is preparing) runs it earlier, outside
 * the migration's time.
 */
export function rehearseSource(vm: SourceVm, configuration: JsonValue = vm.configuration(), scope: RehearsalScope = 'ahead'): void {
  rehearseSave([...vm.sections()], configuration, scope);
  warmPageMaps(vm.dirty.length);
}

type Phase = 'new' | 'setup' | 'active' | 'device' | 'completed' | 'failed' | 'cancelled';

/** Stream bytes per DATA message unless told (SourceOptions.messageBytes). */
export const DEFAULT_MESSAGE_BYTES = 512 << 10;

/** Iterations in a row with a high dirty rate before the throttle rises (QEMU: 2). */
const DIRTY_RATE_HIGH_ROUNDS = 2;
/** Auto-converge acts when dirtied bytes exceed this share of the bytes transferred. */
const DIRTY_RATE_THRESHOLD = 0.5;
const MS_PER_S = 1000;

export class SourceSession {
  private readonly opts: Required<Omit<SourceOptions, 'onEvent' | 'allocate'>>;
  private readonly outbox: Uint8Array[] = [];
  private readonly writer: StreamWriter;
  private phase: Phase = 'new';
  private stats: MigrationStats;
  private readonly iterations: IterationRecord[] = [];
  private t0 = 0;
  private waitingSince = 0;
  private pauseAt = 0;
  /** The pages of the current iteration (a copy of the dirty map taken at the sync) and the next one to look at. */
  private toSend: Uint8Array;
  private cursor = 0;
  private iter = { n: 0, start: 0, dirtied: 0, normal: 0, zero: 0, bytes: 0, guestMsAtStart: 0 };
  /** Time spent running the guest (reported by the driver), to separate transfer time from it. */
  private guestMs = 0;
  /** RAM bytes read since the last guest slice (`guestSliceDue`). */
  private bytesSinceSlice = 0;
  private bandwidth = 0;
  private dirtyRate = 0;
  private highRounds = 0;
  private throttle = 0;
  private bytesAtSync = 0;
  private syncAt = 0;
  /** Stream bytes the destination reported loaded (PROGRESS). */
  private peerLoaded = 0;
  /** Stream bytes at the end of each DATA message sent and not yet confirmed: the destination answers every DATA with exactly this count. */
  private readonly unconfirmed: number[] = [];
  private dataBytes = 0;
  /** The switch-over is due but waits (guest running) until the destination has loaded everything sent. */
  private draining = false;
  /** The VM's maps of pages known to be zero (never written); undefined when it does not track that. */
  private readonly known: KnownZeroPages | undefined;
  /** The configuration `start` sent, until `rehearse` used it. */
  private configurationSent: JsonValue | undefined;

  constructor(
    private readonly vm: SourceVm,
    options: SourceOptions = {},
    private readonly onEvent: (e: MigrationEvent) => void = options.onEvent ?? (() => {}),
  ) {
    this.opts = {
      downtimeLimitMs: options.downtimeLimitMs ?? 50,
      replyTimeoutMs: options.replyTimeoutMs ?? 30_000,
      batchBytes: options.batchBytes ?? 512 << 10,
      sliceBytes: options.sliceBytes ?? options.batchBytes ?? 4 << 20,
      messageBytes: Math.min(options.messageBytes ?? DEFAULT_MESSAGE_BYTES, MAX_DATA_BYTES),
      autoConverge: options.autoConverge ?? true,
      rehearsed: options.rehearsed ?? false,
      throttleInitial: options.throttleInitial ?? 20,
      throttleIncrement: options.throttleIncrement ?? 10,
      throttleMax: options.throttleMax ?? 99,
    };
    this.writer = new StreamWriter((c) => this.queueData(c), this.opts.messageBytes, undefined, DATA_HEADER_BYTES, options.allocate);
    this.toSend = new Uint8Array(vm.dirty.length);
    const { written, dirty } = vm;
    this.known = written ? { written, dirty } : undefined;
    this.stats = emptyStats(vm.ram.length);
  }

  get status(): MigrationStatus {
    return this.phase === 'new' ? 'none' : this.phase;
  }

  /** True while the host may run the guest (everything except the paused stop-and-copy). */
  get guestMayRun(): boolean {
    return this.phase !== 'device' && this.phase !== 'completed';
  }

  /** True once the session will do nothing more. */
  get done(): boolean {
    return this.phase === 'completed' || this.phase === 'failed' || this.phase === 'cancelled';
  }

  /** True while `step()` has work (pages to send, or a switch-over decision after draining). */
  get wantsStep(): boolean {
    return this.phase === 'active' && !(this.draining && this.peerLoaded < this.writer.bytesWritten);
  }

  /** Fraction of guest time to withhold (0..0.99): run `budget × (1 − throttle)` per slice. */
  get throttleFraction(): number {
    return this.throttle / 100;
  }

  /** Messages to send, in order; the caller takes them all. */
  takeOutgoing(): Uint8Array[] {
    return this.outbox.splice(0, this.outbox.length);
  }

  snapshot(now: number): MigrationStats {
    const remainingPages = this.phase === 'completed' ? 0 : this.countRemaining();
    const running = !this.done;
    const total = running ? now - this.t0 : this.stats['total-time'];
    this.stats = {
      ...this.stats,
      status: this.status,
      'total-time': total,
      'expected-downtime': this.bandwidth > 0 ? (remainingPages * TARGET_PAGE_SIZE) / this.bandwidth : 0,
      ram: {
        ...this.stats.ram,
        transferred: this.writer.bytesWritten,
        remaining: remainingPages * TARGET_PAGE_SIZE,
        'dirty-pages-rate': this.dirtyRate,
        mbps: mbps(this.writer.bytesWritten, total),
        'dirty-sync-count': this.iter.n,
        bandwidth: this.bandwidth,
      },
      'cpu-throttle-percentage': this.throttle,
      iterations: this.iterations.slice(),
    };
    return this.stats;
  }

  /** Begins: refuses up front on blockers, else sends header and configuration and waits for ACCEPT. */
  start(now: number): void {
    if (this.phase !== 'new') throw new Error(`start() in phase ${this.phase}`);
    this.t0 = now;
    const blockers = this.vm.blockers();
    if (blockers.length > 0) {
      this.stats = { ...this.stats, 'blocked-reasons': blockers.map((b) => b.reason) };
      this.finish('failed', now, `blocked: ${blockers.map((b) => b.reason).join('; ')}`);
      return;
    }
    this.setPhase('setup', now);
    const configuration = this.vm.configuration();
    this.writer.header();
    // A VM that knows its never-written pages does not send them at all: the stream says so,
    // and the destination's fresh RAM is already zero there (on a 256 MiB guest idle at the
    // prompt, 62 000 of 65 536 pages, each a record to encode, hash and parse).
    this.writer.configuration(this.vm.ram.length, configuration, this.known !== undefined);
    this.configurationSent = configuration;
    this.waitingSince = now;
  }

  /**
   * Runs the pause's code before the pause (stream/rehearse.ts). Drivers call it once after
   * sending what `start` queued, so that it overlaps the destination's decision instead of
   * delaying the configuration. Reads the VM only.
   */
  rehearse(): void {
    const configuration = this.configurationSent;
    if (configuration === undefined || this.done) return;
    this.configurationSent = undefined;
    // Inside the clock: the pause's code only (the RAM pass is already under way by then).
    if (!this.opts.rehearsed) rehearseSource(this.vm, configuration, 'pause');
  }

  /** The driver reports a guest slice: `ms` of host time the guest ran (not transfer time). */
  guestRan(ms: number): void {
    this.guestMs += ms;
    this.bytesSinceSlice = 0;
  }

  /**
   * Whether the driver should run a guest slice after this step: `sliceBytes` of RAM were read since
   * the last one, the iteration's pages are all out (the next step decides, and should see
   * what the guest dirtied meanwhile), or the session waits (for PROGRESS) rather than steps.
   */
  get guestSliceDue(): boolean {
    return this.bytesSinceSlice >= this.opts.sliceBytes || this.cursor >= this.toSend.length || !this.wantsStep;
  }

  /** One message from the destination. */
  receive(bytes: Uint8Array, now: number): void {
    if (this.done) return;
    const m = decodeMessage(bytes);
    if (typeof m === 'string') return this.fail(now, `corrupted message from the destination: ${m}`, true);
    switch (m.kind) {
      case MessageKind.ACCEPT:
        if (this.phase !== 'setup') return this.fail(now, `unexpected ACCEPT in phase ${this.phase}`, true);
        this.stats = { ...this.stats, 'setup-time': now - this.t0 };
        this.setPhase('active', now);
        this.writer.ramStart();
        // The first iteration sends every page (known-zero ones without reading them).
        this.sync(now, true);
        return;
      case MessageKind.REFUSE:
        if (this.phase !== 'setup') return this.fail(now, `unexpected REFUSE in phase ${this.phase}`, true);
        return this.fail(now, `destination refused: ${m.reason}`, false);
      case MessageKind.ERROR:
        return this.fail(now, `destination failed: ${m.reason}`, false);
      case MessageKind.PROGRESS: {
        const expected = this.unconfirmed.shift();
        if (m.loaded !== expected) return this.fail(now, `PROGRESS of ${m.loaded} bytes, expected ${expected ?? 'none'}`, true);
        this.peerLoaded = m.loaded;
        if (this.phase === 'active') this.waitingSince = now;
        return;
      }
      case MessageKind.LOADED:
        if (this.phase !== 'device') return this.fail(now, `unexpected LOADED in phase ${this.phase}`, true);
        this.vm.release();
        this.outbox.push(encodeSignal(MessageKind.GO));
        this.stats = { ...this.stats, downtime: now - this.pauseAt };
        this.finish('completed', now);
        return;
      default:
        return this.fail(now, `unexpected ${kindName(m.kind)} from the destination`, true);
    }
  }

  /** The channel closed (locally or remotely). */
  closed(reason: string, now: number): void {
    if (!this.done) this.fail(now, `channel closed: ${reason}`, false);
  }

  /** The host gives up: the guest keeps running here. No effect once completed. */
  cancel(reason: string, now: number): void {
    if (this.done) return;
    this.outbox.push(encodeReason(MessageKind.CANCEL, reason));
    this.finish('cancelled', now, reason);
  }

  /** Checks the reply timeout (call it while waiting). */
  tick(now: number): void {
    const waiting = this.phase === 'setup' || this.phase === 'device' || (this.phase === 'active' && !this.wantsStep);
    if (waiting && now - this.waitingSince > this.opts.replyTimeoutMs) {
      const what = this.phase === 'setup' ? 'ACCEPT' : this.phase === 'device' ? 'LOADED' : 'PROGRESS';
      this.fail(now, `no ${what} from the destination within ${this.opts.replyTimeoutMs} ms`, true);
    }
  }

  /**
   * Sends the next batch of the current iteration; at its end decides: switch over (pause the
   * guest, send the rest and the devices) or sync again. Bandwidth is measured over the
   * iteration's host time minus the guest slices the driver reported (`guestRan`).
   */
  step(now: number): void {
    if (!this.wantsStep) return;
    if (this.draining) {
      this.draining = false;
      return this.endIteration(now);
    }
    const pages = this.toSend;
    const batch: number[] = [];
    const maxPages = Math.max(1, Math.floor(this.opts.batchBytes / TARGET_PAGE_SIZE));
    this.cursor = collectSet(pages, batch, this.cursor, maxPages);
    if (batch.length > 0) {
      // A small tail waits for the next batch, except after the iteration's last (drained before the switch-over).
      const r = this.writer.ramPages(batch, this.vm.ram, this.known, this.cursor < pages.length);
      this.iter.normal += r.normal;
      this.iter.zero += r.zero;
      this.iter.bytes += r.bytes;
      this.bytesSinceSlice += batch.length * TARGET_PAGE_SIZE;
      this.addRam(r.normal, r.zero);
    }
    // Decide only in a call that encoded nothing: `now` was taken before this call's batch, and
    // a switch-over here would date the pause (and the downtime) before that work. The next
    // call, after a guest slice, decides with a fresh `now`.
    if (this.cursor < pages.length || batch.length > 0) return;
    // The switch-over test needs this iteration's bandwidth (the first one has no earlier one).
    this.bandwidth = this.iterationBandwidth(now);
    if (this.peerLoaded < this.writer.bytesWritten && this.fits(this.countRemaining())) {
      // The switch-over looks due: first let the destination load everything (guest running),
      // so the pause does not wait behind a backlog; the iteration's bandwidth then includes
      // that wait (the destination's real rate), and the decision sees what the guest dirtied.
      this.draining = true;
      this.waitingSince = now;
      return;
    }
    this.endIteration(now);
  }

  /** Bytes per ms over the iteration's host time, without the guest slices the driver reported. */
  private iterationBandwidth(now: number): number {
    const it = this.iter;
    return it.bytes / Math.max(now - it.start - (this.guestMs - it.guestMsAtStart), 1e-3);
  }

  private endIteration(now: number): void {
    const it = this.iter;
    this.bandwidth = this.iterationBandwidth(now);
    const remaining = this.countRemaining();
    const record: IterationRecord = {
      iteration: it.n,
      at: now - this.t0,
      pagesDirtied: it.dirtied,
      normalPages: it.normal,
      zeroPages: it.zero,
      bytes: it.bytes,
      remainingPages: remaining,
      throttle: this.throttle,
    };
    this.iterations.push(record);
    this.onEvent({ type: 'iteration', record, stats: this.snapshot(now) });
    // A transient blocker (a disk request in flight) postpones the switch-over by an iteration.
    if (this.fits(remaining) && this.vm.blockers().length === 0) this.stopAndCopy(now);
    else this.sync(now);
  }

  private fits(remainingPages: number): boolean {
    return remainingPages * TARGET_PAGE_SIZE <= this.bandwidth * this.opts.downtimeLimitMs;
  }


  /**
   * QEMU's migration_bitmap_sync: take the dirty pages (clearing the map first), rate them,
   * maybe throttle. The first sync (`all`) takes every page.
   */
  private sync(now: number, all = false): void {
    const dirty = this.vm.dirty;
    if (all && this.vm.written) {
      // Never-written pages are zero and the stream says unsent pages are zero: skip them. Like
      // QEMU's `duplicate`, the zero-page count counts zero pages sent, so these are not in it
      // (regression: counting them made bench:browser's derived dirty rate 2600 MiB/s idle).
      this.toSend.set(this.vm.written);
      orInto(this.toSend, dirty);
    } else if (all) this.toSend.fill(1);
    else this.toSend.set(dirty);
    this.clearDirty();
    this.cursor = 0;
    const n = countSet(this.toSend);
    const period = now - this.syncAt;
    const sent = this.writer.bytesWritten - this.bytesAtSync;
    if (this.iter.n > 0 && period > 0) {
      this.dirtyRate = (n * MS_PER_S) / period;
      this.autoConverge(n * TARGET_PAGE_SIZE, sent);
    }
    this.syncAt = now;
    this.bytesAtSync = this.writer.bytesWritten;
    this.iter = { n: this.iter.n + 1, start: now, dirtied: n, normal: 0, zero: 0, bytes: 0, guestMsAtStart: this.guestMs };
  }

  /** QEMU's mig_throttle_guest_down trigger: dirtied > half of transferred, two periods in a row. */
  private autoConverge(dirtiedBytes: number, transferredBytes: number): void {
    if (!this.opts.autoConverge) return;
    if (dirtiedBytes <= transferredBytes * DIRTY_RATE_THRESHOLD) {
      this.highRounds = 0;
      return;
    }
    if (++this.highRounds < DIRTY_RATE_HIGH_ROUNDS) return;
    this.highRounds = 0;
    const next = this.throttle === 0 ? this.opts.throttleInitial : this.throttle + this.opts.throttleIncrement;
    this.throttle = Math.min(this.opts.throttleMax, next);
  }

  /** The guest is paused from here on: the rest of RAM, the devices, EOF, END. */
  private stopAndCopy(now: number): void {
    this.pauseAt = now;
    this.setPhase('device', now);
    this.toSend.set(this.vm.dirty);
    this.clearDirty();
    const last: number[] = [];
    collectSet(this.toSend, last);
    const r = this.writer.ramPages(last, this.vm.ram, this.known, true); // ramEnd flushes it
    this.addRam(r.normal, r.zero);
    this.writer.ramEnd();
    this.writer.deviceSections(this.vm.sections());
    this.writer.eof();
    this.outbox.push(encodeSignal(MessageKind.END));
    this.waitingSince = now;
  }

  /** Clears the dirty map, folding it into `written` first (the known-zero bookkeeping). */
  private clearDirty(): void {
    const { dirty, written } = this.vm;
    if (written) orInto(written, dirty);
    dirty.fill(0);
  }

  private addRam(normal: number, zero: number): void {
    const ram = this.stats.ram;
    this.stats = {
      ...this.stats,
      ram: { ...ram, normal: ram.normal + normal, duplicate: ram.duplicate + zero, 'normal-bytes': (ram.normal + normal) * TARGET_PAGE_SIZE },
    };
  }

  /** Dirty pages not sent yet: those left in this iteration plus those dirtied since its sync. */
  private countRemaining(): number {
    return countUnion(this.vm.dirty, this.toSend, this.phase === 'active' ? this.cursor : this.toSend.length);
  }

  /** Queues a writer chunk (DATA_HEADER_BYTES of headroom, then stream bytes) as DATA messages. */
  private queueData(chunk: Uint8Array): void {
    if (chunk.length - DATA_HEADER_BYTES <= MAX_DATA_BYTES) {
      this.outbox.push(dataMessageInPlace(chunk));
      this.dataBytes += chunk.length - DATA_HEADER_BYTES;
      this.unconfirmed.push(this.dataBytes);
      return;
    }
    // A chunk past the message size (a record crossed messageBytes = MAX_DATA_BYTES): split, copying.
    for (let at = DATA_HEADER_BYTES; at < chunk.length; at += MAX_DATA_BYTES) {
      const part = chunk.subarray(at, at + MAX_DATA_BYTES);
      this.outbox.push(encodeData(part));
      this.dataBytes += part.length;
      this.unconfirmed.push(this.dataBytes);
    }
  }

  private fail(now: number, reason: string, tellPeer: boolean): void {
    if (tellPeer) this.outbox.push(encodeReason(MessageKind.ERROR, reason));
    this.finish('failed', now, reason);
  }

  private finish(phase: 'completed' | 'failed' | 'cancelled', now: number, error?: string): void {
    this.stats = { ...this.stats, 'total-time': now - this.t0, ...(error !== undefined ? { 'error-desc': error } : {}) };
    this.setPhase(phase, now);
  }

  private setPhase(phase: Phase, now: number): void {
    this.phase = phase;
    this.onEvent({ type: 'status', stats: this.snapshot(now) });
  }
}

