/**
 * The other open tabs of the app, as drop targets: drop one of this tab's VM cards on a tab's
 * name to move the VM there (the same as "Send to tab…"). Tabs that close drop out of the list.
 * Tabs in other browsers (connected under "Another browser") are listed too, marked as such.
 */
import { useState } from 'react';
import type { Peer } from '../presence.ts';
import { parseDragPayload, VM_DRAG_TYPE, type TabMigrations } from '../tab-migrations.ts';
import type { VmList } from '../vm-list.ts';

export function PeerTabs({ peers, tabId, list, migrations }: { peers: readonly Peer[]; tabId: string; list: VmList; migrations: TabMigrations }) {
  const [over, setOver] = useState<string>();
  return (
    <section className="peer-tabs" aria-label="Other tabs">
      <h2>Other tabs</h2>
      {peers.length === 0 && <p className="empty">Open this page in another tab to move VMs between tabs.</p>}
      {peers.map((p) => (
        <div
          key={p.id}
          className={`peer-tab${over === p.id ? ' over' : ''}`}
          data-testid="peer-tab"
          data-tab={p.id}
          data-remote={p.remote === true}
          onDragOver={(e) => {
            if (!e.dataTransfer.types.includes(VM_DRAG_TYPE)) return;
            e.preventDefault();
            e.stopPropagation();
            setOver(p.id);
          }}
          onDragLeave={() => setOver(undefined)}
          onDrop={(e) => {
            const payload = parseDragPayload(e.dataTransfer.getData(VM_DRAG_TYPE));
            setOver(undefined);
            if (!payload) return;
            e.preventDefault();
            e.stopPropagation();
            const vm = payload.sourceTab === tabId ? list.find(payload.vmId) : undefined;
            // A card from this tab: send it. A card from a third tab: ask for it here is not what the user meant.
            if (vm) migrations.sendTo(vm, p.id);
          }}
        >
          <strong>{p.name}</strong>
          {p.remote && <span className="remote-tag">another browser</span>}
          <span className="peer-vms">
            {p.vms.length === 0 ? 'no VMs' : p.vms.map((v) => v.name).join(', ')}
          </span>
          <span className="drop-hint">drop a VM here to move it</span>
        </div>
      ))}
    </section>
  );
}
