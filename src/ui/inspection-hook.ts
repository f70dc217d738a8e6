/**
 * `window.tabvm`: a small read-only view of the tab for tests, benchmarks and the devtools
 * console (the terminal's whole buffer, not just the rows on screen, and the VMs' states).
 */
import type { MigrationStats } from '../migration/stats.ts';
import { requestMigrationPort, sharedWorkerAvailable } from '../transport/index.ts';
import type { BenchResult } from '../worker/channel-bench.ts';
import type { ChannelSpec } from '../worker/migration.ts';
import type { Presence } from './presence.ts';
import { VmHandle, withTransfer } from './vm-handle.ts';
import type { VmList } from './vm-list.ts';

/** The label of a benchmark's data channel on a WebRTC link. */
const BENCH_CHANNEL_PREFIX = 'tabvm-bench-';

export interface TabvmInspection {
  /** The VM's terminal buffer (scrollback included), one line per row, trailing spaces trimmed. */
  terminalText(vmId: string): string | undefined;
  vms(): { id: string; name: string; state: string; migration?: { status: string; direction: string; preparedMs?: number; stats?: MigrationStats } }[];
  /**
   * Benchmark: the raw bandwidth of the migration channel between a VM worker of this tab and
   * one of another tab (both call it with the same 32-hex id, one 'send', one 'receive'). With
   * `remotePeer`, a tab in another browser, over a data channel of the WebRTC link to it (call
   * 'receive' first: it waits for the sender's channel).
   */
  channelBench(id: string, role: 'send' | 'receive', bytes: number, remotePeer?: string): Promise<BenchResult & { kind: string }>;
}

declare global {
  interface Window {
    tabvm?: TabvmInspection;
  }
}

export function installInspectionHook(list: VmList, presence: Presence): void {
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
    async channelBench(id, role, bytes, remotePeer) {
      // A worker of its own, as a migration's destination has (the tab's VMs keep running).
      const vm = new VmHandle({ name: 'channel benchmark' });
      try {
        if (remotePeer !== undefined) return { ...(await rtcBench(presence, vm, id, role, bytes, remotePeer)), kind: 'rtc' };
        const kind = sharedWorkerAvailable() ? 'port' : 'broadcast';
        const spec: ChannelSpec = kind === 'port' ? { kind, id, port: await requestMigrationPort(id) } : { kind, id };
        const r = await vm.api.channelBench(withTransfer(spec), role, bytes);
        return { ...r, kind };
      } finally {
        vm.close();
      }
    },
  };
}

/** The data channel is made (sender) or taken (receiver) and handed to the worker in one task. */
function rtcBench(presence: Presence, vm: VmHandle, id: string, role: 'send' | 'receive', bytes: number, peerId: string): Promise<BenchResult> {
  const label = BENCH_CHANNEL_PREFIX + id;
  if (role === 'send') {
    const link = presence.linkTo(peerId);
    if (!link) return Promise.reject(new Error(`no link to tab ${peerId}`));
    const channel = link.createDataChannel(label);
    return vm.api.channelBench(withTransfer({ kind: 'rtc', id, channel }), role, bytes);
  }
  return new Promise((resolve, reject) => {
    const stop = presence.onDataChannel((channel, from) => {
      if (channel.label !== label || from !== peerId) return false;
      stop();
      vm.api.channelBench(withTransfer({ kind: 'rtc', id, channel }), role, bytes).then(resolve, reject);
      return true;
    });
  });
}
