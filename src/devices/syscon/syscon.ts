/**
 * The `virt` board's power/reset register (sifive,test0 + syscon). Linux's syscon-poweroff and
 * syscon-reboot drivers write 0x5555 / 0x7777 through a regmap (read-modify-write of a
 * register that reads 0); OpenSBI's sifive_test driver and bare-metal tests write it directly.
 */
import type { AccessSize, MmioDevice } from '../../core/bus/mmio.ts';
import { Finisher, FINISHER_CODE_SHIFT, FINISHER_STATUS_MASK, SysconReg } from './regs.ts';
import type { SysconState } from './state.ts';

export type SysconEvent = 'poweroff' | 'reset';
/** Called by the finisher; `code` is the exit code (0 for PASS and RESET). */
export type SysconHandler = (event: SysconEvent, code: number) => void;

export class Syscon implements MmioDevice {
  constructor(
    readonly state: SysconState,
    private readonly onEvent: SysconHandler,
  ) {}

  read(_offset: number, _size: AccessSize): number {
    return 0;
  }

  write(offset: number, _size: AccessSize, value: number): void {
    if (offset !== SysconReg.FINISHER) return;
    const status = value & FINISHER_STATUS_MASK;
    const code = (value >>> FINISHER_CODE_SHIFT) & FINISHER_STATUS_MASK;
    switch (status) {
      case Finisher.PASS:
        this.onEvent('poweroff', 0);
        break;
      case Finisher.FAIL:
        // As QEMU: the guest's code is the exit code as given (a FAIL with code 0 exits 0).
        this.onEvent('poweroff', code);
        break;
      case Finisher.RESET:
        this.onEvent('reset', 0);
        break;
      default:
        break; // other values are ignored, as on QEMU
    }
  }
}
