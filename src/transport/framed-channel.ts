/**
 * A MigrationChannel over any message-passing `Wire`: HELLO handshake, in-order DATA with
 * sequence numbers, an acknowledgement window for backpressure, heartbeats, an idle timeout
 * that notices a peer that vanished without a CLOSE, and CLOSE with a reason.
 *
 * Two trust modes. On a `shared` medium (BroadcastChannel: anyone who knows the name can
 * post) traffic that is not attributable to the peer — wrong shape, another migration id,
 * another sender — is ignored and counted; a frame that carries this migration's id and the
 * peer's sender id is validated strictly. On a `point-to-point` medium (an entangled
 * MessagePort) every wire message comes from the peer, so anything wrong closes the channel.
 */
import type { MigrationChannel } from '../migration/channel.ts';
import { MAX_MESSAGE_BYTES } from '../migration/channel.ts';
import {
  FrameType, HEADER_BYTES, MAX_RETURN_BYTES, closePayload, closeReason, decodeFrame, encodeHeader, helloHeardPeer, helloPayload,
} from './frame.ts';
import type { Frame, WireMessage } from './frame.ts';
import { migrationIdBytes, newSenderId } from './migration-id.ts';
import { resolveOptions } from './options.ts';
import type { ChannelOptions, ResolvedOptions } from './options.ts';
import { SendWindow } from './send-window.ts';

/** What a transport provides: post wire messages, deliver received ones. */
export interface Wire {
  /**
   * Posts one wire message; the transport may transfer the payload's buffer. `givenAway`: the
   * sender gave the payload's whole buffer away (FramedChannel.takeBuffer), so a payload view
   * shorter than its buffer is transferred as it is instead of copied. May throw (host failure).
   */
  post(message: WireMessage, givenAway?: boolean): void;
  /** True when payload buffers are transferred, not copied: handing them back for reuse pays. */
  readonly transfers?: boolean;
  /** Starts delivery. `onGone` reports that the medium itself closed (a MessagePort's peer went away). */
  start(onWire: (data: unknown) => void, onGone: (reason: string) => void): void;
  /** Stops delivery and releases the host object. */
  dispose(): void;
}

export type Trust = 'shared' | 'point-to-point';

export interface ChannelStats {
  readonly messagesSent: number;
  readonly messagesReceived: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Wire messages ignored as third-party traffic (shared medium only). */
  readonly ignored: number;
  readonly bytesInFlight: number;
  /** Buffers handed back to the peer after use (RETURN) and buffers sent in again from those the peer handed back. */
  readonly buffersReturned: number;
  readonly buffersReused: number;
  /** Buffers the peer handed back that wait to be reused. */
  readonly spareBuffers: number;
}

interface PendingSend {
  readonly payload: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** The u32 sequence number space; a channel never needs more messages than this. */
const SEQ_LIMIT = 2 ** 32;
/** Buffers kept from the peer's RETURNs at most (a few windows' worth of messages). */
const MAX_SPARE_BUFFERS = 16;

export class FramedChannel implements MigrationChannel {
  readonly senderId = newSenderId();
  private readonly id: Uint8Array;
  private readonly opts: ResolvedOptions;
  private readonly window: SendWindow;
  private peer = 0;
  private peerHeardUs = false;
  private closeReasonText: string | undefined;

  private readonly pending: PendingSend[] = [];
  private expectedSeq = 0;
  private unackedBytes = 0;
  private readonly undelivered: Uint8Array[] = [];
  private messageHandler: ((message: Uint8Array) => void) | undefined;
  private closeHandler: ((reason: string) => void) | undefined;

  private readonly createdAt = performance.now();
  private lastHeard = this.createdAt;
  private lastSent = -Infinity;
  private lastHello = -Infinity;
  private lastTick = this.createdAt;
  private readonly tickMs: number;
  private readonly timer: ReturnType<typeof setInterval>;
  private counters = { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0, ignored: 0, buffersReturned: 0, buffersReused: 0 };
  /** Buffers the peer handed back, to send in again (takeBuffer). */
  private readonly spare: ArrayBuffer[] = [];
  /** Buffers takeBuffer gave out: sending a view of one gives the whole buffer away. */
  private readonly givenOut = new WeakSet<ArrayBuffer>();

  constructor(
    private readonly wire: Wire,
    migrationId: string,
    private readonly trust: Trust,
    options?: ChannelOptions,
  ) {
    this.id = migrationIdBytes(migrationId);
    this.opts = resolveOptions(options);
    this.window = new SendWindow(this.opts.windowBytes);
    this.tickMs = Math.min(this.opts.helloIntervalMs, this.opts.heartbeatMs);
    wire.start((data) => this.receive(data), (reason) => this.shutdown(reason, false));
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.sendHello();
  }

  get closed(): boolean {
    return this.closeReasonText !== undefined;
  }

  /** Whether the peer's HELLO has arrived (DATA flows only then). */
  get connected(): boolean {
    return this.peer !== 0 && !this.closed;
  }

