/**
 * Test worker thread: opens the other end of a migration channel (BroadcastChannel by id, or
 * a transferred worker_threads port) and echoes every message back. Started with tsx's loader
 * by node-worker.test.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort as NodeMessagePort } from 'node:worker_threads';
import { openBroadcastChannel } from '../broadcast-channel.ts';
import type { FramedChannel } from '../framed-channel.ts';
import { channelFromNodePort } from '../node-worker.ts';

export interface EchoWorkerData {
  readonly kind: 'broadcast' | 'port';
  readonly id: string;
  readonly port?: NodeMessagePort;
}

const data = workerData as EchoWorkerData;
const channel: FramedChannel =
  data.kind === 'broadcast' ? openBroadcastChannel(data.id) : channelFromNodePort(data.port!, data.id);
// Echo in order: each send waits for the previous one (backpressure on the way back too).
let chain = Promise.resolve();
channel.onMessage((message) => {
  chain = chain.then(() => channel.send(message)).catch(() => {});
});
channel.onClose((reason) => {
  parentPort?.postMessage({ closed: reason });
  process.exit(0);
});
