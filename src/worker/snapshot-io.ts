/**
 * Snapshots from inside a VM worker: save the running machine as stream bytes (between two
 * run-loop steps the machine is quiescent, so no pause is needed), and restore bytes into a
 * fresh session that then runs with the snapshot's console history. A damaged, truncated or
 * foreign file comes back as a sentence (the loader's StreamError message), never a throw.
 */
import { restoreSnapshot, saveSnapshot, SnapshotError } from '../machine/snapshot.ts';
import { restoreHostFor } from './migration.ts';
import type { VmSession } from './vm-session.ts';

export type SaveResult = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly reason: string };
export type RestoreResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function saveSessionSnapshot(session: VmSession): SaveResult {
  const m = session.machine;
  if (!m) return { ok: false, reason: `the VM is ${session.state}: there is no machine to save` };
  try {
    return { ok: true, bytes: saveSnapshot(m) };
  } catch (e) {
    if (e instanceof SnapshotError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Fetches the boot images if needed, restores `bytes` and runs the machine. */
export async function restoreSessionSnapshot(session: VmSession, bytes: Uint8Array): Promise<RestoreResult> {
  const images = await session.fetchImagesOnly();
  if (!images) return { ok: false, reason: 'the boot images could not be loaded in this tab' };
  try {
    session.startWithHistory(restoreSnapshot(bytes, restoreHostFor(session, images)));
    return { ok: true };
  } catch (e) {
    // Anything else is an emulator bug, but a file the user picked must never crash the tab.
    if (!(e instanceof SnapshotError)) console.error(e);
    const reason = e instanceof SnapshotError ? e.message : `cannot restore: ${e instanceof Error ? e.message : String(e)}`;
    session.failWith(reason);
    return { ok: false, reason };
  }
}
