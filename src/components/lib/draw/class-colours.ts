/**
 * The colours of the ten classes (digits, or Fashion-MNIST's garments) in every scatter and
 * legend. Tableau 10, used before, puts red and green classes within ΔE 1 of each other for a
 * reader with deuteranopia. These two palettes, one per theme, keep every pair at least ΔE 7.5
 * apart for normal vision and under simulated protanopia, deuteranopia and tritanopia, and stay
 * visible on the theme's background (test/unit/class-colours.test.ts). They start from Paul
 * Tol's "muted" scheme, with the pale grey replaced and some hues darkened (light theme) or
 * lightened (dark theme). global.css holds the same values as --class-0 … --class-9.
 */
export const LIGHT_CLASS_COLOURS = ['#332288', '#4499cc', '#44aa99', '#117733', '#999933', '#bb9922', '#cc6677', '#882255', '#aa4499', '#222222'];
export const DARK_CLASS_COLOURS = ['#8877ee', '#88ccee', '#44aa99', '#3a9a4a', '#999933', '#ddcc77', '#cc6677', '#bb4477', '#aa4499', '#dddddd'];

/** The palette of the page's theme: the toggle's choice (color-scheme light or dark), else the system's. */
export function classColours(): string[] {
  const scheme = getComputedStyle(document.documentElement).colorScheme.split(/\s+/);
  const dark = scheme.includes('dark') && (!scheme.includes('light') || matchMedia('(prefers-color-scheme: dark)').matches);
  return dark ? DARK_CLASS_COLOURS : LIGHT_CLASS_COLOURS;
}
