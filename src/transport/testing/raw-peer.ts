/**
 * Test helper: a hand-driven endpoint that speaks the frame format directly, so tests can
 * play a peer that forges, reorders, corrupts or simply stops talking.
 */
import { FrameType, decodeFrame, encodeHeader, helloPayload } from '../frame.ts';
import type { Frame } from '../frame.ts';
import { migrationIdBytes } from '../migration-id.ts';

export interface RawMedium {
  post(message: unknown): void;
  listen(handler: (data: unknown) => void): void;
  close(): void;
}

export class RawPeer {
  readonly frames: Frame[] = [];
  private readonly idBytes: Uint8Array;

  constructor(
    private readonly medium: RawMedium,
    readonly idHex: string,
    readonly sender = 0x5eed,
  ) {
    this.idBytes = migrationIdBytes(idHex);
    medium.listen((data) => {
      const decoded = decodeFrame(data, this.idBytes);
      if (decoded.kind === 'frame') this.frames.push(decoded.frame);
    });
  }

  /** The sender id of the endpoint under test, learned from its HELLO. */
  get peer(): number {
    return this.frames.find((f) => f.type === FrameType.HELLO)?.sender ?? 0;
  }

  framesOf(type: FrameType): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  frame(type: FrameType, seq: number, payload: Uint8Array, overrides: { id?: string; sender?: number } = {}): void {
    const id = overrides.id === undefined ? this.idBytes : migrationIdBytes(overrides.id);
    this.medium.post([encodeHeader(type, id, overrides.sender ?? this.sender, seq, payload.byteLength), payload]);
  }

  hello(heard = this.peer): void {
    this.frame(FrameType.HELLO, 0, helloPayload(heard));
  }

  data(seq: number, payload: Uint8Array): void {
    this.frame(FrameType.DATA, seq, payload);
  }

  raw(message: unknown): void {
    this.medium.post(message);
  }

  close(): void {
    this.medium.close();
  }
}

export function portMedium(port: MessagePort): RawMedium {
  return {
    post: (message) => port.postMessage(message),
    listen: (handler) => {
      port.onmessage = (event) => handler(event.data);
    },
    close: () => port.close(),
  };
}

export function broadcastMedium(name: string): RawMedium {
  const channel = new BroadcastChannel(name);
  return {
    post: (message) => channel.postMessage(message),
    listen: (handler) => {
      channel.onmessage = (event) => handler(event.data);
    },
    close: () => channel.close(),
  };
}

/** Resolves once `condition()` holds, polling every few ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
