/** Snapshot files on the page: download a VM's stream bytes, open a file into a new VM card. */
import type { VmHandle } from './vm-handle.ts';
import type { VmList } from './vm-list.ts';

export const SNAPSHOT_EXTENSION = '.tabvm';

/** `tabvm-vm1-2026-11-21T14-05-09.tabvm` */
export function snapshotFileName(vm: VmHandle, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/:/g, '-');
  return `tabvm-${vm.name.replace(/[^A-Za-z0-9]+/g, '').toLowerCase()}-${stamp}${SNAPSHOT_EXTENSION}`;
}

/** Saves the VM to a file the browser downloads; a machine that cannot be saved is explained. */
export async function downloadSnapshot(vm: VmHandle, list: VmList): Promise<void> {
  const r = await vm.saveSnapshot();
  if (!r.ok) return list.notify(`${vm.name} cannot be saved now: ${r.reason}`);
  const url = URL.createObjectURL(new Blob([r.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = snapshotFileName(vm, new Date());
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Restores a snapshot file into a new VM card; a damaged file closes the card and says why. */
export async function openSnapshotFile(file: File, list: VmList): Promise<void> {
  const base = file.name.replace(/\.tabvm$/i, '');
  const vm = list.create({ name: base.length > 0 && base.length <= 40 ? base : undefined });
  const r = await vm.restoreSnapshot(new Uint8Array(await file.arrayBuffer()));
  if (!r.ok) {
    list.close(vm);
    list.notify(`Cannot open ${file.name}: ${r.reason}`);
  }
}
