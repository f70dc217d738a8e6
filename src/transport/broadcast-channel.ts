/**
 * A MigrationChannel over BroadcastChannel: between tabs (and their workers) of one browser
 * profile, or between Node `worker_threads` of one process (Node also delivers between two
 * instances in one thread). The channel is named `tabvm-migrate-<id>` so other tabs never see
 * it; frames carry the id and a per-endpoint sender id, and whatever a third party posts on
 * the same name is ignored (`trust: 'shared'`).
 *
 * BroadcastChannel has no transfer list and no flow control: payloads are structured-cloned
 * (whole-buffer views only, see wire-payload.ts) and the framed channel's ACK window bounds
 * what is queued at the receiver.
 */
import type { WireMessage } from './frame.ts';
import { FramedChannel } from './framed-channel.ts';
import type { Wire } from './framed-channel.ts';
import { channelName } from './migration-id.ts';
import type { ChannelOptions } from './options.ts';
import { ownBuffer } from './wire-payload.ts';

export function broadcastChannelAvailable(): boolean {
  return typeof BroadcastChannel !== 'undefined';
}

/** Opens this endpoint of migration `migrationId`; the peer opens the same id in another tab or thread. */
export function openBroadcastChannel(migrationId: string, options?: ChannelOptions): FramedChannel {
  const broadcast = new BroadcastChannel(channelName(migrationId));
  return new FramedChannel(broadcastWire(broadcast), migrationId, 'shared', options);
}

function broadcastWire(broadcast: BroadcastChannel): Wire {
  return {
    post([header, payload]: WireMessage): void {
      broadcast.postMessage([header, ownBuffer(payload)]);
    },
    start(onWire): void {
      broadcast.onmessage = (event: MessageEvent) => onWire(event.data);
      // A message that failed to deserialize is nobody's frame: the framed channel's window and
      // sequence checks notice if it was the peer's.
      broadcast.onmessageerror = () => onWire(undefined);
    },
    dispose(): void {
      broadcast.onmessage = null;
      broadcast.onmessageerror = null;
      broadcast.close();
    },
  };
}
