/**
 * The page's side of one VM: its worker (created here, terminated on close), the typed comlink
 * remote, the xterm.js terminal that collects its console, and a small observable status that
 * React reads with useSyncExternalStore. Worker lifecycle lives here and nowhere else.
 */
import * as Comlink from 'comlink';
import type { IterationRecord, MigrationStats } from '../migration/stats.ts';
import type { VmEvent } from '../worker/events.ts';
import type { ChannelSpec } from '../worker/migration.ts';
import type { RunState } from '../worker/inspect-types.ts';
import type { VmWorkerApi } from '../worker/vm-worker.ts';
import { PromptDetector } from './prompt-detector.ts';
import { createTerminal, type VmTerminal } from './terminal.ts';

export type BootPhase = 'idle' | 'downloading' | 'booting' | 'ready';

export interface VmStatus {
  runState: RunState;
  phase: BootPhase;
  loaded: number;
  total: number;
  /** ms since navigation start when the machine first ran (images loaded, machine built). */
  runningAtMs?: number;
  /** ms since navigation start when the shell prompt first appeared. */
  promptAtMs?: number;
  error?: string;
  /** The migration under way or last finished, for the progress views. */
  migration?: MigrationView;
  /** Set once the VM migrated away: the other tab's name. */
  movedTo?: string;
}

/** The wire a move's bytes take: a SharedWorker-brokered MessagePort, a BroadcastChannel, or a WebRTC data channel. */
export type MigrationTransport = 'port' | 'broadcast' | 'rtc';

export interface MigrationView {
  readonly direction: 'out' | 'in';
  readonly peerName: string;
  /** 'connecting' until the engine reports ('preparing' while a destination builds the machine); then the engine's status. */
  readonly status: 'connecting' | 'preparing' | MigrationStats['status'] | 'in-doubt';
  /** Destination: how long building the announced machine took, before the migration started. */
  readonly preparedMs?: number;
  readonly via?: MigrationTransport;
  readonly stats?: MigrationStats;
  readonly iterations: readonly IterationRecord[];
  /** Why it failed or was refused, in words. */
  readonly error?: string;
}

export interface VmHandleOptions {
  /** The VM's display name (a migrated or restored VM keeps the one it had). */
  name?: string;
}

let nextId = 1;

export class VmHandle {
  readonly id: string;
  readonly name: string;
  readonly console: VmTerminal;
  private readonly worker: Worker;
  readonly api: Comlink.Remote<VmWorkerApi>;
  private readonly prompt = new PromptDetector();
  private readonly listeners = new Set<() => void>();
  private current: VmStatus = { runState: 'created', phase: 'idle', loaded: 0, total: 0 };
  private readonly encoder = new TextEncoder();
  private closed = false;

  constructor(options: VmHandleOptions = {}) {
    const n = nextId++;
    this.id = `vm${n}`;
    this.name = options.name ?? `VM ${n}`;
    this.worker = new Worker(new URL('../worker/vm-worker.ts', import.meta.url), { type: 'module', name: this.id });
    this.api = Comlink.wrap<VmWorkerApi>(this.worker);
    this.console = createTerminal((data) => this.input(data));
    void this.api.attach(Comlink.proxy((e: VmEvent) => this.onEvent(e)));
  }

