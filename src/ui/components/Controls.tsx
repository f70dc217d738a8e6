/** Start, pause, resume, reset, power off and save snapshot, enabled by the VM's run state. */
import { downloadSnapshot } from '../snapshot-files.ts';
import type { VmHandle, VmStatus } from '../vm-handle.ts';
import type { VmList } from '../vm-list.ts';

export function Controls({ vm, status, list }: { vm: VmHandle; status: VmStatus; list: VmList }) {
  const s = status.runState;
  const hasMachine = s === 'running' || s === 'paused' || s === 'off' || (s === 'error' && status.phase !== 'downloading');
  return (
    <div className="controls" role="toolbar" aria-label="VM controls">
      <button onClick={() => void vm.start()} disabled={!(s === 'created' || s === 'off' || s === 'error')}>
        Start
      </button>
      <button onClick={() => void vm.pause()} disabled={s !== 'running'}>
        Pause
      </button>
      <button onClick={() => void vm.resume()} disabled={s !== 'paused'}>
        Resume
      </button>
      <button onClick={() => void vm.reset()} disabled={!hasMachine}>
        Reset
      </button>
      <button className="danger" onClick={() => void vm.powerOff()} disabled={!(s === 'running' || s === 'paused')}>
        Power off
      </button>
      <button onClick={() => void downloadSnapshot(vm, list)} disabled={!(s === 'running' || s === 'paused')}>
        Save snapshot
      </button>
    </div>
  );
}
