/**
 * One VM in the list: name, run state, guest speed; select, pause/resume, close. A running VM
 * can be dragged to another tab (the drag carries a one-time token) or sent with "Send to tab…";
 * while it moves the card shows a progress bar, afterwards where it went.
 */
import { useState } from 'react';
import { formatMips } from '../format.ts';
import { usePoll } from '../hooks/use-poll.ts';
import { useVmStatus } from '../hooks/use-vm-status.ts';
import type { Peer } from '../presence.ts';
import { VM_DRAG_TYPE, type TabMigrations } from '../tab-migrations.ts';
import type { VmHandle } from '../vm-handle.ts';
import { migrationProgress } from './MigrationPanel.tsx';

/** Cards refresh their speed once a second; the selected VM's panels poll faster. */
const CARD_POLL_MS = 1000;

interface Props {
  vm: VmHandle;
  selected: boolean;
  onSelect(): void;
  onClose(): void;
  peers: readonly Peer[];
  migrations: TabMigrations;
}

export function VmCard({ vm, selected, onSelect, onClose, peers, migrations }: Props) {
  const status = useVmStatus(vm);
  const moved = status.runState === 'moved';
  const stats = usePoll(vm.stats, !moved, CARD_POLL_MS);
  const [menu, setMenu] = useState(false);
  const mips = stats?.runState === 'running' && !moved ? stats.mips : 0;
  const running = status.runState === 'running';
  const mig = status.migration;
  const moving = mig !== undefined && mig.status !== 'completed' && mig.status !== 'failed' && mig.status !== 'cancelled';
  const movable = (running || status.runState === 'paused') && !moving;
  return (
    <div
      className={`vm-card${selected ? ' selected' : ''}${moved ? ' moved' : ''}`}
      data-testid="vm-card"
      data-vm={vm.id}
      data-name={vm.name}
      data-state={status.runState}
      data-phase={status.phase}
      data-migration={mig?.status}
      data-mips={mips.toFixed(2)}
      data-busy-mips={(stats?.busyMips ?? 0).toFixed(2)}
      data-instret={stats?.instret}
      data-running-ms={status.runningAtMs?.toFixed(0)}
      data-prompt-ms={status.promptAtMs?.toFixed(0)}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      draggable={movable}
      onDragStart={(e) => {
        const payload = migrations.issueToken(vm);
        e.dataTransfer.setData(VM_DRAG_TYPE, JSON.stringify(payload));
        e.dataTransfer.setData('text/plain', `${vm.name} (tabvm)`);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onClick={onSelect}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget && onSelect()}
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
        <span>{moved ? 'moved' : status.phase === 'ready' || status.runState !== 'running' ? status.runState : status.phase}</span>
        {!moved && <span className="mips">{formatMips(mips)} MIPS</span>}
      </div>
      {moved && status.movedTo && (
        <div className="moved-to" data-testid="moved-to">
          moved to {status.movedTo}
        </div>
      )}
      {moving && <progress className="card-progress" max={1} value={migrationProgress(mig)} aria-label="migration progress" />}
      <div className="card-buttons">
        {(running || status.runState === 'paused') && !moving && (
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
        {movable && (
          <button
            className="small"
            aria-haspopup="menu"
            aria-expanded={menu}
            onClick={(e) => {
              e.stopPropagation();
              setMenu((m) => !m);
            }}
          >
            Send to tab…
          </button>
        )}
      </div>
      {menu && movable && (
        <div className="send-menu" role="menu" onClick={(e) => e.stopPropagation()}>
          {peers.length === 0 && <span className="empty">No other tabs open.</span>}
          {peers.map((p) => (
            <button
              key={p.id}
              role="menuitem"
              className="small"
              onClick={() => {
                setMenu(false);
                migrations.sendTo(vm, p.id);
              }}
            >
              {p.name}
              {p.remote && <span className="remote-tag"> · another browser</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
