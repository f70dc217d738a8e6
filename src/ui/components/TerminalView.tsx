/**
 * Shows a VM's xterm.js terminal. The terminal belongs to the VmHandle (it keeps collecting
 * output while another VM is shown); this component opens it once into its box and refits it
 * whenever the box changes size or the view becomes visible.
 */
import { useEffect, useRef } from 'react';
import type { VmHandle } from '../vm-handle.ts';

export function TerminalView({ vm, active }: { vm: VmHandle; active: boolean }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { terminal, fit } = vm.console;
    if (!terminal.element) terminal.open(el);
    else if (terminal.element.parentElement !== el) el.appendChild(terminal.element);
    const refit = () => {
      // A hidden view has no size; fitting it would shrink the terminal to nothing.
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    };
    const observer = new ResizeObserver(refit);
    observer.observe(el);
    refit();
    return () => observer.disconnect();
  }, [vm]);

  useEffect(() => {
    if (!active) return;
    const { terminal, fit } = vm.console;
    const el = box.current;
    if (el && el.clientWidth > 0) fit.fit();
    terminal.focus();
  }, [vm, active]);

  return <div className="terminal" ref={box} data-testid="terminal" />;
}
