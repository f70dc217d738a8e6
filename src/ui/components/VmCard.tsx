/** One VM in the list: name, run state, guest speed; select, pause/resume, close. */
import { formatMips } from '../format.ts';
import { usePoll } from '../hooks/use-poll.ts';
import { useVmStatus } from '../hooks/use-vm-status.ts';
import type { VmHandle } from '../vm-handle.ts';

/** Cards refresh their speed once a second; the selected VM's panels poll faster. */
const CARD_POLL_MS = 1000;

interface Props {
  vm: VmHandle;
  selected: boolean;
  onSelect(): void;
  onClose(): void;
}

export function VmCard({ vm, selected, onSelect, onClose }: Props) {
  const status = useVmStatus(vm);
  const stats = usePoll(vm.stats, true, CARD_POLL_MS);
  const mips = stats?.runState === 'running' ? stats.mips : 0;
  const running = status.runState === 'running';
  return (
    <div
      className={`vm-card${selected ? ' selected' : ''}`}
      data-testid="vm-card"
      data-vm={vm.id}
      data-state={status.runState}
      data-phase={status.phase}
      data-mips={mips.toFixed(2)}
      data-busy-mips={(stats?.busyMips ?? 0).toFixed(2)}
      data-instret={stats?.instret}
      data-running-ms={status.runningAtMs?.toFixed(0)}
      data-prompt-ms={status.promptAtMs?.toFixed(0)}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      onClick={onSelect}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect()}
    >
      <div className="vm-card-top">
        <span className={`dot state-${status.runState}`} aria-hidden />
        <strong>{vm.name}</strong>
        <button
          className="icon"
          title="Close this VM"
          aria-label={`Close ${vm.name}`}
          onClick={(e) => {
            e.stopPropagation();
            onClose();
          }}
        >
          ×
        </button>
      </div>
      <div className="vm-card-meta">
        <span>{status.phase === 'ready' || status.runState !== 'running' ? status.runState : status.phase}</span>
        <span className="mips">{formatMips(mips)} MIPS</span>
      </div>
      {(running || status.runState === 'paused') && (
        <button
          className="small"
          onClick={(e) => {
            e.stopPropagation();
            void (running ? vm.pause() : vm.resume());
          }}
        >
          {running ? 'Pause' : 'Resume'}
        </button>
      )}
    </div>
  );
}
