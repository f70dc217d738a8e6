/**
 * Node helpers for tests and the CLI: a `worker_threads` MessagePort as a MigrationChannel,
 * a connected pair in one thread, and starting a TypeScript module as a worker thread.
 * Browser code never imports this module.
 *
 * Node's ports are EventEmitters: `message` listeners receive the value itself, and `close`
 * fires on both ends when either closes (or its thread exits).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort as NodeMessagePort, TransferListItem, WorkerOptions } from 'node:worker_threads';
import type { WireMessage } from './frame.ts';
import { FramedChannel } from './framed-channel.ts';
import type { Wire } from './framed-channel.ts';
import { newMigrationId } from './migration-id.ts';
import type { ChannelOptions } from './options.ts';
import { ownBuffer } from './wire-payload.ts';

/** Wraps a worker_threads port (e.g. one passed in `workerData` or a transfer list) as this endpoint. */
export function channelFromNodePort(port: NodeMessagePort, migrationId: string, options?: ChannelOptions): FramedChannel {
  return new FramedChannel(nodePortWire(port), migrationId, 'point-to-point', options);
}

/** Both ends of a fresh worker_threads MessageChannel as channels (one thread; hand one port to a worker instead with `channelFromNodePort`). */
export function nodeChannelPair(
  options?: ChannelOptions,
  migrationId = newMigrationId(),
): [FramedChannel, FramedChannel] {
  const { port1, port2 } = new MessageChannel();
  return [channelFromNodePort(port1, migrationId, options), channelFromNodePort(port2, migrationId, options)];
}

function nodePortWire(port: NodeMessagePort): Wire {
  let onMessage: ((data: unknown) => void) | undefined;
  let onClose: (() => void) | undefined;
  return {
    transfers: true,
    post([header, payload]: WireMessage, givenAway = false): void {
      const own = givenAway ? payload : ownBuffer(payload);
      const transfer: TransferListItem[] = [header.buffer as ArrayBuffer, own.buffer as ArrayBuffer];
      port.postMessage([header, own], transfer);
    },
    start(onWire, onGone): void {
      onMessage = onWire;
      onClose = () => onGone('peer port closed');
      port.on('message', onMessage);
      port.on('close', onClose);
    },
    dispose(): void {
      if (onMessage) port.off('message', onMessage);
      if (onClose) port.off('close', onClose);
      port.close();
    },
  };
}

/**
 * Starts the TypeScript module at `moduleUrl` in a worker thread. Node 20 does not pass tsx's
 * `--import` hooks to workers (`execArgv` fails with "Unknown file extension .ts"), so a tiny
 * bootstrap registers tsx inside the worker first, then imports the module.
 */
export function startTypeScriptWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(moduleUrl.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}
