/** The full view of one VM: controls and progress, the terminal, registers and devices. */
import { usePoll } from '../hooks/use-poll.ts';
import { useVmStatus } from '../hooks/use-vm-status.ts';
import type { VmHandle } from '../vm-handle.ts';
import { BootProgress } from './BootProgress.tsx';
import { Controls } from './Controls.tsx';
import type { VmList } from '../vm-list.ts';
import { DevicesPanel } from './DevicesPanel.tsx';
import { MigrationPanel } from './MigrationPanel.tsx';
import { RegistersPanel } from './RegistersPanel.tsx';
import { TerminalView } from './TerminalView.tsx';

/** About four refreshes a second (STYLE principle 11: pulled, coalesced, one in flight). */
const PANEL_POLL_MS = 250;

export function VmView({ vm, active, list }: { vm: VmHandle; active: boolean; list: VmList }) {
  const status = useVmStatus(vm);
  const snap = usePoll(vm.inspect, active && status.runState !== 'moved', PANEL_POLL_MS);
  return (
    <section className="vm-view" hidden={!active} aria-label={vm.name} data-testid="vm-view" data-vm={vm.id}>
      <div className="vm-toolbar">
        <h2>{vm.name}</h2>
        <Controls vm={vm} status={status} list={list} />
        <BootProgress status={status} mips={snap?.runState === 'running' ? snap.mips : 0} />
      </div>
      <div className="vm-main">
        <TerminalView vm={vm} active={active} />
        <aside className="panels">
          {status.migration && <MigrationPanel m={status.migration} />}
          <RegistersPanel snap={snap} />
          <DevicesPanel snap={snap} />
        </aside>
      </div>
    </section>
  );
}