  get status(): VmStatus {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getStatus = (): VmStatus => this.current;

  async boot(): Promise<void> {
    this.update({ phase: 'downloading', error: undefined });
    await this.api.boot();
  }

  /** Start: boots a new VM, or powers a stopped one back on (a reset). */
  async start(): Promise<void> {
    const { runState, phase } = this.current;
    // An error while downloading leaves no machine: download again.
    if (runState === 'created' || (runState === 'error' && phase === 'downloading')) return this.boot();
    if (runState === 'off' || runState === 'error') return this.reset();
  }

  /** Stable functions for usePoll. */
  inspect = () => this.api.inspect();
  stats = () => this.api.stats();

  pause = () => this.api.pause();
  resume = () => this.api.resume();
  powerOff = () => this.api.powerOff();

  async reset(): Promise<void> {
    this.console.terminal.write('\r\n\x1b[2m[reset]\x1b[0m\r\n');
    this.prompt.reset();
    this.update({ phase: 'booting', promptAtMs: undefined });
    await this.api.reset();
  }

  /** The machine as snapshot bytes, or why it cannot be saved. */
  saveSnapshot = () => this.api.saveSnapshot();

  /** In a fresh handle: restores `bytes` and runs the VM; a failure comes back in words. */
  async restoreSnapshot(bytes: Uint8Array): Promise<{ ok: true } | { ok: false; reason: string }> {
    this.update({ phase: 'downloading', error: undefined });
    const r = await this.api.restoreSnapshot(Comlink.transfer(bytes, [bytes.buffer]));
    if (r.ok) this.update({ phase: 'ready' });
    return r;
  }

  /** Sends the VM to another tab's worker; resolves with the engine's final statistics. */
  async migrateOut(spec: ChannelSpec, peerName: string, via?: MigrationView['via']): Promise<MigrationStats> {
    this.setMigration({ direction: 'out', peerName, status: 'connecting', iterations: [], via });
    const stats = await this.api.migrateOut(withTransfer(spec));
    this.setMigration({ ...this.current.migration!, status: stats.status, stats, iterations: stats.iterations, error: stats['error-desc'] });
    if (stats.status === 'completed') this.update({ movedTo: peerName });
    return stats;
  }

  /** In a fresh handle, before saying ready: the worker opens the channel the VM will arrive on. */
  listenIncoming(spec: ChannelSpec): Promise<void> {
    return this.api.listenIncoming(withTransfer(spec));
  }

  /**
   * Source, when it agrees to a move: the worker opens the channel now. Call it in the task
   * that created a WebRTC data channel (comlink posts synchronously): later, the browser refuses
   * to transfer it.
   */
  holdOutgoing(spec: ChannelSpec): Promise<void> {
    return this.api.holdOutgoing(withTransfer(spec));
  }

  /** Source: the move the held channel was for is off. */
  dropOutgoing(id: string, reason?: string): Promise<void> {
    return this.api.dropOutgoing(id, reason);
  }

  /** In a fresh handle: receives a VM from another tab (over the channel `listenIncoming` opened) and runs it. */
  async migrateIn(peerName: string): Promise<{ ok: true; bytes: number } | { ok: false; reason: string; inDoubt?: true }> {
    this.setMigration({ ...this.current.migration, direction: 'in', peerName, status: 'active', iterations: this.current.migration?.iterations ?? [] });
    const r = await this.api.migrateIn();
    if (r.ok) {
      this.update({ phase: 'ready' });
    } else if (r.inDoubt) {
      // Loaded and held paused: the worker has the VM, the hand-over is unconfirmed (destination.ts).
      this.setMigration({ ...this.current.migration!, status: 'in-doubt', error: `the connection to ${peerName} ended before it confirmed the hand-over (${r.reason})` });
      this.update({ phase: 'ready' });
    } else {
      this.setMigration({ ...this.current.migration!, status: 'failed', error: r.reason });
    }
    return r;
  }

  /** Shows progress of this VM's migration (the destination learns it from the source tab). */
  setMigration(m: MigrationView): void {
    this.update({ migration: m });
  }

  input(data: string): void {
    if (this.closed) return;
    void this.api.input(this.encoder.encode(data));
  }

  close(): void {
    this.closed = true;
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
    this.console.terminal.dispose();
    this.listeners.clear();
  }

  private onEvent(e: VmEvent): void {
    if (this.closed) return;
    switch (e.type) {
      case 'progress':
        this.update({ loaded: e.loaded, total: e.total });
        break;
      case 'state':
        this.update({
          runState: e.runState,
          error: e.error,
          phase: e.runState === 'running' && this.current.phase === 'downloading' ? 'booting' : this.current.phase,
          runningAtMs: this.current.runningAtMs ?? (e.runState === 'running' ? performance.now() : undefined),
        });
        break;
      case 'migration': {
        const m = this.current.migration;
        if (!m) break;
        const ev = e.event;
        const iterations = ev.type === 'iteration' ? [...m.iterations, ev.record] : m.iterations;
        this.setMigration({ ...m, status: ev.stats.status, stats: ev.stats, iterations, error: ev.stats['error-desc'] });
        break;
      }
      case 'output':
        this.console.terminal.write(e.bytes);
        if (this.prompt.feed(e.bytes)) this.update({ phase: 'ready', promptAtMs: performance.now() });
        break;
    }
  }

  private update(patch: Partial<VmStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l();
  }
}

/** `spec` with its port or data channel marked for transfer into the worker. */
export function withTransfer(spec: ChannelSpec): ChannelSpec {
  if (spec.kind === 'port') return Comlink.transfer(spec, [spec.port]);
  if (spec.kind === 'rtc') return Comlink.transfer(spec, [spec.channel as unknown as Transferable]);
  return spec;
}
