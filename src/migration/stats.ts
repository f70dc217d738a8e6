/**
 * Migration statistics, named as QEMU's `query-migrate` names them (qapi/migration.json:
 * MigrationInfo and MigrationStats), plus one record per pre-copy iteration for the UI's plot.
 * Times are host milliseconds measured from the start of the migration; sizes are bytes.
 */

/** QEMU's MigrationStatus values that this engine goes through. */
export type MigrationStatus = 'none' | 'setup' | 'active' | 'device' | 'completed' | 'failed' | 'cancelled';

/** One pre-copy iteration (one dirty-bitmap sync and the pages sent for it). */
export interface IterationRecord {
  /** 1-based, as dirty-sync-count counts. */
  readonly iteration: number;
  /** Host ms since the migration started, at the end of the iteration. */
  readonly at: number;
  /** Pages the bitmap sync found dirty (all pages in the first iteration). */
  readonly pagesDirtied: number;
  /** Pages sent with their bytes and as zero flags. */
  readonly normalPages: number;
  readonly zeroPages: number;
  /** Stream bytes the iteration took. */
  readonly bytes: number;
  /** Dirty pages waiting when the iteration ended. */
  readonly remainingPages: number;
  /** Guest throttle (percent) during the iteration. */
  readonly throttle: number;
}

export interface MigrationStats {
  readonly status: MigrationStatus;
  /** ms from start until the destination accepted (setup-time). */
  readonly 'setup-time': number;
  /** ms from start until now, or until completion (total-time). */
  readonly 'total-time': number;
  /** ms the guest was paused (pause → GO sent); set once completed, or 0. */
  readonly downtime: number;
  /** ms a switch-over would take now: remaining / bandwidth. */
  readonly 'expected-downtime': number;
  readonly ram: {
    /** Stream bytes sent (all of them, not only RAM). */
    readonly transferred: number;
    /** Bytes of dirty RAM not sent yet. */
    readonly remaining: number;
    /** Guest RAM size. */
    readonly total: number;
    /** Zero pages sent as a flag. */
    readonly duplicate: number;
    /** Pages sent with their bytes. */
    readonly normal: number;
    readonly 'normal-bytes': number;
    /** Pages dirtied per second in the last iteration. */
    readonly 'dirty-pages-rate': number;
    /** Average throughput so far, in Mbit/s. */
    readonly mbps: number;
    /** Pre-copy iterations (dirty-bitmap syncs). */
    readonly 'dirty-sync-count': number;
    /** Measured transfer bandwidth, bytes per ms, used for the switch-over decision. */
    readonly bandwidth: number;
  };
  /** Percent of the guest's time slices withheld by auto-converge (0 = none). */
  readonly 'cpu-throttle-percentage': number;
  /** Why the migration cannot run (source blockers), empty otherwise. */
  readonly 'blocked-reasons': readonly string[];
  /** Why it failed or was cancelled. */
  readonly 'error-desc'?: string;
  readonly iterations: readonly IterationRecord[];
}

/** Progress events the source emits for a UI (each carries a stats snapshot). */
export type MigrationEvent =
  | { readonly type: 'status'; readonly stats: MigrationStats }
  | { readonly type: 'iteration'; readonly record: IterationRecord; readonly stats: MigrationStats };

export function emptyStats(ramSize: number): MigrationStats {
  return {
    status: 'none',
    'setup-time': 0,
    'total-time': 0,
    downtime: 0,
    'expected-downtime': 0,
    ram: {
      transferred: 0,
      remaining: ramSize,
      total: ramSize,
      duplicate: 0,
      normal: 0,
      'normal-bytes': 0,
      'dirty-pages-rate': 0,
      mbps: 0,
      'dirty-sync-count': 0,
      bandwidth: 0,
    },
    'cpu-throttle-percentage': 0,
    'blocked-reasons': [],
    iterations: [],
  };
}

/** Mbit/s for `bytes` over `ms` (0 when no time passed). */
export function mbps(bytes: number, ms: number): number {
  return ms > 0 ? (bytes * 8) / 1000 / ms : 0;
}

/** A short human summary, for logs and the CLI demo. */
export function formatStats(s: MigrationStats): string {
  const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
  const lines = [
    `status: ${s.status}${s['error-desc'] ? ` (${s['error-desc']})` : ''}`,
    `total-time: ${s['total-time'].toFixed(1)} ms, setup-time: ${s['setup-time'].toFixed(1)} ms, downtime: ${s.downtime.toFixed(1)} ms, expected-downtime: ${s['expected-downtime'].toFixed(1)} ms`,
    `transferred: ${mib(s.ram.transferred)}, remaining: ${mib(s.ram.remaining)}, total: ${mib(s.ram.total)}`,
    `normal: ${s.ram.normal} pages, duplicate (zero): ${s.ram.duplicate} pages, mbps: ${s.ram.mbps.toFixed(0)}, bandwidth: ${((s.ram.bandwidth * 1000) / 1048576).toFixed(0)} MiB/s`,
    `dirty-sync-count: ${s.ram['dirty-sync-count']}, dirty-pages-rate: ${s.ram['dirty-pages-rate'].toFixed(0)} pages/s, cpu-throttle-percentage: ${s['cpu-throttle-percentage']}`,
  ];
  if (s['blocked-reasons'].length > 0) lines.push(`blocked-reasons: ${s['blocked-reasons'].join('; ')}`);
  return lines.join('\n');
}
