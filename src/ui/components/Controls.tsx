/** Start, pause, resume, reset and power off, enabled by the VM's run state. */
import type { VmHandle, VmStatus } from '../vm-handle.ts';

export function Controls({ vm, status }: { vm: VmHandle; status: VmStatus }) {
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
    </div>
  );
}
