/**
 * The tab's VMs and what the user is told about them: an observable list (React reads it with
 * useSyncExternalStore) that the App, the migration coordinator and snapshot opening all add
 * to, plus dismissable notices (a refused migration, a damaged snapshot file) in words.
 */
import { VmHandle, type VmHandleOptions } from './vm-handle.ts';

export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly kind: 'error' | 'info';
}

export interface VmListState {
  readonly vms: readonly VmHandle[];
  readonly selected?: string;
  readonly notices: readonly Notice[];
}

let nextNotice = 1;

export class VmList {
  private state: VmListState = { vms: [], notices: [] };
  private readonly listeners = new Set<() => void>();

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getState = (): VmListState => this.state;

  get vms(): readonly VmHandle[] {
    return this.state.vms;
  }

  find(id: string): VmHandle | undefined {
    return this.state.vms.find((v) => v.id === id);
  }

  /** A new VM card (selected); its worker starts at once, booting is the caller's choice. */
  create(options?: VmHandleOptions): VmHandle {
    const vm = new VmHandle(options);
    vm.subscribe(() => this.touch());
    this.set({ vms: [...this.state.vms, vm], selected: vm.id });
    return vm;
  }

  select(id: string): void {
    this.set({ selected: id });
  }

  close(vm: VmHandle): void {
    vm.close();
    const rest = this.state.vms.filter((v) => v !== vm);
    this.set({ vms: rest, selected: this.state.selected === vm.id ? rest[rest.length - 1]?.id : this.state.selected });
  }

  notify(text: string, kind: Notice['kind'] = 'error'): void {
    this.set({ notices: [...this.state.notices, { id: nextNotice++, text, kind }] });
  }

  dismiss(id: number): void {
    this.set({ notices: this.state.notices.filter((n) => n.id !== id) });
  }

  /** VM status changed (run state, migration): listeners that summarise the list re-read it. */
  private touch(): void {
    this.set({});
  }

  private set(patch: Partial<VmListState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
