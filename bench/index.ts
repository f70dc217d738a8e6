/** `npm run bench`: the CPU benchmark, then the boot benchmark. */
import { bootBench } from './boot.ts';
import { cpuBench } from './cpu.ts';

process.stdout.write(`tabvm benchmarks, Node ${process.version}\n`);
cpuBench();
bootBench();
