/** A one-line progress bar on a terminal; a line every few seconds in a log file. */
let lastLog = 0;

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function progressLine(done: number, total: number, etaSeconds: number, detail: string): void {
  const width = 24;
  const filled = Math.round((done / total) * width);
  const eta = etaSeconds;
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${done}/${total}  ${detail}  ETA ${clock(eta)}`;
  if (process.stdout.isTTY) {
    process.stdout.write(`\r${line}\x1b[K`);
  } else if (performance.now() - lastLog > 10_000 || done === total) {
    lastLog = performance.now();
    console.log(line);
  }
}
