/** Tiny `--name value` / `--flag` parser for the CLIs, on top of node:util. */
import { parseArgs } from 'node:util';

export function cliArgs<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(options: T) {
  const { values } = parseArgs({ options, allowPositionals: false, strict: true });
  return values;
}

export function num(value: string | boolean | undefined, name: string): number {
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n)) throw new Error(`--${name} needs a number, got ${String(value)}`);
  return n;
}

/**
 * Makes a CLI end on a failure with one clear line (the error's message names the fix, e.g.
 * "Run `npm run data`") and exit code 1, instead of a stack trace.
 */
export function exitCleanlyOnError(): void {
  const fail = (err: unknown) => {
    console.error(`\nError: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}
