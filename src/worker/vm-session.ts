/**
 * One VM inside its worker: the machine, its real-time run loop and its life cycle
 * (created → loading → running ⇄ paused → off, or error). The loop runs a Pacer step of at most
 * ~10 ms (the budget adapts to the measured speed), hands console output out at most once per
 * frame, yields through a MessageChannel while the guest is busy and sleeps (wakeable by input)
 * while it idles, so the worker always answers calls within a step.
 *
 * Extension points for snapshots and migration: `machine` is the running VirtMachine; `pause()`
 * leaves it quiescent between two steps (safe to save); `start(machine)` runs any machine, e.g.
 * one loaded from a snapshot or an incoming migration stream, built with `consoleOut` as its
 * console backend.
 */
import { ConsoleBatcher } from '../host/browser/console-batcher.ts';
import { fetchImages, type FetchProgress } from '../host/browser/fetch-images.ts';
import { Scheduler } from '../host/browser/macrotask.ts';
import { Pacer } from '../host/pacer.ts';
import type { VirtMachine } from '../machine/virt-machine.ts';
import { buildBrowserMachine, browserMachineConfig, DEFAULT_IMAGE_FILES, type BootImages, type BootOptions } from './build-machine.ts';
import type { Emit } from './events.ts';
import { inspectMachine } from './inspect.ts';
import type { RunState, VmSnapshotView, VmStats } from './inspect-types.ts';
import { MipsMeter } from './mips-meter.ts';

/** Host time one step aims for; the worker must answer within ~15 ms. */
export const STEP_TARGET_MS = 10;
const BUDGET_MIN = 10_000;
const BUDGET_MAX = 20_000_000;
const BUDGET_START = 200_000;
/** Progress events at most this often while images download (plus the last one). */
const PROGRESS_INTERVAL_MS = 50;

export interface SessionHost {
  emit: Emit;
  /** Host clock in milliseconds (performance.now in the worker). */
  now(): number;
  /** Default image folder (the app's public/). */
  imageBase: string;
}

export class VmSession {
  private runState: RunState = 'created';
  private error: string | undefined;
  private vm: VirtMachine | undefined;
  private pacer: Pacer | undefined;
  private readonly batcher = new ConsoleBatcher();
  private readonly meter = new MipsMeter();
  private readonly scheduler = new Scheduler();
  private bootImages: BootImages | undefined;
  /** Bumped whenever a loop must stop: a loop runs only while its generation is current. */
  private generation = 0;

  constructor(private readonly host: SessionHost) {}

  /** The console backend for machines this session runs (MachineHost.consoleOut). */
  readonly consoleOut = (bytes: Uint8Array): void => this.batcher.push(bytes);

  get state(): RunState {
    return this.runState;
  }

  get machine(): VirtMachine | undefined {
    return this.vm;
  }

  /** Downloads the images, builds the machine and starts it. Resolves once it runs. */
  async boot(options: BootOptions = {}, build = true): Promise<RunState> {
    if (this.runState !== 'created' && this.runState !== 'error') throw new Error(`boot() in state ${this.runState}`);
    this.setState('loading');
    try {
      let last = -Infinity;
      const progress = (p: FetchProgress) => {
        const t = this.host.now();
        if (t - last < PROGRESS_INTERVAL_MS && p.loaded < p.total) return;
        last = t;
        this.host.emit({ type: 'progress', loaded: p.loaded, total: p.total });
      };
      const [firmware, kernel, initrd, disk] = await fetchImages(
        options.imageBase ?? this.host.imageBase,
        DEFAULT_IMAGE_FILES,
        progress,
        undefined,
        (file, actual, listed) => console.warn(`${file}: sha256 ${actual} differs from manifest.json's ${listed} (stale manifest?)`),
      );
      const images: BootImages = { firmware: firmware!, kernel: kernel!, initrd, disk };
      this.bootImages = images;
      if (build) {
        const config = browserMachineConfig(options, images, Date.now());
        this.start(buildBrowserMachine(config, images, this.consoleOut));
      }
    } catch (e) {
      this.fail(e);
    }
    return this.runState;
  }

