/**
 * `window.tabvm`: a small read-only view of the tab for tests, benchmarks and the devtools
 * console (the terminal's whole buffer, not just the rows on screen, and the VMs' states).
 */
import type { VmList } from './vm-list.ts';

export interface TabvmInspection {
  /** The VM's terminal buffer (scrollback included), one line per row, trailing spaces trimmed. */
  terminalText(vmId: string): string | undefined;
  vms(): { id: string; name: string; state: string }[];
}

declare global {
  interface Window {
    tabvm?: TabvmInspection;
  }
}

export function installInspectionHook(list: VmList): void {
  window.tabvm = {
    terminalText(vmId) {
      const vm = list.find(vmId);
      if (!vm) return undefined;
      const buffer = vm.console.terminal.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) {
        const line = buffer.getLine(i);
        if (!line) continue;
        // A wrapped row continues the previous line.
        if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += line.translateToString(true);
        else lines.push(line.translateToString(true));
      }
      return lines.join('\n');
    },
    vms: () => list.vms.map((v) => ({ id: v.id, name: v.name, state: v.status.runState })),
  };
}
