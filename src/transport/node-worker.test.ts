/**
 * Across real worker_threads, as the migration tests and the CLI use them: a BroadcastChannel
 * or a transferred port between the test thread and an echo worker; a worker that dies
 * without a CLOSE is noticed.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openBroadcastChannel } from './broadcast-channel.ts';
import type { FramedChannel } from './framed-channel.ts';
import { newMigrationId } from './migration-id.ts';
import { channelFromNodePort, startTypeScriptWorker } from './node-worker.ts';
import type { EchoWorkerData } from './testing/echo-worker.ts';
import { until } from './testing/raw-peer.ts';

const ECHO_WORKER = new URL('./testing/echo-worker.ts', import.meta.url);
const workers: Worker[] = [];

function startEcho(kind: 'broadcast' | 'port', options = {}): { channel: FramedChannel; worker: Worker; closed: Promise<string> } {
  const id = newMigrationId();
  let channel: FramedChannel;
  let worker: Worker;
  if (kind === 'broadcast') {
    channel = openBroadcastChannel(id, options);
    worker = startTypeScriptWorker(ECHO_WORKER, { workerData: { kind, id } satisfies EchoWorkerData });
  } else {
    const { port1, port2 } = new MessageChannel();
    channel = channelFromNodePort(port1, id, options);
    worker = startTypeScriptWorker(ECHO_WORKER, {
      workerData: { kind, id, port: port2 } satisfies EchoWorkerData,
      transferList: [port2],
    });
  }
  workers.push(worker);
  const closed = new Promise<string>((resolve) => worker.on('message', (m: { closed: string }) => resolve(m.closed)));
  return { channel, worker, closed };
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe.each(['broadcast', 'port'] as const)('worker_threads over %s', (kind) => {
  it('echoes 64 MiB in 1 MiB messages, in order, and the worker sees our CLOSE reason', async () => {
    const { channel, closed } = startEcho(kind);
    const echoed: Uint8Array[] = [];
    channel.onMessage((m) => echoed.push(m));
    const count = 64;
    for (let i = 0; i < count; i++) await channel.send(new Uint8Array(1 << 20).fill(i));
    await until(() => echoed.length === count, 20_000);
    echoed.forEach((m, i) => {
      expect(m.byteLength).toBe(1 << 20);
      expect([m[0], m[12345], m[(1 << 20) - 1]]).toEqual([i, i, i]);
    });
    channel.close('migration complete');
    expect(await closed).toBe('peer closed: migration complete');
  });

  it('notices a worker that dies without saying goodbye', async () => {
    const { channel, worker } = startEcho(kind, { idleTimeoutMs: 300, heartbeatMs: 50 });
    let reason = '';
    channel.onClose((r) => (reason = r));
    channel.onMessage(() => {});
    await channel.send(new Uint8Array(10));
    await until(() => channel.connected && channel.stats.messagesReceived === 1, 10_000);
    await worker.terminate();
    await until(() => channel.closed, 3000);
    expect(reason).toMatch(kind === 'broadcast' ? /^peer silent for \d+ ms/ : /^peer port closed$/);
  });
});
