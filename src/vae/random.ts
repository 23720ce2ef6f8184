/** Small seeded PRNG (mulberry32), so batch order and ε are reproducible everywhere. */
export interface Rng {
  /** A uniform draw in [0, 1). */
  (): number;
  /** The generator's whole state, to checkpoint a run and resume it exactly. */
  state: number;
}

export function createRng(seed: number): Rng {
  const rng = (() => {
    rng.state = (rng.state + 0x6d2b79f5) >>> 0;
    let t = rng.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Rng;
  rng.state = seed >>> 0;
  return rng;
}

/** A fresh 31-bit integer seed drawn from `rng`, for TF.js ops that take a seed. */
export function nextSeed(rng: Rng): number {
  return Math.floor(rng() * 0x7fffffff);
}

/** Fisher–Yates shuffle of 0..n-1. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** A standard normal draw by Box–Muller, z = √(−2 ln u₁) cos 2πu₂, with u₁ ∈ (0, 1]. */
export function gaussian(rng: Rng): number {
  const u1 = 1 - rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng());
}
