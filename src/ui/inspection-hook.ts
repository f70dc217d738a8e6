/**
 * `window.tabvm`: a small read-only view of the tab for tests, benchmarks and the devtools
 * console (the terminal's whole buffer, not just the rows on screen, and the VMs' states).
 */
import * as Comlink from 'comlink';
import type { MigrationStats } from '../migration/stats.ts';
import { requestMigrationPort, sharedWorkerAvailable } from '../transport/index.ts';
import type { BenchResult } from '../worker/channel-bench.ts';
import { VmHandle } from './vm-handle.ts';
import type { VmList } from './vm-list.ts';

export interface TabvmInspection {
  /** The VM's terminal buffer (scrollback included), one line per row, trailing spaces trimmed. */
  terminalText(vmId: string): string | undefined;
  vms(): { id: string; name: string; state: string; migration?: { status: string; direction: string; preparedMs?: number; stats?: MigrationStats } }[];
  /**
   * Benchmark: the raw bandwidth of the migration channel between a VM worker of this tab and
   * one of another tab (both call it with the same 32-hex id, one 'send', one 'receive').
   */
  channelBench(id: string, role: 'send' | 'receive', bytes: number): Promise<BenchResult & { kind: string }>;
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
    vms: () =>
      list.vms.map((v) => {
        const m = v.status.migration;
        return { id: v.id, name: v.name, state: v.status.runState, migration: m && { status: m.status, direction: m.direction, preparedMs: m.preparedMs, stats: m.stats } };
      }),
    async channelBench(id, role, bytes) {
      // A worker of its own, as a migration's destination has (the tab's VMs keep running).
      const vm = new VmHandle({ name: 'channel benchmark' });
      try {
        const kind = sharedWorkerAvailable() ? 'port' : 'broadcast';
        const spec = kind === 'port' ? ({ kind, id, port: await requestMigrationPort(id) } as const) : ({ kind, id } as const);
        const r = await vm.api.channelBench(spec.kind === 'port' ? Comlink.transfer(spec, [spec.port]) : spec, role, bytes);
        return { ...r, kind };
      } finally {
        vm.close();
      }
    },
  };
}
