/**
 * Downloads the boot images from a static server (the app's `public/` folder): reads
 * `manifest.json` for names and sizes, fetches the files in parallel while reporting bytes
 * loaded out of the total, and identifies each image by the sha256 of the bytes received (a
 * snapshot or migration compares these). A digest that differs from the manifest's means the
 * manifest is stale (images rebuilt without it): reported through `onMismatch`, not fatal.
 */
import type { ImageIdentity } from '../../machine/config.ts';

export class ImageFetchError extends Error {
  override readonly name = 'ImageFetchError';
}

export interface FetchedImage {
  bytes: Uint8Array;
  id: ImageIdentity;
}

export interface FetchProgress {
  /** Bytes received so far, over all files. */
  loaded: number;
  /** Bytes expected in all (from the manifest). */
  total: number;
}

/** The part of `manifest.json` this module reads (guest/ writes it). */
interface ManifestArtifact {
  file: string;
  bytes: number;
  sha256?: string;
}

export type FetchFn = (url: string) => Promise<Response>;

/** Reads the manifest at `base/manifest.json`. */
export async function fetchManifest(base: string, fetchFn: FetchFn = fetch): Promise<Map<string, ManifestArtifact>> {
  const url = new URL('manifest.json', base).href;
  const res = await fetchFn(url);
  if (!res.ok) throw new ImageFetchError(`${url}: HTTP ${res.status}`);
  const json = (await res.json()) as { artifacts?: ManifestArtifact[] };
  if (!Array.isArray(json.artifacts)) throw new ImageFetchError(`${url}: no "artifacts" list`);
  const out = new Map<string, ManifestArtifact>();
  for (const a of json.artifacts) {
    if (typeof a.file !== 'string' || !Number.isSafeInteger(a.bytes) || a.bytes < 0) throw new ImageFetchError(`${url}: bad artifact entry`);
    out.set(a.file, a);
  }
  return out;
}

/** Fetches `files` from `base` in parallel; the result is in the order of `files`. */
export async function fetchImages(
  base: string,
  files: readonly string[],
  onProgress: (p: FetchProgress) => void,
  fetchFn: FetchFn = fetch,
  onMismatch: (file: string, actual: string, manifest: string) => void = () => undefined,
): Promise<FetchedImage[]> {
  const manifest = await fetchManifest(base, fetchFn);
  const entries = files.map((f) => {
    const e = manifest.get(f);
    if (!e) throw new ImageFetchError(`manifest.json does not list ${f}`);
    return e;
  });
  const total = entries.reduce((s, e) => s + e.bytes, 0);
  let loaded = 0;
  onProgress({ loaded, total });
  return Promise.all(
    entries.map(async (e) => {
      const bytes = await download(new URL(e.file, base).href, e.bytes, fetchFn, (n) => {
        loaded += n;
        onProgress({ loaded, total });
      });
      const sha256 = await sha256Hex(bytes);
      if (e.sha256 && sha256 !== e.sha256) onMismatch(e.file, sha256, e.sha256);
      return { bytes, id: { name: e.file, bytes: bytes.length, sha256 } };
    }),
  );
}

async function download(url: string, expected: number, fetchFn: FetchFn, onChunk: (n: number) => void): Promise<Uint8Array> {
  const res = await fetchFn(url);
  if (!res.ok || !res.body) throw new ImageFetchError(`${url}: HTTP ${res.status}`);
  const reader = res.body.getReader();
  let buf = new Uint8Array(expected);
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.length > buf.length) {
      const next = new Uint8Array(Math.max(buf.length * 2, length + value.length));
      next.set(buf.subarray(0, length));
      buf = next;
    }
    buf.set(value, length);
    length += value.length;
    onChunk(value.length);
  }
  if (length !== expected) throw new ImageFetchError(`${url}: got ${length} bytes, the manifest says ${expected}`);
  return buf;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let s = '';
  for (const v of d) s += v.toString(16).padStart(2, '0');
  return s;
}
