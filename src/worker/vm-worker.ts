/**
 * The Web Worker entry point of one VM: the composition root that wires a VmSession to the
 * browser (performance.now, the app's image folder) and exposes it with comlink. The page
 * imports only the type `VmWorkerApi` (Squoosh style); one worker runs one VM.
 */
import * as Comlink from 'comlink';
import type { BootOptions } from './build-machine.ts';
import type { VmEvent } from './events.ts';
import { VmSession } from './vm-session.ts';

/** A page-side callback, passed as `Comlink.proxy(fn)`; calls to it return promises here. */
export type VmEventListener = (event: VmEvent) => unknown;

let listener: VmEventListener | undefined;

const session = new VmSession({
  emit(event, transfer) {
    if (!listener) return;
    const message = transfer ? Comlink.transfer(event, transfer) : event;
    // The page may have gone away; a lost event is not the VM's problem.
    Promise.resolve(listener(message)).catch(() => undefined);
  },
  now: () => performance.now(),
  imageBase: new URL(import.meta.env.BASE_URL, self.location.origin).href,
});

/**
 * Snapshot save/open and migration add their methods here, built on `session.pause()` (a
 * quiescent machine), `session.machine` and `session.start(machine)` with `session.consoleOut`.
 */
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
};

export type VmWorkerApi = typeof api;

Comlink.expose(api);
