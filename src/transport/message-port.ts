/**
 * A MigrationChannel over one end of an entangled MessagePort pair: from a SharedWorker port
 * broker in the browser (shared-worker.ts), or `new MessageChannel()` anywhere. Payload
 * buffers are transferred, not copied; a payload view that does not span its whole buffer is
 * copied first (wire-payload.ts). The pair is point to point, so every wire message is the
 * peer's and any malformed one closes the channel.
 */
import type { WireMessage } from './frame.ts';
import { FramedChannel } from './framed-channel.ts';
import type { Wire } from './framed-channel.ts';
import type { ChannelOptions } from './options.ts';
import { ownBuffer } from './wire-payload.ts';

/** What this module needs of a port; the DOM's MessagePort and Node's global ones fit. */
export interface PortLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'close', listener: () => void): void;
  start(): void;
  close(): void;
}

/**
 * How a transferred buffer reaches the other end: 'move' within one process (worker_threads, a
 * window and its workers): the memory changes hands, so handing DATA buffers back for reuse
 * saves the sender fresh memory; 'copy' across processes (the workers of two tabs): the browser
 * copies every transferred buffer through its IPC, so a buffer handed back would cross once
 * more, as a copy, for nothing.
 */
export type PortTransfer = 'move' | 'copy';

/** Wraps `port` as this endpoint of migration `migrationId`. The channel owns the port from now on. */
export function channelFromPort(port: PortLike, migrationId: string, options?: ChannelOptions, transfer: PortTransfer = 'move'): FramedChannel {
  return new FramedChannel(portWire(port, transfer), migrationId, 'point-to-point', options);
}

function portWire(port: PortLike, transfer: PortTransfer): Wire {
  let onMessage: ((event: MessageEvent) => void) | undefined;
  let onClose: (() => void) | undefined;
  return {
    transfers: transfer === 'move',
    post([header, payload]: WireMessage, givenAway = false): void {
      const own = givenAway ? payload : ownBuffer(payload);
      port.postMessage([header, own], [header.buffer as ArrayBuffer, own.buffer as ArrayBuffer]);
    },
    start(onWire, onGone): void {
      onMessage = (event) => onWire(event.data);
      // Node, and browsers that ship it, fire `close` on a port whose peer closed or died.
      onClose = () => onGone('peer port closed');
      port.addEventListener('message', onMessage);
      port.addEventListener('close', onClose);
      port.start();
    },
    dispose(): void {
      if (onMessage) port.removeEventListener('message', onMessage);
      if (onClose) port.removeEventListener('close', onClose);
      port.close();
    },
  };
}
