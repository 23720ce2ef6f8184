/**
 * What the smoke checks (smoke.ts) need from a browser, so that the same checks run in Firefox
 * (puppeteer-core over WebDriver BiDi, firefox.ts) and in WebKitGTK (classic WebDriver over
 * HTTP, webkit.ts).
 */
import { createServer } from 'node:net';

/** A function that runs in the page: self-contained (no closure over Node's variables), JSON in and out. */
export type PageFunction<A extends unknown[], R> = (...args: A) => R | Promise<R>;

export interface Driver {
  /** The browser's name and version, as it reports them. */
  readonly version: string;
  /** Opens `url` in the one tab and waits for its load event; forgets the problems seen so far. */
  goto(url: string): Promise<void>;
  /** Runs `fn` in the page with `args` and returns its (awaited) result. */
  run<A extends unknown[], R>(fn: PageFunction<A, R>, ...args: A): Promise<R>;
  /** Uncaught errors, unhandled rejections and console errors since the last `goto`. */
  problems(): Promise<string[]>;
  /** A mouse stroke: press at the first point, move through the rest, release (viewport pixels). */
  stroke(points: [number, number][]): Promise<void>;
  /** Things this driver cannot see, said once in the summary. */
  readonly limits: string[];
  close(): Promise<void>;
}

export interface Browser {
  name: string;
  /** Files that must exist for `launch` to work; a missing one skips or fails the browser. */
  binaries(): string[];
  /** The Debian packages that provide them. */
  packages: string;
  launch(): Promise<Driver>;
}

export const VIEWPORT = { width: 1280, height: 900 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
