/**
 * The class colours are told apart by readers with colour-vision deficiencies: every pair stays
 * at least ΔE 7.5 (CIELAB 1976) apart for normal vision and under the simulations of
 * protanopia, deuteranopia and tritanopia of Machado, Oliveira & Fernandes (2009, severity 1),
 * applied in linear RGB. Each colour also stands out from its theme's background (WCAG
 * contrast ratio), and global.css's --class-k variables hold the same values.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DARK_CLASS_COLOURS, LIGHT_CLASS_COLOURS } from '../../src/components/lib/draw/class-colours.ts';

type Rgb = [number, number, number];
const SIMULATIONS: Record<string, number[][]> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

const linear = (hex: string): Rgb =>
  [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;

function lab([r, g, b]: Rgb): Rgb {
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

const simulate = (hex: string, m: number[][]): Rgb => m.map((row) => Math.min(1, Math.max(0, row[0]! * linear(hex)[0] + row[1]! * linear(hex)[1] + row[2]! * linear(hex)[2]))) as Rgb;
const luminance = (hex: string) => {
  const [r, g, b] = linear(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);

for (const [theme, palette, background, minContrast] of [
  ['light', LIGHT_CLASS_COLOURS, '#fbfaf7', 2.5],
  ['dark', DARK_CLASS_COLOURS, '#15161a', 3],
] as const) {
  test(`${theme} theme: ten colours, every pair ΔE ≥ 7.5 for normal vision and each simulated colour-vision deficiency`, () => {
    assert.equal(palette.length, 10);
    for (const [name, m] of Object.entries(SIMULATIONS)) {
      const seen = palette.map((c) => lab(simulate(c, m)));
      for (let i = 0; i < 10; i++) {
        for (let j = i + 1; j < 10; j++) {
          const d = Math.hypot(seen[i]![0] - seen[j]![0], seen[i]![1] - seen[j]![1], seen[i]![2] - seen[j]![2]);
          assert.ok(d >= 7.5, `${name}: classes ${i} (${palette[i]}) and ${j} (${palette[j]}) are only ΔE ${d.toFixed(1)} apart`);
        }
      }
    }
  });

  test(`${theme} theme: every colour has a contrast ratio of at least ${minContrast} with the background`, () => {
    for (const c of palette) assert.ok(contrast(c, background) >= minContrast, `${c} on ${background}: ${contrast(c, background).toFixed(2)}`);
  });
}

test('the old palette, Tableau 10, fails the deuteranopia check that these pass', () => {
  const tableau = ['#4e79a7', '#f28e2c', '#e15759', '#76b7b2', '#59a14f', '#edc949', '#af7aa1', '#ff9da7', '#9c755f', '#bab0ab'];
  const seen = tableau.map((c) => lab(simulate(c, SIMULATIONS['deuteranopia']!)));
  const d = Math.hypot(seen[2]![0] - seen[4]![0], seen[2]![1] - seen[4]![1], seen[2]![2] - seen[4]![2]);
  assert.ok(d < 2, `red and green under deuteranopia: ΔE ${d.toFixed(1)}`);
});

test('global.css defines --class-k as light-dark(light, dark) with the same colours', () => {
  const css = readFileSync('src/styles/global.css', 'utf8');
  for (let k = 0; k < 10; k++) {
    assert.ok(css.includes(`--class-${k}: light-dark(${LIGHT_CLASS_COLOURS[k]}, ${DARK_CLASS_COLOURS[k]});`), `--class-${k}`);
  }
});
