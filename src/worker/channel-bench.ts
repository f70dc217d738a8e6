/**
 * The raw bandwidth of the tab-to-tab channel a migration uses, measured between two VM
 * workers over the same wire (port broker MessagePort or BroadcastChannel) and the same
 * framed channel with its ACK window: the ceiling the migration's own throughput compares to.
 */
import type { MigrationChannel } from '../migration/channel.ts';
import { openChannel, type ChannelSpec } from './migration.ts';

/** Message size of the measurement: the engine's default DATA message (512 KiB). */
export const BENCH_MESSAGE_BYTES = 512 << 10;

export interface BenchResult {
  readonly bytes: number;
  readonly ms: number;
  /** MiB per second. */
  readonly mibPerS: number;
}

function closedWith(channel: MigrationChannel): Promise<never> {
  return new Promise((_, reject) => channel.onClose((reason) => reject(new Error(`channel closed: ${reason}`))));
}

/** Sends `bytes` (sender) or receives them and answers with one byte (receiver); the sender's time spans both. */
export async function channelBench(spec: ChannelSpec, role: 'send' | 'receive', bytes: number, now: () => number): Promise<BenchResult> {
  const channel = openChannel(spec);
  const closed = closedWith(channel);
  closed.catch(() => undefined);
  try {
    if (role === 'receive') {
      let received = 0;
      const t0 = now();
      await Promise.race([
        closed,
        new Promise<void>((resolve) =>
          channel.onMessage((m) => {
            received += m.byteLength;
            if (received >= bytes) resolve();
          }),
        ),
      ]);
      await channel.send(new Uint8Array(1));
      const ms = now() - t0;
      return { bytes: received, ms, mibPerS: received / 1048576 / (ms / 1000) };
    }
    const done = new Promise<void>((resolve) => channel.onMessage(() => resolve()));
    const payload = new Uint8Array(BENCH_MESSAGE_BYTES).fill(0xa5);
    // The first message waits for the peer's HELLO: time from when the channel carries data.
    await Promise.race([closed, channel.send(payload.slice())]);
    const t0 = now();
    for (let sent = BENCH_MESSAGE_BYTES; sent < bytes; sent += BENCH_MESSAGE_BYTES) await Promise.race([closed, channel.send(payload.slice())]);
    await Promise.race([closed, done]);
    const ms = now() - t0;
    const measured = bytes - BENCH_MESSAGE_BYTES;
    return { bytes: measured, ms, mibPerS: measured / 1048576 / (ms / 1000) };
  } finally {
    // Let the last frames (the answer) leave before the port closes.
    await new Promise((r) => setTimeout(r, 100));
    channel.close('benchmark done');
  }
}
