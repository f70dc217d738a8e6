/**
 * One live instance of each class on the stream's hot path, for as long as this module is
 * loaded. V8 compiles the writer's and the loader's hot methods against the hidden classes
 * ("maps") of their instances and holds those maps weakly: when every instance of a class has
 * died — between two migrations a session's writer, loader, readers and hash all do — a garbage
 * collection frees the maps and throws the optimized code away (`node --trace-deopt`: "marking
 * dependent code ... for deoptimization, reason: weak objects"). Every migration then ran its
 * first megabytes in slower tiers while V8's helper threads recompiled the same functions
 * (TurboFan took 12-24 ms for `ramPages` alone), competing with both ends for the CPU.
 *
 * The rehearsals (rehearse.ts) call `keepHotClassesAlive` so that any host that migrates keeps
 * them. It only keeps a few small objects; it changes nothing these classes do.
 */
import { ByteReader, ByteWriter } from '../../vmstate/index.ts';
import { StreamLoader } from './loader.ts';
import { WideHash } from './wide-hash.ts';
import { StreamWriter } from './writer.ts';

let kept: readonly object[] | undefined;

/** The kept instances (made on the first call). */
export function keepHotClassesAlive(): readonly object[] {
  kept ??= [
    new ByteReader(new Uint8Array(8)),
    new ByteWriter(8),
    new WideHash(),
    new StreamWriter(() => {}),
    new StreamLoader({ configure: () => ({ refuse: 'kept for its hidden class only' }) }),
  ];
  return kept;
}
