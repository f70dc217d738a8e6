/**
 * The least any migration of a given RAM can take over a worker_threads MessagePort on this
 * machine right now, measured in the shape of a migration but with nothing else in it: one
 * round trip to agree; then every nonzero page copied out of the source's RAM into 512 KiB
 * messages (128 pages and their numbers) that are transferred, never cloned, within a window
 * of 4 MiB whose buffers come back for reuse; the destination copies each page into RAM it has
 * already touched (a prepared destination's); then one round trip to acknowledge. No stream
 * format, no integrity check, no device state, no guest running. bench:migrate prints it
 * beside the engine's totals: the engine cannot beat it, and the ideal
 * `nonzero RAM / raw bandwidth` counts neither copy.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startTypeScriptWorker } from '../src/transport/node-worker.ts';
import { median } from './stats.ts';

const PAGE = 4096;
const PAGES_PER_MESSAGE = 128;
const INDEX_BYTES = PAGES_PER_MESSAGE * 4;
const MESSAGE_BYTES = INDEX_BYTES + PAGES_PER_MESSAGE * PAGE;
const WINDOW_MESSAGES = 8;

type ToDestination = { kind: 'hello' } | { kind: 'pages'; buffer: ArrayBuffer; count: number } | { kind: 'end' };
type ToSource = { kind: 'accept' } | { kind: 'buffer'; buffer: ArrayBuffer } | { kind: 'loaded' };

/** Median ms, over `runs` transfers each after `idleMs` of quiet, to move `pages` of `ram`. */
export async function measureCopyFloor(ram: Uint8Array, pages: readonly number[], runs = 5, idleMs = 50): Promise<number> {
  const worker = startTypeScriptWorker(new URL(import.meta.url), { workerData: { copyFloorRamBytes: ram.byteLength } });
  const waiting: ((m: ToSource) => void)[] = [];
  const inbox: ToSource[] = [];
  worker.on('message', (m: ToSource) => {
    const w = waiting.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const next = (): Promise<ToSource> => {
    const m = inbox.shift();
    return m ? Promise.resolve(m) : new Promise((res) => waiting.push(res));
  };
  const free = Array.from({ length: WINDOW_MESSAGES }, () => new ArrayBuffer(MESSAGE_BYTES));
  const receive = async (kind: ToSource['kind']): Promise<void> => {
    for (;;) {
      const m = await next();
      if (m.kind === 'buffer') free.push(m.buffer);
      if (m.kind === kind) return;
    }
  };
  const send = (m: ToDestination, transfer: ArrayBuffer[] = []): void => worker.postMessage(m, transfer);
  try {
    // The worker says 'accept' once its RAM is touched; the first transfers warm both loops.
    send({ kind: 'hello' });
    await receive('accept');
    const times: number[] = [];
    for (let r = 0; r < runs + 2; r++) {
      await new Promise((res) => setTimeout(res, idleMs));
      const t0 = performance.now();
      send({ kind: 'hello' });
      await receive('accept');
      for (let i = 0; i < pages.length; i += PAGES_PER_MESSAGE) {
        while (free.length === 0) await receive('buffer');
        const buffer = free.pop()!;
        const index = new Int32Array(buffer, 0, PAGES_PER_MESSAGE);
        const bytes = new Uint8Array(buffer);
        const count = Math.min(PAGES_PER_MESSAGE, pages.length - i);
        for (let k = 0; k < count; k++) {
          const at = pages[i + k]! * PAGE;
          index[k] = pages[i + k]!;
          bytes.set(ram.subarray(at, at + PAGE), INDEX_BYTES + k * PAGE);
        }
        send({ kind: 'pages', buffer, count }, [buffer]);
      }
      send({ kind: 'end' });
      await receive('loaded');
      if (r >= 2) times.push(performance.now() - t0);
      while (free.length < WINDOW_MESSAGES) await receive('buffer');
    }
    return median(times);
  } finally {
    await worker.terminate();
  }
}

function runDestination(ramBytes: number): void {
  const ram = new Uint8Array(ramBytes);
  const reply = (m: ToSource, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(m, transfer);
  let touched = false;
  parentPort!.on('message', (m: ToDestination) => {
    if (m.kind === 'hello') {
      // Whole pages, as a prepared destination touches them (src/migration/machine.ts `prefault`).
      if (!touched) ram.fill(0);
      touched = true;
      reply({ kind: 'accept' });
    } else if (m.kind === 'pages') {
      const index = new Int32Array(m.buffer, 0, PAGES_PER_MESSAGE);
      const bytes = new Uint8Array(m.buffer);
      for (let k = 0; k < m.count; k++) ram.set(bytes.subarray(INDEX_BYTES + k * PAGE, INDEX_BYTES + (k + 1) * PAGE), index[k]! * PAGE);
      reply({ kind: 'buffer', buffer: m.buffer }, [m.buffer]);
    } else {
      reply({ kind: 'loaded' });
    }
  });
}

const floorRam = (workerData as { copyFloorRamBytes?: number } | null)?.copyFloorRamBytes;
if (!isMainThread && floorRam !== undefined) runDestination(floorRam);
