/** `npm run bench`: the CPU benchmark, the boot benchmark, then the snapshot benchmark. */
import { bootBench } from './boot.ts';
import { cpuBench } from './cpu.ts';
import { snapshotBench } from './snapshot.ts';

process.stdout.write(`tabvm benchmarks, Node ${process.version}\n`);
cpuBench();
bootBench();
snapshotBench();
