/**
 * Migration transports: MigrationChannel implementations (src/migration/channel.ts) with
 * framing, an ACK window for backpressure, heartbeats and an idle timeout.
 *
 * - `openBroadcastChannel(id)`: between tabs of one browser, or worker_threads in Node.
 * - `requestMigrationPort(id)` (in a window, where `sharedWorkerAvailable()`), then
 *   `channelFromPort(port, id)` (in the VM's worker, after transferring the port): faster,
 *   transfers buffers.
 * - `channelFromDataChannel(dc, id)` (in the VM's worker, after transferring an
 *   RTCDataChannel): between two browsers joined by WebRTC (src/ui/rtc-link.ts).
 * - Node: `channelFromNodePort`, `nodeChannelPair`, `startTypeScriptWorker` (node-worker.ts,
 *   imported directly so browser bundles never see node:worker_threads).
 *
 * Both ends use the same migration id (`newMigrationId()` on the source, passed to the
 * destination out of band). Reading order: migration-id, frame, options, send-window,
 * framed-channel, then the wires.
 */
export { broadcastChannelAvailable, openBroadcastChannel } from './broadcast-channel.ts';
export { FramedChannel } from './framed-channel.ts';
export type { ChannelStats } from './framed-channel.ts';
export { channelFromDataChannel } from './data-channel.ts';
export type { DataChannelLike } from './data-channel.ts';
export { channelFromPort } from './message-port.ts';
export type { PortTransfer } from './message-port.ts';
export { channelName, isMigrationId, newMigrationId } from './migration-id.ts';
export type { ChannelOptions } from './options.ts';
export { connectPortBroker, requestMigrationPort, sharedWorkerAvailable } from './shared-worker.ts';