  get stats(): ChannelStats {
    return { ...this.counters, bytesInFlight: this.window.bytesInFlight, spareBuffers: this.spare.length };
  }

  send(message: Uint8Array): Promise<void> {
    if (this.closeReasonText !== undefined) return Promise.reject(new Error(`channel closed: ${this.closeReasonText}`));
    if (message.byteLength > MAX_MESSAGE_BYTES) {
      return Promise.reject(new RangeError(`message of ${message.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}`));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ payload: message, resolve, reject });
      this.pump();
    });
  }

  /**
   * A buffer for a message of `bytes` (MigrationChannel.takeBuffer): one the peer handed back
   * when one is large enough, else a fresh one of `capacity` bytes (or `bytes` if larger).
   * Undefined where the wire copies payloads (nothing to gain).
   */
  takeBuffer(bytes: number, capacity: number): Uint8Array | undefined {
    if (this.wire.transfers !== true || this.closed || bytes > MAX_MESSAGE_BYTES) return undefined;
    let buffer: ArrayBuffer | undefined;
    const i = this.spare.findIndex((b) => b.byteLength >= bytes);
    if (i >= 0) {
      buffer = this.spare.splice(i, 1)[0]!;
      this.counters.buffersReused++;
    }
    buffer ??= new ArrayBuffer(Math.min(Math.max(bytes, capacity), MAX_RETURN_BYTES));
    this.givenOut.add(buffer);
    return new Uint8Array(buffer, 0, bytes);
  }

  /** Hands a received message's buffer back to the peer for reuse (MigrationChannel.recycle). */
  recycle(message: Uint8Array): void {
    if (this.wire.transfers !== true || this.closed || this.peer === 0) return;
    const buffer = message.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 || buffer.byteLength > MAX_RETURN_BYTES) return;
    this.counters.buffersReturned++;
    this.post(FrameType.RETURN, 0, new Uint8Array(buffer), true);
  }

  onMessage(handler: (message: Uint8Array) => void): void {
    this.messageHandler = handler;
    while (this.undelivered.length > 0 && this.messageHandler === handler && !this.closed) {
      this.deliver(this.undelivered.shift()!);
    }
  }

  onClose(handler: (reason: string) => void): void {
    this.closeHandler = handler;
    if (this.closeReasonText !== undefined) handler(this.closeReasonText);
  }

  close(reason = 'closed'): void {
    this.shutdown(reason, true);
  }

  /** Posts queued messages while the window has room. */
  private pump(): void {
    while (this.peer !== 0 && !this.closed && this.pending.length > 0 && this.window.hasRoom) {
      const next = this.pending.shift()!;
      const seq = this.window.take(next.payload.byteLength + HEADER_BYTES);
      if (seq >= SEQ_LIMIT) {
        next.reject(new Error('channel closed: sequence numbers exhausted'));
        this.shutdown('sequence numbers exhausted', true);
        return;
      }
      this.counters.messagesSent++;
      this.counters.bytesSent += next.payload.byteLength;
      if (!this.post(FrameType.DATA, seq, next.payload, this.givenOut.delete(next.payload.buffer as ArrayBuffer))) {
        next.reject(new Error(`channel closed: ${this.closeReasonText}`));
        return;
      }
      next.resolve();
    }
  }

  /** Posts one frame; on a host failure closes the channel and returns false. */
  private post(type: FrameType, seq: number, payload: Uint8Array, givenAway = false): boolean {
    try {
      this.wire.post([encodeHeader(type, this.id, this.senderId, seq, payload.byteLength), payload], givenAway);
      this.lastSent = performance.now();
      return true;
    } catch (error) {
      this.shutdown(`transport failed: ${error instanceof Error ? error.message : String(error)}`, false);
      return false;
    }
  }

  private sendHello(): void {
    this.lastHello = performance.now();
    this.post(FrameType.HELLO, 0, helloPayload(this.peer));
  }

  private sendAck(): void {
    this.unackedBytes = 0;
    this.post(FrameType.ACK, this.expectedSeq - this.undelivered.length, new Uint8Array(0));
  }

  private receive(data: unknown): void {
    if (this.closed) return;
    const decoded = decodeFrame(data, this.id);
    if (decoded.kind === 'foreign') return this.reject(0, decoded.reason);
    if (decoded.kind === 'invalid') return this.reject(decoded.sender, decoded.reason);
    const frame = decoded.frame;
    if (this.peer === 0) return this.receiveBeforeHandshake(frame);
    if (frame.sender !== this.peer) return this.reject(frame.sender, `frame from sender ${frame.sender}, not the peer`);
    this.lastHeard = performance.now();
    switch (frame.type) {
      case FrameType.DATA:
        if (frame.seq !== this.expectedSeq) {
          return this.violation(`out-of-order DATA: expected sequence ${this.expectedSeq}, got ${frame.seq}`);
        }
        this.peerHeardUs = true;
        this.expectedSeq++;
        this.counters.messagesReceived++;
        this.counters.bytesReceived += frame.payload.byteLength;
        if (this.messageHandler !== undefined && this.undelivered.length === 0) this.deliver(frame.payload);
        else this.undelivered.push(frame.payload);
        return;
      case FrameType.ACK: {
        this.peerHeardUs = true;
        const error = this.window.acknowledge(frame.seq);
        if (error !== undefined) return this.violation(error);
        return this.pump();
      }
      case FrameType.HELLO: {
        const heard = helloHeardPeer(frame.payload);
        if (heard === this.senderId) this.peerHeardUs = true;
        else if (heard !== 0) return this.shutdown(`peer is paired with another endpoint (${heard})`, true);
        else this.sendHello(); // the peer has not heard us yet: answer at once
        return;
      }
      case FrameType.CLOSE:
        return this.shutdown(`peer closed: ${closeReason(frame.payload)}`, false);
      case FrameType.RETURN: {
        // Only a whole transferred buffer is worth keeping (a copy, or a view into more, is not).
        const b = frame.payload;
        if (this.wire.transfers !== true || b.byteOffset !== 0 || b.byteLength !== b.buffer.byteLength) return;
        if (this.spare.length < MAX_SPARE_BUFFERS) this.spare.push(b.buffer as ArrayBuffer);
        return;
      }
    }
  }

  /** Before the handshake only a HELLO (which names the peer) or a CLOSE for this migration counts. */
  private receiveBeforeHandshake(frame: Frame): void {
    if (frame.type === FrameType.CLOSE) return this.shutdown(`peer closed: ${closeReason(frame.payload)}`, false);
    if (frame.type !== FrameType.HELLO || frame.sender === this.senderId) {
      return this.reject(frame.sender, `frame of type ${frame.type} before the peer's HELLO`);
    }
    const heard = helloHeardPeer(frame.payload);
    if (heard !== 0 && heard !== this.senderId) return this.reject(frame.sender, 'HELLO from an endpoint paired elsewhere');
    this.peer = frame.sender;
    this.peerHeardUs = heard === this.senderId;
    this.lastHeard = performance.now();
    this.sendHello();
    this.pump();
  }

  private deliver(payload: Uint8Array): void {
    this.unackedBytes += payload.byteLength + HEADER_BYTES;
    // Acknowledge before calling the handler: it may close the channel or send.
    if (this.unackedBytes >= this.opts.ackEveryBytes) {
      this.unackedBytes = 0;
      this.post(FrameType.ACK, this.expectedSeq - this.undelivered.length, new Uint8Array(0));
    }
    this.messageHandler!(payload);
  }

  /** Traffic that is not (provably) the peer's: ignored on a shared medium, fatal point to point. */
  private reject(sender: number, reason: string): void {
    if (this.trust === 'shared' && (this.peer === 0 || sender !== this.peer)) {
      this.counters.ignored++;
      return;
    }
    this.violation(reason);
  }

  private violation(reason: string): void {
    this.shutdown(`protocol violation: ${reason}`, true);
  }

  private tick(): void {
    if (this.closed) return;
    const now = performance.now();
    // A stalled event loop (a long synchronous slice here) is not the peer's silence: only
    // count the time this endpoint was able to listen.
    const stall = now - this.lastTick - this.tickMs;
    if (stall > this.tickMs) this.lastHeard += stall;
    this.lastTick = now;
    if (this.peer === 0) {
      if (now - this.createdAt > this.opts.connectTimeoutMs) {
        return this.shutdown(`no peer answered within ${this.opts.connectTimeoutMs} ms`, true);
      }
      if (now - this.lastHello >= this.opts.helloIntervalMs) this.sendHello();
      return;
    }
    const silent = now - this.lastHeard;
    if (silent > this.opts.idleTimeoutMs) {
      return this.shutdown(`peer silent for ${Math.round(silent)} ms (idle timeout ${this.opts.idleTimeoutMs} ms)`, true);
    }
    if (!this.peerHeardUs && now - this.lastHello >= this.opts.helloIntervalMs) this.sendHello();
    else if (now - this.lastSent >= this.opts.heartbeatMs) this.sendAck();
  }

  private shutdown(reason: string, tellPeer: boolean): void {
    if (this.closeReasonText !== undefined) return;
    if (tellPeer) {
      const payload = closePayload(reason);
      try {
        this.wire.post([encodeHeader(FrameType.CLOSE, this.id, this.senderId, 0, payload.byteLength), payload]);
      } catch {
        // The medium is already gone; the peer will notice the silence.
      }
    }
    this.closeReasonText = reason;
    clearInterval(this.timer);
    this.wire.dispose();
    const error = new Error(`channel closed: ${reason}`);
    for (const p of this.pending.splice(0)) p.reject(error);
    this.undelivered.length = 0;
    this.spare.length = 0;
    this.closeHandler?.(reason);
  }
}