  /** The images this session fetched (a restore or an incoming migration checks against them). */
  get images(): BootImages | undefined {
    return this.bootImages;
  }

  /** Uses images the host already has (tests, or a page that fetched them) instead of downloading. */
  provideImages(images: BootImages): void {
    this.bootImages = images;
  }

  /** Fetches the default images without building a machine (for a restore or an incoming migration). */
  async fetchImagesOnly(options: BootOptions = {}): Promise<BootImages | undefined> {
    if (this.bootImages) return this.bootImages;
    await this.boot(options, false);
    return this.bootImages;
  }

  /** Runs `machine` from its current state (a fresh boot, a snapshot, a migrated VM). */
  start(machine: VirtMachine): void {
    this.stopLoop();
    this.vm = machine;
    this.pacer = new Pacer(machine);
    this.pacer.budget = BUDGET_START;
    this.meter.reset();
    this.run();
  }

  pause(): RunState {
    if (this.runState === 'running') {
      this.stopLoop();
      this.pacer?.pause();
      this.meter.reset();
      this.flushConsole(true);
      this.setState('paused');
    }
    return this.runState;
  }

  resume(): RunState {
    if (this.runState === 'paused') this.run();
    return this.runState;
  }

  /** Resets the board as the guest's reboot does (RAM reloaded from the images); starts it if it was off. */
  reset(): RunState {
    const m = this.vm;
    if (!m) return this.runState;
    m.reboot();
    this.meter.reset();
    if (this.runState === 'off' || this.runState === 'error') this.run();
    return this.runState;
  }

  /** Pulls the plug: the guest stops at once, as after a poweroff. */
  powerOff(): RunState {
    const m = this.vm;
    if (!m || this.runState === 'off') return this.runState;
    this.stopLoop();
    m.board.power = 'off';
    this.flushConsole(true);
    this.setState('off');
    return this.runState;
  }

  /** Queues console input; returns the number of bytes accepted (the rest: buffer full). */
  input(bytes: Uint8Array): number {
    if (!this.vm) return 0;
    const n = this.vm.consoleInput(bytes);
    this.scheduler.wake();
    return n;
  }

  /** Run state and speed: cheap enough for every VM card. */
  stats(): VmStats {
    const m = this.vm;
    return {
      runState: this.runState,
      power: m ? m.board.power : 'none',
      instret: m ? m.hart.state.instret : 0,
      mips: this.meter.mips(this.host.now()),
      busyMips: this.meter.busyMips(),
      error: this.error,
    };
  }

  /** Stats plus the machine's registers and devices, for the panels. */
  inspect(): VmSnapshotView {
    return { ...this.stats(), machine: this.vm ? inspectMachine(this.vm) : undefined };
  }

  /**
   * Hands the guest to a migration driver: the loop stops, the run state stays. Returns
   * whether the guest was running (`reattach` needs it back).
   */
  detach(): boolean {
    const wasRunning = this.runState === 'running';
    this.stopLoop();
    this.flushConsole(true);
    return wasRunning;
  }

  /**
   * One host slice of guest work while a migration driver holds the VM; `throttle` (0..0.99)
   * is the share of the step's budget auto-converge withholds. Yields once so channel
   * messages are handled.
   */
  async slice(throttle: number): Promise<void> {
    const pacer = this.pacer;
    if (pacer && this.runState === 'running') {
      const full = pacer.budget;
      pacer.budget = Math.max(BUDGET_MIN, Math.round(full * (1 - throttle)));
      const t0 = this.host.now();
      const r = pacer.step();
      const t1 = this.host.now();
      pacer.budget = full;
      this.meter.record(t1, r.instructions, t1 - t0);
      if (throttle === 0) this.adapt(pacer, r.instructions, r.idle, t1 - t0);
      if (r.power === 'off') {
        this.flushConsole(true);
        this.setState('off');
      } else this.flushConsole(false);
    }
    await this.scheduler.yield();
  }

