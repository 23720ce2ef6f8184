/**
 * A minimal PNG encoder for 8-bit greyscale and truecolour images, without Node or the DOM: the previews of
 * decoded digits (`npm run render:preview`) and the images of a prepared dataset the page
 * downloads as a zip (`dataset-zip.ts`). `scripts/lib/png.ts` decodes them.
 */
import { zlibSync } from 'fflate';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 of `bytes` (ISO 3309, as PNG and zip use it). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes `grey` (row-major, one byte per pixel) as a greyscale PNG. */
export function encodeGreyPng(grey: Uint8Array, width: number, height: number): Uint8Array {
  return encodePng(grey, width, height, 1);
}

/**
 * Encodes `levels` (row-major, `channels` bytes per pixel: 1 grey, 3 red, green, blue) as an
 * 8-bit greyscale or truecolour PNG.
 */
export function encodePng(levels: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  const line = width * channels;
  if (levels.length !== line * height) throw new Error(`Expected ${line * height} levels for ${width} × ${height} × ${channels}, got ${levels.length}`);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  // Bit depth 8, colour type 0 (grey) or 2 (truecolour), default compression/filter/interlace.
  header.set([8, channels === 3 ? 2 : 0, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (line + 1));
  for (let y = 0; y < height; y++) raw.set(levels.subarray(y * line, (y + 1) * line), y * (line + 1) + 1);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    png.set(p, offset);
    offset += p.length;
  }
  return png;
}
