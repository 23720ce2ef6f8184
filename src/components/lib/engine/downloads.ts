/**
 * Bytes of the files the page is fetching for its figures (weights, test codes), so a figure can
 * say how far its loading has got: "120 of 268 kB". The total is known when the server sends a
 * Content-Length.
 */
import type { ReadBytes } from '../../../vae/data.ts';

export interface DownloadProgress {
  /** Bytes received of the files being fetched now. */
  loaded: number;
  /** Their sizes; undefined while some file's size is unknown. */
  total: number | undefined;
  /** Bytes that just arrived: a listener that adds these up counts across files. */
  chunk: number;
}

const active = new Map<string, { loaded: number; total: number | undefined }>();
const listeners = new Set<(progress: DownloadProgress) => void>();

/** The downloads under way now, added up. */
function progressNow(chunk: number): DownloadProgress {
  let loaded = 0;
  let total: number | undefined = 0;
  for (const f of active.values()) {
    loaded += f.loaded;
    total = total === undefined || f.total === undefined ? undefined : total + f.total;
  }
  return { loaded, total, chunk };
}

function tell(chunk: number): void {
  const progress = progressNow(chunk);
  for (const l of listeners) l(progress);
}

/**
 * Calls `listener` with the bytes loaded so far whenever a download moves, and at once if some
 * are under way (a figure may have started its model's files before it listens); returns the
 * unsubscribe.
 */
export function onDownloads(listener: (progress: DownloadProgress) => void): () => void {
  listeners.add(listener);
  if (active.size > 0) listener(progressNow(0));
  return () => listeners.delete(listener);
}

/** Reads a response's body, reporting its bytes as they arrive. */
export async function readTracked(url: string, response: Response): Promise<Uint8Array> {
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  active.set(url, { loaded, total });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      active.set(url, { loaded, total });
      tell(value.length);
    }
  } finally {
    active.delete(url);
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

/** "120 of 268 kB", or "120 kB" while the total is unknown. */
export function describeProgress({ loaded, total }: Pick<DownloadProgress, 'loaded' | 'total'>): string {
  const kB = (n: number) => (n / 1000).toLocaleString('en', { maximumFractionDigits: 0 });
  return total === undefined ? `${kB(loaded)} kB` : `${kB(loaded)} of ${kB(total)} kB`;
}

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

/** Reads a site-relative path over HTTP; a failed response is an error that names it. */
export const fetchBytes: ReadBytes = async (path) => {
  const url = `${base}/${path}`;
  // Under way from the request on: its size is known once the answer's headers arrive.
  active.set(url, { loaded: 0, total: undefined });
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    active.delete(url);
    throw err;
  }
  if (!response.ok) {
    active.delete(url);
    throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
  }
  return readTracked(url, response);
};
