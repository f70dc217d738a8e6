/**
 * A small VM for engine tests that do not need Linux: the stream fixtures' example machine
 * (RAM and three kinds of device sections) plus a deterministic "guest" that writes pages of
 * a working set, marking them dirty as the hart does. `clone` gives the destination side.
 */
import {
  createExampleMachine,
  exampleMachineConfig,
  exampleSections,
  type ExampleMachine,
} from '../stream/fixtures/examples.ts';
import { TARGET_PAGE_SIZE, type MigrationBlocker } from '../stream/index.ts';
import type { DestinationHost } from '../destination.ts';
import type { SourceVm } from '../source.ts';

export interface ToyVm extends SourceVm {
  readonly machine: ExampleMachine;
  released: boolean;
  /** Writes `pages` pseudo-random pages of the first `workingSetPages` (deterministic). */
  write(pages: number): void;
  workingSetPages: number;
  blockList: MigrationBlocker[];
}

export function toyVm(ramPages = 256, seed = 1): ToyVm {
  const machine = createExampleMachine();
  machine.ram = new Uint8Array(ramPages * TARGET_PAGE_SIZE);
  // Some data, many zero pages; the pages written are remembered as Ram.written does.
  const written = new Uint8Array(ramPages);
  for (let p = 0; p < ramPages; p += 3) {
    machine.ram.fill((p % 251) + 1, p * TARGET_PAGE_SIZE, p * TARGET_PAGE_SIZE + 100);
    written[p] = 1;
  }
  machine.uart.scratch = 0x1234;
  machine.harts[0]!.pc = 0x80000000n;
  const dirty = new Uint8Array(ramPages);
  let state = seed >>> 0;
  const vm: ToyVm = {
    machine,
    released: false,
    workingSetPages: ramPages,
    blockList: [],
    ram: machine.ram,
    dirty,
    written,
    configuration: () => exampleMachineConfig,
    blockers: () => vm.blockList,
    sections: () => exampleSections(machine),
    release: () => {
      vm.released = true;
    },
    write(pages) {
      for (let i = 0; i < pages; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const p = state % vm.workingSetPages;
        const off = p * TARGET_PAGE_SIZE + (state >>> 20);
        machine.ram[off % machine.ram.length] = (state >>> 8) & 0xff || 1;
        dirty[p] = 1;
        machine.harts[0]!.pc += 4n;
      }
    },
  };
  return vm;
}

export interface ToyHost extends DestinationHost<ExampleMachine> {
  built: ExampleMachine[];
  discarded: ExampleMachine[];
  afterLoads: number;
}

/** Builds example machines; refuses with `refuse` when given. */
export function toyHost(refuse?: string): ToyHost {
  const host: ToyHost = {
    built: [],
    discarded: [],
    afterLoads: 0,
    build(config) {
      if (refuse !== undefined) return { refuse };
      const m = createExampleMachine();
      m.ram = new Uint8Array(config.ramSize);
      host.built.push(m);
      return {
        machine: m,
        target: {
          ramBytes: m.ram,
          sections: exampleSections(m),
          afterLoad: () => {
            host.afterLoads++;
          },
        },
      };
    },
    discard(m) {
      host.discarded.push(m);
    },
  };
  return host;
}
