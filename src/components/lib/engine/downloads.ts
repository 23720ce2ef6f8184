/**
 * Bytes of the files the page is fetching for its figures (weights, test codes), so a figure can
 * say how far its loading has got: "120 of 268 kB". The total is known when the server sends a
 * Content-Length.
 */
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

function tell(chunk: number): void {
  let loaded = 0;
  let total: number | undefined = 0;
  for (const f of active.values()) {
    loaded += f.loaded;
    total = total === undefined || f.total === undefined ? undefined : total + f.total;
  }
  for (const l of listeners) l({ loaded, total, chunk });
}

/** Calls `listener` with the bytes loaded so far whenever a download moves; returns the unsubscribe. */
export function onDownloads(listener: (progress: DownloadProgress) => void): () => void {
  listeners.add(listener);
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
