/**
 * The page: a list of VM cards on the left (new, select, pause/resume, close) and the selected
 * VM's full view. The first VM boots as soon as the page loads.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { VmHandle } from '../vm-handle.ts';
import { VmCard } from './VmCard.tsx';
import { VmView } from './VmView.tsx';

export function App() {
  const [vms, setVms] = useState<VmHandle[]>([]);
  const [selected, setSelected] = useState<string>();
  const started = useRef(false);

  const addVm = useCallback(() => {
    const vm = new VmHandle();
    setVms((list) => [...list, vm]);
    setSelected(vm.id);
    void vm.boot();
  }, []);

  const closeVm = useCallback((vm: VmHandle) => {
    vm.close();
    setVms((list) => {
      const rest = list.filter((v) => v !== vm);
      setSelected((sel) => (sel === vm.id ? rest[rest.length - 1]?.id : sel));
      return rest;
    });
  }, []);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    addVm();
  }, [addVm]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>
          tabvm <span className="subtitle">RISC-V RV64GC in a tab</span>
        </h1>
        <button className="primary" onClick={addVm}>
          + New VM
        </button>
      </header>
      <div className="app-body">
        <nav className="vm-list" aria-label="Virtual machines">
          {vms.map((vm) => (
            <VmCard key={vm.id} vm={vm} selected={vm.id === selected} onSelect={() => setSelected(vm.id)} onClose={() => closeVm(vm)} />
          ))}
          {vms.length === 0 && <p className="empty">No VMs. Start one with “New VM”.</p>}
        </nav>
        <main className="vm-views">
          {vms.map((vm) => (
            <VmView key={vm.id} vm={vm} active={vm.id === selected} />
          ))}
        </main>
      </div>
    </div>
  );
}
