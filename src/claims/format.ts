/**
 * How a computed number reads in the prose: the one formatting of claims, used by <Claim>
 * (src/components/Claim.astro) when the site is built, by test/unit/claims.test.ts to compare
 * a fresh computation with the stored value, and by `npm run claims` to report what moved.
 *
 * A claim is an entry of src/claims/<group>.json, its value computed by
 * scripts/lib/claims/<group>.ts. Formats (all with a true minus sign, U+2212):
 *
 *   number    value with `digits` decimals and thousands separators; a negative `digits` rounds
 *             to tens (−1), hundreds (−2), …: 2293 with −2 → "2,300"
 *   percent   100 · value, as a number: 0.865 with 1 → "86.5" (the prose writes the % sign)
 *   pow10     the nearest power of ten, 10^round(log₁₀ value): 1.1e−5 → 10⁻⁵ (`digits` unused)
 *   times10   m × 10^e with 1 ≤ |m| < 10 and `digits` decimals in m: 2.8e46 with 0 → 3 × 10⁴⁶
 */

export const CLAIM_FORMATS = ['number', 'percent', 'pow10', 'times10'] as const;
type ClaimFormat = (typeof CLAIM_FORMATS)[number];

/** One entry of a group file, under its id (e.g. "formulas.bceUniform"). */
export interface Claim {
  /** The computed value at full precision. */
  value: number;
  /** Decimals shown (for pow10, ignored). */
  digits: number;
  format?: ClaimFormat;
  /** One line saying what is computed. */
  what: string;
}

/** A claim as displayed: plain text (what tests compare) and the HTML the page prints. */
export interface Displayed {
  text: string;
  html: string;
}

const MINUS = '\u2212';
/** A no-break space on each side of ×, so "3 × 10⁴⁶" never wraps. */
const TIMES = '\u00a0×\u00a0';
const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', [MINUS]: '⁻' };

/** n rounded to `digits` decimals (to tens, hundreds, … when negative), with separators. */
function fixed(n: number, digits: number): string {
  const step = digits < 0 ? 10 ** -digits : 1;
  const rounded = digits < 0 ? Math.round(n / step) * step : n;
  const shown = Math.max(0, digits);
  const text = rounded.toLocaleString('en', { minimumFractionDigits: shown, maximumFractionDigits: shown });
  // −0.004 with two decimals reads "0.00", not "-0.00".
  if (/^-0(\.0*)?$/.test(text)) return text.slice(1);
  return text.replace(/^-/, MINUS);
}

/** The integer exponent e with 10^e ≤ |n| < 10^(e+1), immune to log10's last-bit errors. */
function decade(n: number): number {
  let e = Math.floor(Math.log10(Math.abs(n)));
  if (Math.abs(n) / 10 ** e >= 10) e += 1;
  else if (Math.abs(n) / 10 ** e < 1) e -= 1;
  return e;
}

function power(exponent: number): Displayed {
  const e = fixed(exponent, 0);
  return { text: `10${[...e].map((c) => SUPERSCRIPT[c] ?? c).join('')}`, html: `10<sup>${e}</sup>` };
}

/** The claim's displayed form. Throws on a value the format cannot show (NaN, or pow10 of a value ≤ 0). */
export function displayClaim(claim: Pick<Claim, 'value' | 'digits' | 'format'>): Displayed {
  const { value, digits } = claim;
  const format = claim.format ?? 'number';
  if (!Number.isFinite(value)) throw new Error(`A claim's value must be a finite number, not ${value}`);
  if (!Number.isInteger(digits)) throw new Error(`A claim's digits must be a whole number, not ${digits}`);
  switch (format) {
    case 'number': {
      const text = fixed(value, digits);
      return { text, html: text };
    }
    case 'percent': {
      const text = fixed(100 * value, digits);
      return { text, html: text };
    }
    case 'pow10': {
      if (!(value > 0)) throw new Error(`A pow10 claim needs a positive value, not ${value}`);
      return power(Math.round(Math.log10(value)));
    }
    case 'times10': {
      if (value === 0) return { text: fixed(0, digits), html: fixed(0, digits) };
      let exponent = decade(value);
      let mantissa = Number((value / 10 ** exponent).toFixed(Math.max(0, digits)));
      // 9.96e46 with no decimals is 10 × 10⁴⁶: write 1 × 10⁴⁷.
      if (Math.abs(mantissa) >= 10) {
        mantissa /= 10;
        exponent += 1;
      }
      const m = fixed(mantissa, Math.max(0, digits));
      const p = power(exponent);
      return { text: `${m}${TIMES}${p.text}`, html: `${m}${TIMES}${p.html}` };
    }
    default:
      throw new Error(`Unknown claim format "${String(format)}"; use one of ${CLAIM_FORMATS.join(', ')}`);
  }
}
