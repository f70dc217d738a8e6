/**
 * How much two threads of this process overlap right now, in the shape of a migration: after
 * `idleMs` of quiet, this thread hands a worker `messages` messages, each after `workMs` of busy
 * work, and the worker spends `workMs` on each. Two free cores finish in about
 * (messages + 1) × workMs; one core shared by both threads in 2 × messages × workMs. On the
 * development machine (a 2-vCPU virtual machine) bursts that follow a quiet spell ran nearly
 * serially while long runs overlapped, so bench:migrate prints this beside its totals.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startTypeScriptWorker } from '../src/transport/node-worker.ts';
import { median } from './stats.ts';

const busy = (ms: number): void => {
  const t = performance.now();
  while (performance.now() - t < ms);
};

export interface Overlap {
  /** Median wall time of the bursts, ms. */
  readonly wallMs: number;
  readonly parallelMs: number;
  readonly serialMs: number;
}

export async function measureOverlap(runs = 5, messages = 24, workMs = 0.3, idleMs = 100): Promise<Overlap> {
  const worker = startTypeScriptWorker(new URL(import.meta.url), { workerData: { overlapSink: workMs } });
  await new Promise<void>((res) => worker.once('online', () => res()));
  // The bootstrap loads this module before the sink listens: one round trip says it does.
  worker.postMessage(-1);
  await new Promise((res) => worker.once('message', res));
  try {
    const walls: number[] = [];
    for (let r = 0; r < runs; r++) {
      await new Promise((res) => setTimeout(res, idleMs));
      const done = new Promise<void>((res) => {
        let n = 0;
        const onMessage = () => {
          if (++n === messages) {
            worker.off('message', onMessage);
            res();
          }
        };
        worker.on('message', onMessage);
      });
      const t0 = performance.now();
      for (let i = 0; i < messages; i++) {
        busy(workMs);
        worker.postMessage(i);
      }
      await done;
      walls.push(performance.now() - t0);
    }
    return { wallMs: median(walls), parallelMs: (messages + 1) * workMs, serialMs: 2 * messages * workMs };
  } finally {
    await worker.terminate();
  }
}

const sink = (workerData as { overlapSink?: number } | null)?.overlapSink;
if (!isMainThread && sink !== undefined) {
  parentPort!.on('message', () => {
    busy(sink);
    parentPort!.postMessage(0);
  });
}
