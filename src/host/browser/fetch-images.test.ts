import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fetchImages, ImageFetchError, type FetchProgress } from './fetch-images.ts';

const BASE = 'http://app.test/';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A static server over `files`, streaming each body in chunks of `chunk` bytes. */
function server(files: Record<string, Uint8Array | string>, chunk = 1000) {
  return async (url: string): Promise<Response> => {
    const body = files[url.slice(BASE.length)];
    if (body === undefined) return new Response('not found', { status: 404 });
    if (typeof body === 'string') return new Response(body);
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= body.length) return c.close();
        c.enqueue(body.slice(at, at + chunk));
        at += chunk;
      },
    });
    return new Response(stream);
  };
}

const a = new Uint8Array(2500).map((_, i) => i * 7);
const b = new Uint8Array(1200).map((_, i) => i * 3);
const manifest = (entries: object[]) => JSON.stringify({ artifacts: entries });

describe('fetchImages', () => {
  it('downloads in order, reports progress up to the total, and identifies images by digest', async () => {
    const fetchFn = server({
      'manifest.json': manifest([
        { file: 'a.bin', bytes: a.length, sha256: sha(a) },
        { file: 'b.bin', bytes: b.length },
      ]),
      'a.bin': a,
      'b.bin': b,
    });
    const seen: FetchProgress[] = [];
    const [ia, ib] = await fetchImages(BASE, ['a.bin', 'b.bin'], (p) => seen.push(p), fetchFn);
    expect(ia!.bytes).toEqual(a);
    expect(ib!.bytes).toEqual(b);
    expect(ia!.id).toEqual({ name: 'a.bin', bytes: a.length, sha256: sha(a) });
    expect(ib!.id.sha256).toBe(sha(b));
    expect(seen[0]).toEqual({ loaded: 0, total: a.length + b.length });
    expect(seen.at(-1)).toEqual({ loaded: a.length + b.length, total: a.length + b.length });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.loaded).toBeGreaterThan(seen[i - 1]!.loaded);
  });

  it('reports a digest that differs from the manifest and keeps the real one', async () => {
    const fetchFn = server({ 'manifest.json': manifest([{ file: 'a.bin', bytes: a.length, sha256: '00'.repeat(32) }]), 'a.bin': a });
    const mismatches: string[] = [];
    const [ia] = await fetchImages(BASE, ['a.bin'], () => undefined, fetchFn, (file, actual, listed) => mismatches.push(`${file} ${actual} ${listed}`));
    expect(mismatches).toEqual([`a.bin ${sha(a)} ${'00'.repeat(32)}`]);
    expect(ia!.id.sha256).toBe(sha(a));
  });

  it('refuses a missing file, an unlisted file, and a size that differs from the manifest', async () => {
    const files = { 'manifest.json': manifest([{ file: 'a.bin', bytes: a.length + 1 }, { file: 'gone.bin', bytes: 5 }]), 'a.bin': a };
    const fetchFn = server(files);
    await expect(fetchImages(BASE, ['gone.bin'], () => undefined, fetchFn)).rejects.toThrow(/gone\.bin: HTTP 404/);
    await expect(fetchImages(BASE, ['c.bin'], () => undefined, fetchFn)).rejects.toThrow(/does not list c\.bin/);
    await expect(fetchImages(BASE, ['a.bin'], () => undefined, fetchFn)).rejects.toThrow(ImageFetchError);
    await expect(fetchImages(BASE, ['a.bin'], () => undefined, fetchFn)).rejects.toThrow(`got ${a.length} bytes, the manifest says ${a.length + 1}`);
    await expect(fetchImages(BASE, ['a.bin'], () => undefined, server({}))).rejects.toThrow(/manifest\.json: HTTP 404/);
  });
});
