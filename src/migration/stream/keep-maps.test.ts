import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../vmstate/index.ts';
import { keepHotClassesAlive } from './keep-maps.ts';
import { StreamLoader } from './loader.ts';
import { WideHash } from './wide-hash.ts';
import { StreamWriter } from './writer.ts';

describe('keepHotClassesAlive', () => {
  it('keeps one instance of every class on the stream hot path, the same ones on every call', () => {
    const kept = keepHotClassesAlive();
    for (const c of [ByteReader, ByteWriter, WideHash, StreamWriter, StreamLoader]) {
      expect(kept.filter((o) => o instanceof c)).toHaveLength(1);
    }
    expect(keepHotClassesAlive()).toBe(kept);
  });
});
