/** A migration's progress and result: bar, per-iteration plot, and downtime/total/bytes once done. */
import { formatBytes } from '../format.ts';
import type { MigrationView } from '../vm-handle.ts';
import { MigrationChart } from './MigrationChart.tsx';

/** Share of RAM sent so far (1 once completed). */
export function migrationProgress(m: MigrationView): number {
  if (m.status === 'completed') return 1;
  const ram = m.stats?.ram;
  if (!ram || ram.total === 0) return 0;
  return Math.min(1, Math.max(0, (ram.total - ram.remaining) / ram.total));
}

function headline(m: MigrationView): string {
  const where = m.direction === 'out' ? `to ${m.peerName}` : `from ${m.peerName}`;
  switch (m.status) {
    case 'connecting':
    case 'none':
      return `Connecting ${where}…`;
    case 'preparing':
      return `Preparing a machine for the VM ${where}…`;
    case 'setup':
      return `Setting up the move ${where}…`;
    case 'active':
      return `Moving ${where}: copying memory…`;
    case 'device':
      return `Moving ${where}: guest paused, sending the last pages and devices…`;
    case 'completed':
      return m.direction === 'out' ? `Moved to ${m.peerName}` : `Arrived from ${m.peerName}`;
    case 'cancelled':
    case 'failed':
      return m.direction === 'out' ? `Not moved ${where}; the VM keeps running here` : `Not moved ${where}`;
    case 'in-doubt':
      return `Arrived ${where}, paused: the hand-over was not confirmed`;
  }
}

const VIA: Record<NonNullable<MigrationView['via']>, string> = {
  port: 'worker to worker over a MessagePort from the SharedWorker broker',
  broadcast: 'worker to worker over a BroadcastChannel',
  rtc: 'worker to worker over a WebRTC data channel',
};

export function MigrationPanel({ m }: { m: MigrationView }) {
  const s = m.stats;
  const done = m.status === 'completed';
  return (
    <section className={`panel migration ${m.status}`} data-testid="migration-panel" data-status={m.status} data-direction={m.direction}>
      <div className="migration-head">
        <strong>{headline(m)}</strong>
        <progress max={1} value={migrationProgress(m)} aria-label="migration progress" />
      </div>
      {m.via && (
        <p className="migration-via" data-testid="migration-via">
          {VIA[m.via]}
        </p>
      )}
      {m.error && (m.status === 'failed' || m.status === 'cancelled') && (
        <p className="migration-error" role="alert">
          {m.error}
        </p>
      )}
      {m.status === 'in-doubt' && (
        <p className="migration-error" role="alert" data-testid="in-doubt">
          {m.error}. If {m.peerName} shows this VM as moved, press Resume: it runs here from where it was. If {m.peerName} still
          runs it, close this card. (This tab resolves it by itself if {m.peerName} tells it the outcome.)
        </p>
      )}
      {m.iterations.length > 0 && <MigrationChart iterations={m.iterations} />}
      {s && (
        <dl className="kv" data-testid="migration-result" data-downtime={done ? s.downtime.toFixed(2) : undefined}>
          {done && (
            <>
              <dt>downtime</dt>
              <dd>{s.downtime.toFixed(1)} ms</dd>
            </>
          )}
          <dt>total time</dt>
          <dd>{s['total-time'].toFixed(0)} ms</dd>
          {m.preparedMs !== undefined && m.preparedMs > 0 && (
            <>
              <dt title="this tab built the machine and faulted in its RAM before the move started">prepared before</dt>
              <dd>{m.preparedMs.toFixed(0)} ms</dd>
            </>
          )}
          <dt>bytes sent</dt>
          <dd>{formatBytes(s.ram.transferred)}</dd>
          <dt>iterations</dt>
          <dd>{s.ram['dirty-sync-count']}</dd>
          <dt>remaining</dt>
          <dd>{formatBytes(s.ram.remaining)}</dd>
          <dt>throttle</dt>
          <dd>{s['cpu-throttle-percentage']}%</dd>
        </dl>
      )}
    </section>
  );
}
