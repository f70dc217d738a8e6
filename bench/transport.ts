/**
 * Raw bandwidth of the migration transports, so the migration benchmark can give total time
 * as a ratio to `nonzero RAM / bandwidth`. `npx tsx bench/transport.ts` prints MB/s (median of
 * 5) for Node worker_threads over BroadcastChannel and over a transferred MessagePort, plus the
 * same transports within one thread. REFERENCE.md "Moving bytes between tabs" has browser
 * figures for comparison.
 *
 * Each message is a 1 MiB buffer filled from a source (as the engine copies RAM pages out), so
 * the figures include that copy; where the channel hands buffers back (takeBuffer/recycle, as
 * the migration engine uses them) the buffer is a reused one, else fresh memory (first touch).
 */
import { fileURLToPath } from 'node:url';
import { MessageChannel, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort as NodeMessagePort } from 'node:worker_threads';
import type { MigrationChannel } from '../src/migration/channel.ts';
import { MAX_MESSAGE_BYTES } from '../src/migration/channel.ts';
import { openBroadcastChannel } from '../src/transport/broadcast-channel.ts';
import { newMigrationId } from '../src/transport/migration-id.ts';
import type { ChannelOptions } from '../src/transport/options.ts';
import { channelFromNodePort, nodeChannelPair, startTypeScriptWorker } from '../src/transport/node-worker.ts';
import { median } from './stats.ts';

const RUNS = 5;
const BENCH_BYTES = 256 << 20;

/** Fills message-sized buffers from a source with non-zero bytes, like pages of a busy guest. */
function messageSource(): Uint8Array {
  const source = new Uint8Array(MAX_MESSAGE_BYTES);
  for (let i = 0; i < source.length; i++) source[i] = (i * 2654435761) >>> 24 || 1;
  return source;
}

/** Sends `bytes` from `sender` in 1 MiB messages, each awaiting the window. */
async function pushBytes(sender: MigrationChannel, bytes: number, source: Uint8Array, reuse = true): Promise<void> {
  for (let sent = 0; sent < bytes; sent += MAX_MESSAGE_BYTES) {
    const n = Math.min(MAX_MESSAGE_BYTES, bytes - sent);
    const message = (reuse ? sender.takeBuffer?.(n, MAX_MESSAGE_BYTES) : undefined) ?? new Uint8Array(n);
    message.set(source.subarray(0, message.length));
    await sender.send(message);
  }
}

/**
 * MB/s (10^6 bytes per second) moving `bytes` from the first channel of `make()` to the second,
 * timed from the first send to the last byte's arrival. Closes both channels afterwards.
 */
export async function measureChannelBandwidth(
  make: () => [MigrationChannel, MigrationChannel],
  bytes: number,
): Promise<number> {
  const [sender, receiver] = make();
  const source = messageSource();
  let received = 0;
  const arrived = new Promise<void>((resolve, reject) => {
    receiver.onMessage((m) => {
      received += m.byteLength;
      receiver.recycle?.(m);
      if (received >= bytes) resolve();
    });
    receiver.onClose((reason) => reject(new Error(`receiver closed: ${reason}`)));
  });
  const start = performance.now();
  await Promise.all([pushBytes(sender, bytes, source), arrived]);
  const seconds = (performance.now() - start) / 1000;
  sender.close('benchmark done');
  receiver.close('benchmark done');
  return bytes / 1e6 / seconds;
}

type Kind = 'broadcast' | 'port';

interface SinkData {
  readonly transportBenchSink: true;
  readonly kind: Kind;
  readonly id: string;
  readonly bytes: number;
  readonly options?: ChannelOptions;
  readonly port?: NodeMessagePort;
}

/**
 * MB/s from this thread to a sink worker thread over `kind`: the sink counts bytes and answers
 * with one message once all arrived, so the time covers the crossing into the other thread.
 */
export async function measureWorkerBandwidth(kind: Kind, bytes: number, options?: ChannelOptions, reuse = true): Promise<number> {
  const id = newMigrationId();
  let channel: MigrationChannel;
  let data: SinkData;
  const transferList: NodeMessagePort[] = [];
  if (kind === 'broadcast') {
    channel = openBroadcastChannel(id, options);
    data = { transportBenchSink: true, kind, id, bytes, options };
  } else {
    const { port1, port2 } = new MessageChannel();
    channel = channelFromNodePort(port1, id, options);
    data = { transportBenchSink: true, kind, id, bytes, options, port: port2 };
    transferList.push(port2);
  }
  const worker = startTypeScriptWorker(new URL(import.meta.url), { workerData: data, transferList });
  try {
    const done = new Promise<void>((resolve, reject) => {
      channel.onMessage(() => resolve());
      channel.onClose((reason) => reject(new Error(`channel closed: ${reason}`)));
      worker.once('error', reject);
    });
    // Let the worker start (and the handshake finish) before the clock runs.
    await channel.send(new Uint8Array(1));
    const start = performance.now();
    await Promise.all([pushBytes(channel, bytes, messageSource(), reuse), done]);
    const seconds = (performance.now() - start) / 1000;
    channel.close('benchmark done');
    return bytes / 1e6 / seconds;
  } finally {
    await worker.terminate();
  }
}

/** The sink end, run in the worker thread `measureWorkerBandwidth` starts. */
function runSink(data: SinkData): void {
  const channel =
    data.kind === 'broadcast'
      ? openBroadcastChannel(data.id, data.options)
      : channelFromNodePort(data.port!, data.id, data.options);
  let received = -1; // the warm-up byte
  channel.onMessage((m) => {
    received += m.byteLength;
    channel.recycle?.(m);
    if (received >= data.bytes) void channel.send(new Uint8Array(1)).catch(() => {});
  });
  channel.onClose(() => parentPort?.close());
}

async function main(): Promise<void> {
  const mib = BENCH_BYTES >> 20;
  process.stdout.write(`transport bandwidth, ${mib} MiB in 1 MiB messages, Node ${process.version}, median of ${RUNS}\n`);
  const cases: [string, () => Promise<number>][] = [
    ['worker_threads BroadcastChannel', () => measureWorkerBandwidth('broadcast', BENCH_BYTES)],
    ['worker_threads MessagePort (transfer)', () => measureWorkerBandwidth('port', BENCH_BYTES)],
    ['worker_threads MessagePort, fresh buffers', () => measureWorkerBandwidth('port', BENCH_BYTES, undefined, false)],
    ['one thread, BroadcastChannel', () => {
      const id = newMigrationId();
      return measureChannelBandwidth(() => [openBroadcastChannel(id), openBroadcastChannel(id)], BENCH_BYTES);
    }],
    ['one thread, MessagePort (transfer)', () => measureChannelBandwidth(() => nodeChannelPair(), BENCH_BYTES)],
  ];
  for (const [name, run] of cases) {
    const results: number[] = [];
    for (let i = 0; i < RUNS; i++) results.push(await run());
    process.stdout.write(
      `  ${name.padEnd(40)} ${median(results).toFixed(0).padStart(6)} MB/s ` +
        `(min ${Math.min(...results).toFixed(0)}, max ${Math.max(...results).toFixed(0)})\n`,
    );
  }
}

const sink = workerData as Partial<SinkData> | null;
if (!isMainThread && sink?.transportBenchSink === true) runSink(sink as SinkData);
else if (isMainThread && process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
