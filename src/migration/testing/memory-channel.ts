/**
 * Two connected in-memory MigrationChannels for engine tests: ordered delivery on a later
 * microtask, a byte window for backpressure (send resolves once the peer has taken the
 * message and fewer than `windowBytes` are in flight), close with a reason on both ends, and
 * a `tap` that sees every message in flight and may corrupt, drop or close on it.
 */
import type { MigrationChannel } from '../channel.ts';
import { MAX_MESSAGE_BYTES } from '../channel.ts';

export type TapVerdict = Uint8Array | 'drop' | 'close';
export type Tap = (message: Uint8Array, from: 'a' | 'b', index: number) => TapVerdict;

interface End extends MigrationChannel {
  deliver(m: Uint8Array): void;
  shut(reason: string): void;
}

export function memoryChannelPair(options: { windowBytes?: number; tap?: Tap } = {}): [MigrationChannel, MigrationChannel] {
  const windowBytes = options.windowBytes ?? 4 << 20;
  const make = (name: 'a' | 'b', peer: () => End): End => {
    let handler: ((m: Uint8Array) => void) | undefined;
    let closeHandler: ((reason: string) => void) | undefined;
    const early: Uint8Array[] = [];
    let inFlight = 0;
    let waiters: (() => void)[] = [];
    let sent = 0;
    const end: End = {
      closed: false,
      send(message) {
        if (end.closed) return Promise.reject(new Error('channel closed'));
        if (message.length > MAX_MESSAGE_BYTES) return Promise.reject(new RangeError('message too large'));
        const v = options.tap ? options.tap(message, name, sent++) : message;
        if (v === 'close') {
          end.close(`tap closed the channel at message ${sent - 1} from ${name}`);
          return Promise.reject(new Error('channel closed'));
        }
        if (v === 'drop') return Promise.resolve();
        const copy = v.slice();
        inFlight += copy.length;
        void Promise.resolve().then(() => {
          inFlight -= copy.length;
          peer().deliver(copy);
          const w = waiters;
          waiters = [];
          for (const f of w) f();
        });
        if (inFlight < windowBytes) return Promise.resolve();
        return new Promise<void>((resolve, reject) =>
          waiters.push(() => (end.closed ? reject(new Error('channel closed')) : resolve())),
        );
      },
      onMessage(h) {
        handler = h;
        for (const m of early.splice(0)) h(m);
      },
      onClose(h) {
        closeHandler = h;
      },
      close(reason = 'closed') {
        if (end.closed) return;
        end.shut(reason);
        void Promise.resolve().then(() => peer().shut(`peer closed: ${reason}`));
      },
      deliver(m) {
        if (end.closed) return;
        if (handler) handler(m);
        else early.push(m);
      },
      shut(reason) {
        if (end.closed) return;
        (end as { closed: boolean }).closed = true;
        const w = waiters;
        waiters = [];
        for (const f of w) f();
        closeHandler?.(reason);
      },
    };
    return end;
  };
  const a: End = make('a', () => b);
  const b: End = make('b', () => a);
  return [a, b];
}
