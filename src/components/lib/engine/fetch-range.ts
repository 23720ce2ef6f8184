/**
 * Reading parts of the site's data files over HTTP. A range request fetches only the bytes a
 * figure needs (one test digit is 784 of a shard's 7.8 MB). A host that ignores ranges answers
 * with the whole file: then it is fetched once and sliced from memory.
 */
import type { ReadBytes, ReadRange } from '../../../vae/data.ts';
import { readTracked } from './downloads.ts';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');
const whole = new Map<string, Promise<Uint8Array>>();

function failed(url: string, response: Response): Error {
  return new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
}

/** A site-relative file, whole. */
export const fetchWhole: ReadBytes = async (path) => {
  const url = `${base}/${path}`;
  const response = await fetch(url);
  if (!response.ok) throw failed(url, response);
  return new Uint8Array(await response.arrayBuffer());
};

/** Bytes [start, end) of a site-relative file. */
export const fetchRange: ReadRange = async (path, start, end) => {
  const url = `${base}/${path}`;
  const cached = whole.get(url);
  if (cached) return (await cached).slice(start, end);
  const response = await fetch(url, { headers: { Range: `bytes=${start}-${end - 1}` } });
  if (!response.ok) throw failed(url, response);
  if (response.status === 206) {
    // Some servers send more than was asked (one reads "bytes=0-0" as "from 0 to the end"):
    // Content-Range says where the part starts.
    const from = Number(/^bytes (\d+)-/.exec(response.headers.get('Content-Range') ?? '')?.[1] ?? start);
    const part = await readTracked(url, response);
    return part.slice(start - from, end - from);
  }
  // 200: the host sent the whole file.
  const bytes = readTracked(url, response);
  whole.set(url, bytes);
  bytes.catch(() => whole.delete(url));
  return (await bytes).slice(start, end);
};
