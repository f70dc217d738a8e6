/**
 * Golden streams per description (STYLE principle 12): each description's bytes for its fixed
 * golden state (golden-states.ts) must stay exactly the committed fixture, and the fixture must
 * keep loading into that state. Regenerate deliberately with UPDATE_FIXTURES=1 when a format
 * changes on purpose, and keep old fixtures that must still load.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, loadState, saveState, VmStateError } from '../../vmstate/index.ts';
import { GOLDEN } from './golden-states.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}.bin`, import.meta.url);

describe('golden streams per description', () => {
  for (const g of GOLDEN) {
    const view = g.view ?? ((s: unknown) => s);
    const loadedView = g.loadedView ?? view;

    it(`${g.name}: the description writes the committed bytes`, () => {
      const w = new ByteWriter();
      saveState(g.description, g.make(), w);
      const bytes = w.take();
      if (process.env.UPDATE_FIXTURES === '1') writeFileSync(fixture(g.name), bytes);
      expect(Buffer.from(bytes).toString('hex')).toBe(readFileSync(fixture(g.name)).toString('hex'));
    });

    it(`${g.name}: the committed bytes load into the golden state, and every truncation is refused`, () => {
      const bytes = new Uint8Array(readFileSync(fixture(g.name)));
      const state = g.fresh();
      const r = new ByteReader(bytes);
      loadState(g.loadDescription ?? g.description, state, r, g.description.version);
      expect(r.remaining).toBe(0);
      const made = g.make();
      saveState(g.description, made, new ByteWriter()); // runs preSave, as a save does
      expect(loadedView(state)).toEqual(view(made));
      for (let cut = 0; cut < bytes.length; cut++) {
        const reader = new ByteReader(bytes.subarray(0, cut));
        let error: unknown;
        try {
          loadState(g.loadDescription ?? g.description, g.fresh(), reader, g.description.version);
        } catch (e) {
          error = e;
        }
        // A description without fields (syscon) loads from zero bytes.
        if (bytes.length > 0) expect(error instanceof VmStateError && error.reason === 'truncated', `cut at ${cut}`).toBe(true);
      }
    });
  }
});
