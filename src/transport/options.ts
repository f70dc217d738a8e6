/** Tunables of a framed channel, with the defaults the migration uses. */

export interface ChannelOptions {
  /** Close with 'peer silent …' when nothing arrived from the peer for this long (default 5000 ms). */
  readonly idleTimeoutMs?: number;
  /** Send an ACK as a heartbeat when nothing was sent for this long (default idleTimeoutMs / 4). */
  readonly heartbeatMs?: number;
  /** Close when no peer answered the HELLO within this long (default 10000 ms). */
  readonly connectTimeoutMs?: number;
  /** Repeat the HELLO this often until the peer has heard it (default 50 ms). */
  readonly helloIntervalMs?: number;
  /** Posting stops while this many bytes (payload + header) are unacknowledged (default 4 MiB). */
  readonly windowBytes?: number;
  /** The receiver acknowledges every time this many bytes were delivered (default 256 KiB). */
  readonly ackEveryBytes?: number;
}

export type ResolvedOptions = Required<ChannelOptions>;

export const DEFAULT_IDLE_TIMEOUT_MS = 5000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_HELLO_INTERVAL_MS = 50;
export const DEFAULT_WINDOW_BYTES = 4 << 20;
export const DEFAULT_ACK_EVERY_BYTES = 256 << 10;

/**
 * Fills in defaults and checks the options (host input: a bad value throws). A sender posts
 * while fewer than `windowBytes` are unacknowledged (so it may overshoot by one message); the
 * receiver acknowledges every `ackEveryBytes`, which must not exceed the window, or a sender
 * could wait for an ACK the receiver only sends at the next heartbeat.
 */
export function resolveOptions(options: ChannelOptions = {}): ResolvedOptions {
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const resolved: ResolvedOptions = {
    idleTimeoutMs,
    heartbeatMs: options.heartbeatMs ?? idleTimeoutMs / 4,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    helloIntervalMs: options.helloIntervalMs ?? DEFAULT_HELLO_INTERVAL_MS,
    windowBytes: options.windowBytes ?? DEFAULT_WINDOW_BYTES,
    ackEveryBytes: options.ackEveryBytes ?? DEFAULT_ACK_EVERY_BYTES,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`channel option ${key} must be positive, got ${value}`);
  }
  if (resolved.heartbeatMs >= resolved.idleTimeoutMs) {
    throw new RangeError(`heartbeatMs (${resolved.heartbeatMs}) must be below idleTimeoutMs (${resolved.idleTimeoutMs})`);
  }
  if (resolved.ackEveryBytes > resolved.windowBytes) {
    throw new RangeError(`ackEveryBytes (${resolved.ackEveryBytes}) must not exceed windowBytes (${resolved.windowBytes})`);
  }
  return resolved;
}