  /** The migration failed or was cancelled: the loop takes the guest back. */
  reattach(wasRunning: boolean): void {
    if (wasRunning && this.runState === 'running' && this.pacer) this.run();
  }

  /** The destination owns the guest now: this session never runs its machine again. */
  markMoved(): void {
    this.stopLoop();
    this.flushConsole(true);
    this.vm = undefined;
    this.pacer = undefined;
    this.setState('moved');
  }

  /** Runs a machine that arrived from elsewhere (a snapshot, a migration), showing its console history first. */
  startWithHistory(machine: VirtMachine): void {
    const history = machine.consoleHistory();
    if (history.length > 0) this.host.emit({ type: 'output', bytes: history }, [history.buffer]);
    this.start(machine);
  }

  /**
   * Holds a machine that arrived but whose hand-over was not confirmed (src/migration/destination.ts,
   * 'in-doubt'): its console history is shown and it stays paused until `resume`.
   */
  holdWithHistory(machine: VirtMachine): void {
    const history = machine.consoleHistory();
    if (history.length > 0) this.host.emit({ type: 'output', bytes: history }, [history.buffer]);
    this.stopLoop();
    this.vm = machine;
    this.pacer = new Pacer(machine);
    this.pacer.budget = BUDGET_START;
    this.meter.reset();
    this.setState('paused');
  }

  /** Marks the session failed with a message (a restore or an incoming migration that did not happen). */
  failWith(message: string): void {
    this.stopLoop();
    this.error = message;
    this.setState('error');
  }

  dispose(): void {
    this.stopLoop();
    this.scheduler.close();
  }

  private run(): void {
    this.setState('running');
    this.pacer!.resume();
    const gen = ++this.generation;
    this.loop(gen).catch((e: unknown) => this.fail(e));
  }

  private stopLoop(): void {
    this.generation++;
    this.scheduler.wake();
  }

  private async loop(gen: number): Promise<void> {
    const pacer = this.pacer!;
    while (gen === this.generation) {
      const t0 = this.host.now();
      const r = pacer.step();
      const t1 = this.host.now();
      this.meter.record(t1, r.instructions, t1 - t0);
      this.adapt(pacer, r.instructions, r.idle, t1 - t0);
      if (r.power === 'off') {
        this.flushConsole(true);
        this.generation++;
        this.setState('off');
        return;
      }
      this.flushConsole(false);
      const wait = Math.min(r.sleepMs, this.batcher.msUntilDue(t1));
      if (wait > 0) await this.scheduler.sleep(wait);
      else await this.scheduler.yield();
    }
  }

  /** Sizes the next step so it takes about STEP_TARGET_MS at the speed just measured. */
  private adapt(pacer: Pacer, instructions: number, idle: boolean, ms: number): void {
    if (ms <= 0 || instructions === 0 || (idle && ms < STEP_TARGET_MS)) return;
    const next = Math.round((instructions / ms) * STEP_TARGET_MS);
    pacer.budget = Math.min(BUDGET_MAX, Math.max(BUDGET_MIN, next));
  }

  private flushConsole(force: boolean): void {
    const bytes = this.batcher.take(this.host.now(), force);
    if (bytes) this.host.emit({ type: 'output', bytes }, [bytes.buffer]);
  }

  private setState(s: RunState): void {
    this.runState = s;
    if (s !== 'error') this.error = undefined;
    this.host.emit(s === 'error' ? { type: 'state', runState: s, error: this.error } : { type: 'state', runState: s });
  }

  private fail(e: unknown): void {
    this.stopLoop();
    this.flushConsole(true);
    this.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    if (!(e instanceof Error) || !/^(ImageFetchError|BootImageError|ConfigError|ElfError)$/.test(e.name)) console.error(e);
    this.setState('error');
  }
}
