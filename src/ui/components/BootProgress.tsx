/** Image download progress, then "booting kernel…" until the shell prompt, then the guest speed. */
import { formatBytes, formatMips } from '../format.ts';
import type { VmStatus } from '../vm-handle.ts';

export function BootProgress({ status, mips }: { status: VmStatus; mips: number }) {
  if (status.runState === 'error') {
    return (
      <div className="progress error" role="alert">
        {status.error ?? 'failed'}
      </div>
    );
  }
  if (status.phase === 'downloading') {
    const pct = status.total > 0 ? (100 * status.loaded) / status.total : 0;
    return (
      <div className="progress" data-testid="boot-progress">
        <span>
          Downloading images {formatBytes(status.loaded)} / {formatBytes(status.total)}
        </span>
        <progress max={100} value={pct} aria-label="image download" />
      </div>
    );
  }
  return (
    <div className="progress" data-testid="boot-progress">
      {status.phase === 'booting' && status.runState === 'running' && (
        <span className="booting">
          <span className="spinner" aria-hidden /> booting kernel…
        </span>
      )}
      {status.phase === 'ready' && status.promptAtMs !== undefined && <span className="ready">shell ready at {(status.promptAtMs / 1000).toFixed(1)} s</span>}
      <span className="mips" data-testid="mips">
        {formatMips(mips)} MIPS
      </span>
    </div>
  );
}
