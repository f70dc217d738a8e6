/**
 * The Web Worker entry point of one VM: the composition root that wires a VmSession to the
 * browser (performance.now, the app's image folder) and exposes it with comlink. The page
 * imports only the type `VmWorkerApi` (Squoosh style); one worker runs one VM.
 */
import * as Comlink from 'comlink';
import type { BootOptions } from './build-machine.ts';
import type { VmEvent } from './events.ts';
import { channelBench } from './channel-bench.ts';
import { announceOutgoing, dropOutgoing, holdOutgoing, listenIncoming, migrateIn, migrateOut, prepareIncoming, type ChannelSpec, type MigrateOutOptions } from './migration.ts';
import { restoreSessionSnapshot, saveSessionSnapshot } from './snapshot-io.ts';
import { VmSession } from './vm-session.ts';

/** A page-side callback, passed as `Comlink.proxy(fn)`; calls to it return promises here. */
export type VmEventListener = (event: VmEvent) => unknown;

let listener: VmEventListener | undefined;

const emit = (event: VmEvent, transfer?: Transferable[]) => {
  if (!listener) return;
  const message = transfer ? Comlink.transfer(event, transfer) : event;
  // The page may have gone away; a lost event is not the VM's problem.
  Promise.resolve(listener(message)).catch(() => undefined);
};
const clock = { now: () => performance.now() };

const session = new VmSession({
  emit,
  now: clock.now,
  imageBase: new URL(import.meta.env.BASE_URL, self.location.origin).href,
});

const api = {
  /** Where events (progress, run state, console output) go. Call before boot(). */
  attach(l: VmEventListener): void {
    listener = l;
  },
  boot: (options?: BootOptions) => session.boot(options),
  pause: () => session.pause(),
  resume: () => session.resume(),
  reset: () => session.reset(),
  powerOff: () => session.powerOff(),
  /** Console input; returns the number of bytes the VM accepted. */
  input: (bytes: Uint8Array) => session.input(bytes),
  /** Run state and guest speed (cheap). */
  stats: () => session.stats(),
  /** Everything the registers and devices panels show. */
  inspect: () => session.inspect(),
  /** The machine as snapshot bytes (transferred), or why it cannot be saved now. */
  saveSnapshot() {
    const r = saveSessionSnapshot(session);
    return r.ok ? Comlink.transfer(r, [r.bytes.buffer]) : r;
  },
  /** In a fresh worker: restores snapshot bytes and runs the machine with its console history. */
  restoreSnapshot: (bytes: Uint8Array) => restoreSessionSnapshot(session, bytes),
  /** This VM as a migration will describe it, for the destination to prepare (rehearsing the source's pause meanwhile); undefined without a VM. */
  migrationAnnouncement: () => announceOutgoing(session),
  /**
   * In a fresh worker: downloads the boot images and builds the announced machine now, so an
   * incoming migration starts at once and loads into faulted-in RAM.
   */
  /** `announcement` comes from another tab (untrusted): migration.ts checks it. */
  prepareIncoming: (announcement?: unknown) => prepareIncoming(session, announcement, clock),
  /** Sends this VM to another tab's worker over `spec`; progress arrives as 'migration' events. */
  migrateOut: (spec: ChannelSpec, options: MigrateOutOptions = {}) => migrateOut(session, spec, options, emit, clock),
  /** Source, when it agrees to a move: opens the channel now (a WebRTC data channel is handed over in the task that made it). */
  holdOutgoing: (spec: ChannelSpec) => holdOutgoing(spec),
  /** Source: the held channel's move is off. */
  dropOutgoing: (id: string, reason?: string) => dropOutgoing(id, reason),
  /** In a fresh worker, before its tab says ready: opens the channel the VM will arrive on. */
  listenIncoming: (spec: ChannelSpec) => listenIncoming(session, spec),
  /** In a fresh worker: receives a VM over the channel `listenIncoming` opened and runs it. */
  migrateIn: () => migrateIn(session, clock),
  /** Benchmark: raw bandwidth of the migration channel to another worker (see channel-bench.ts). */
  channelBench: (spec: ChannelSpec, role: 'send' | 'receive', bytes: number) => channelBench(spec, role, bytes, clock.now),
};

export type VmWorkerApi = typeof api;

Comlink.expose(api);
