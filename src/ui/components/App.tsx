/**
 * The page: a list of VM cards on the left (new, select, pause/resume, close, drag or send to
 * another tab), the other tabs as drop targets (tabs in other browsers too, once connected
 * under "Another browser"), and the selected VM's full view. The first VM
 * boots as soon as the page loads (unless the URL says `?boot=0`; `?tab=Name` names the tab). The whole page accepts drops: a VM card dragged from another
 * tab (it moves here) or a snapshot file (it opens in a new card).
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { installInspectionHook } from '../inspection-hook.ts';
import { Presence } from '../presence.ts';
import { RemoteLinks } from '../remote-links.ts';
import { openSnapshotFile, SNAPSHOT_EXTENSION } from '../snapshot-files.ts';
import { parseDragPayload, TabMigrations, VM_DRAG_TYPE } from '../tab-migrations.ts';
import { VmList } from '../vm-list.ts';
import { Notices } from './Notices.tsx';
import { PeerTabs } from './PeerTabs.tsx';
import { RemoteBrowsers } from './RemoteBrowsers.tsx';
import { VmCard } from './VmCard.tsx';
import { VmView } from './VmView.tsx';

interface TabContext {
  list: VmList;
  presence: Presence;
  migrations: TabMigrations;
  remote: RemoteLinks;
}

function defaultTabName(): string {
  const fromUrl = new URLSearchParams(location.search).get('tab');
  return sessionStorage.getItem('tabvm-tab-name') ?? fromUrl ?? `Tab ${Math.random().toString(36).slice(2, 5).toUpperCase()}`;
}

function createTab(): TabContext {
  const list = new VmList();
  const presence = new Presence(defaultTabName());
  const migrations = new TabMigrations(presence, list);
  list.subscribe(() =>
    presence.setVms(list.vms.filter((v) => v.status.runState !== 'moved').map((v) => ({ id: v.id, name: v.name, state: v.status.runState }))),
  );
  installInspectionHook(list, presence);
  return { list, presence, migrations, remote: new RemoteLinks(presence) };
}

/** `?boot=0` opens the tab without booting a VM (a tab that only receives, tests, benchmarks). */
function bootsOnLoad(): boolean {
  return new URLSearchParams(location.search).get('boot') !== '0';
}

/** VMs whose loss on closing the tab is worth a question. */
function holdsVm(list: VmList): boolean {
  return list.vms.some((v) => ['running', 'paused', 'loading'].includes(v.status.runState));
}

export function App() {
  const [tab] = useState(createTab);
  const { list, presence, migrations, remote } = tab;
  const state = useSyncExternalStore(list.subscribe, list.getState);
  const peers = useSyncExternalStore(presence.subscribe, presence.getPeers);
  const [dropHint, setDropHint] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (bootsOnLoad()) void list.create().boot();
  }, [list]);

  useEffect(() => {
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (!holdsVm(list)) return;
      e.preventDefault();
      e.returnValue = '';
    };
    const pageHide = () => presence.close();
    addEventListener('beforeunload', beforeUnload);
    addEventListener('pagehide', pageHide);
    return () => {
      removeEventListener('beforeunload', beforeUnload);
      removeEventListener('pagehide', pageHide);
    };
  }, [list, presence]);

  const openFiles = (files: FileList | null) => {
    for (const f of files ?? []) void openSnapshotFile(f, list);
  };

  return (
    <div
      className={`app${dropHint ? ' dropping' : ''}`}
      data-testid="app"
      data-tab-id={presence.tabId}
      onDragOver={(e) => {
        const types = e.dataTransfer.types;
        if (types.includes(VM_DRAG_TYPE)) setDropHint('Drop to move the VM into this tab');
        else if (types.includes('Files')) setDropHint('Drop a snapshot file to open it');
        else return;
        e.preventDefault();
        e.dataTransfer.dropEffect = types.includes('Files') ? 'copy' : 'move';
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropHint(undefined);
      }}
      onDrop={(e) => {
        setDropHint(undefined);
        const payload = e.dataTransfer.types.includes(VM_DRAG_TYPE) ? parseDragPayload(e.dataTransfer.getData(VM_DRAG_TYPE)) : undefined;
        if (payload) {
          e.preventDefault();
          // A card dropped back on its own tab stays where it is.
          if (payload.sourceTab !== presence.tabId) migrations.request(payload);
        } else if (e.dataTransfer.files.length > 0) {
          e.preventDefault();
          openFiles(e.dataTransfer.files);
        }
      }}
    >
      <header className="app-header">
        <h1>
          tabvm <span className="subtitle">RISC-V RV64GC in a tab</span>
        </h1>
        <TabName presence={presence} />
        <div className="header-buttons">
          <button onClick={() => fileInput.current?.click()}>Open snapshot…</button>
          <input
            ref={fileInput}
            type="file"
            accept={`${SNAPSHOT_EXTENSION},application/octet-stream`}
            data-testid="open-snapshot"
            hidden
            onChange={(e) => {
              openFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
          <button className="primary" onClick={() => void list.create().boot()}>
            + New VM
          </button>
        </div>
      </header>
      <Notices notices={state.notices} onDismiss={(id) => list.dismiss(id)} />
      {dropHint && <div className="drop-overlay">{dropHint}</div>}
      <div className="app-body">
        <nav className="vm-list" aria-label="Virtual machines">
          {state.vms.map((vm) => (
            <VmCard
              key={vm.id}
              vm={vm}
              selected={vm.id === state.selected}
              onSelect={() => list.select(vm.id)}
              onClose={() => list.close(vm)}
              peers={peers}
              migrations={migrations}
            />
          ))}
          {state.vms.length === 0 && <p className="empty">No VMs. Start one with “New VM”.</p>}
          <PeerTabs peers={peers} tabId={presence.tabId} list={list} migrations={migrations} />
          <RemoteBrowsers links={remote} />
        </nav>
        <main className="vm-views">
          {state.vms.map((vm) => (
            <VmView key={vm.id} vm={vm} active={vm.id === state.selected} list={list} />
          ))}
        </main>
      </div>
    </div>
  );
}

function TabName({ presence }: { presence: Presence }) {
  const [name, setName] = useState(presence.name);
  const commit = () => {
    presence.rename(name);
    sessionStorage.setItem('tabvm-tab-name', presence.name);
    setName(presence.name);
    document.title = `${presence.name} · tabvm`;
  };
  useEffect(() => {
    document.title = `${presence.name} · tabvm`;
  }, [presence]);
  return (
    <label className="tab-name">
      This tab:
      <input
        data-testid="tab-name"
        value={name}
        maxLength={60}
        onChange={(e) => setName(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </label>
  );
}
