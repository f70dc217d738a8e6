import { useSyncExternalStore } from 'react';
import type { VmHandle, VmStatus } from '../vm-handle.ts';

/** The page-side status of a VM (boot phase, run state, download progress), re-rendering on change. */
export function useVmStatus(vm: VmHandle): VmStatus {
  return useSyncExternalStore(vm.subscribe, vm.getStatus);
}
