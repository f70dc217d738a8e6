/**
 * What the migration engine sees of a transport: an ordered, reliable stream of messages
 * between exactly two peers, with backpressure. Implementations live in src/transport/
 * (BroadcastChannel between tabs, MessagePort from a SharedWorker, Node worker_threads).
 *
 * Every message that arrives is untrusted input: the engine validates it. A transport
 * validates its own framing (sequence numbers, lengths) and reports violations as `close`
 * with a reason, never as an exception thrown into the engine.
 */
export interface MigrationChannel {
  /**
   * Sends one message. Resolves when the transport can take more (flow control: at most a
   * window of unacknowledged bytes is in flight). Rejects if the channel is closed. The
   * buffer may be transferred (detached) by the transport: do not reuse it.
   */
  send(message: Uint8Array): Promise<void>;
  /** Called for every message from the peer, in order. One handler at a time. */
  onMessage(handler: (message: Uint8Array) => void): void;
  /** Called once when the channel closes, locally or remotely, with the reason. */
  onClose(handler: (reason: string) => void): void;
  /** Closes the channel; the peer's onClose fires (when it can be told). Idempotent. */
  close(reason?: string): void;
  readonly closed: boolean;
  /**
   * Optional, where the transport transfers buffers: a buffer to send a message of `bytes` in,
   * as a view of its first `bytes` (the buffer holds at least `capacity`), reused from those the
   * peer handed back when it can. Sending the view gives the whole buffer away. Undefined: the
   * caller allocates as usual.
   */
  takeBuffer?(bytes: number, capacity: number): Uint8Array | undefined;
  /**
   * Optional: the receiver is done with `message` (it keeps no view of it): the transport may
   * hand its buffer back to the sender for reuse. The message must not be used afterwards.
   */
  recycle?(message: Uint8Array): void;
}

/** Largest message a transport must carry (1 MiB). Larger sends are split by the engine. */
export const MAX_MESSAGE_BYTES = 1 << 20;
