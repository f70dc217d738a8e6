/**
 * Timing probes for `bench/migrate.ts`: a MigrationChannel wrapper that stamps every message
 * by its control kind, and a DestinationHost wrapper that stamps the machine-wide afterLoad.
 * Times are absolute (performance.timeOrigin + now), so stamps from the source thread and the
 * destination worker compare directly.
 */
import type { MigrationChannel } from '../src/migration/channel.ts';
import type { DestinationHost } from '../src/migration/destination.ts';
import { MessageKind } from '../src/migration/protocol.ts';

export const clock = (): number => performance.timeOrigin + performance.now();

/** Named moments and summed durations of one side of one migration. */
export interface Timeline {
  readonly at: Record<string, number>;
  readonly sum: Record<string, number>;
}

export function newTimeline(): Timeline {
  return { at: {}, sum: {} };
}

function add(t: Timeline, key: string, ms: number): void {
  t.sum[key] = (t.sum[key] ?? 0) + ms;
}

const NAMES: Record<number, string> = {
  [MessageKind.DATA]: 'DATA', [MessageKind.ACCEPT]: 'ACCEPT', [MessageKind.END]: 'END',
  [MessageKind.LOADED]: 'LOADED', [MessageKind.GO]: 'GO',
};

/**
 * Wraps `c`: `at['sent ' + kind]` when a send of that kind was called (last one for DATA),
 * `at['send done ' + kind]` when it resolved, `at['got ' + kind]` when one arrived (last
 * DATA), `sum['send wait']` the time spent awaiting sends and `sum['handle ' + kind]` the
 * time the receiving handler took.
 */
export function timedChannel(c: MigrationChannel, t: Timeline): MigrationChannel {
  return {
    get closed() {
      return c.closed;
    },
    async send(m) {
      const name = NAMES[m[0]!] ?? 'other';
      const t0 = clock();
      t.at[`sent ${name}`] = t0;
      await c.send(m);
      const t1 = clock();
      t.at[`send done ${name}`] = t1;
      add(t, 'send wait', t1 - t0);
    },
    onMessage(handler) {
      c.onMessage((m) => {
        const name = NAMES[m[0]!] ?? 'other';
        const t0 = clock();
        if (name === 'DATA' && t.at['got first DATA'] === undefined) t.at['got first DATA'] = t0;
        t.at[`got ${name}`] = t0;
        handler(m);
        add(t, `handle ${name}`, clock() - t0);
      });
    },
    onClose: (h) => c.onClose(h),
    close: (r) => c.close(r),
    ...(c.takeBuffer ? { takeBuffer: c.takeBuffer.bind(c) } : {}),
    ...(c.recycle ? { recycle: c.recycle.bind(c) } : {}),
  };
}

/** Wraps `host` so the target's afterLoad is stamped (`afterLoad start`, `afterLoad end`) and the build timed. */
export function timedHost<M>(host: DestinationHost<M>, t: Timeline): DestinationHost<M> {
  return {
    build(config) {
      const t0 = clock();
      const r = host.build(config);
      add(t, 'build machine', clock() - t0);
      if ('refuse' in r) return r;
      const target = r.target;
      return {
        machine: r.machine,
        target: {
          ramBytes: target.ramBytes,
          sections: target.sections,
          ...(target.ramZeroed !== undefined ? { ramZeroed: target.ramZeroed } : {}),
          afterLoad() {
            t.at['afterLoad start'] = clock();
            target.afterLoad();
            t.at['afterLoad end'] = clock();
          },
        },
      };
    },
    ...(host.discard ? { discard: host.discard.bind(host) } : {}),
  };
}
