/**
 * A decoder for the small 8-bit images a folder dataset is made of (datasets/folder.ts); the
 * encoder of greyscale PNGs is the engine's (src/vae/grey-png.ts), re-exported here.
 */
import { inflateSync } from 'node:zlib';
import { crc32 } from '../../src/vae/grey-png.ts';

export { encodeGreyPng } from '../../src/vae/grey-png.ts';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Colour type → channels per pixel: grey, RGB, grey + alpha, RGBA (palette images are not read). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
const COLOUR_NAMES: Record<number, string> = { 0: 'greyscale', 2: 'RGB', 3: 'palette', 4: 'greyscale with alpha', 6: 'RGBA' };

/** A PNG that decodePng cannot read; the message says why. */
export class PngError extends Error {
  override name = 'PngError';
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes a non-interlaced 8-bit PNG (greyscale, grey + alpha, RGB or RGBA) to one grey level
 * per pixel: grey as is, colour by Rec. 601 luminance (0.299 R + 0.587 G + 0.114 B, rounded);
 * alpha is ignored. Other bit depths, palette images and interlaced files are refused.
 */
export function decodePng(bytes: Uint8Array): { width: number; height: number; grey: Uint8Array } {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new PngError('not a PNG file (its signature is wrong)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = -1;
  let interlace = 0;
  const idat: Uint8Array[] = [];
  let offset = 8;
  let ended = false;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > bytes.length) throw new PngError(`the ${type} chunk is cut short`);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) throw new PngError(`the ${type} chunk is damaged (its CRC does not match)`);
    if (type === 'IHDR') {
      const h = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = h.getUint32(0);
      height = h.getUint32(4);
      depth = data[8]!;
      colour = data[9]!;
      interlace = data[12]!;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    offset += 12 + length;
  }
  if (colour < 0) throw new PngError('it has no IHDR chunk');
  if (!ended) throw new PngError('it is cut short (no IEND chunk)');
  const channels = CHANNELS[colour];
  if (channels === undefined) throw new PngError(`it is a ${COLOUR_NAMES[colour] ?? `colour type ${colour}`} image; save it as 8-bit greyscale, RGB or RGBA`);
  if (depth !== 8) throw new PngError(`it has ${depth} bits per sample; only 8-bit images are read`);
  if (interlace !== 0) throw new PngError('it is interlaced (Adam7); save it without interlacing');
  if (width === 0 || height === 0) throw new PngError(`it is ${width}×${height} pixels`);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (err) {
    throw new PngError(`its image data does not inflate (${err instanceof Error ? err.message : String(err)})`);
  }
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new PngError(`its image data is ${raw.length} bytes, expected ${height * (stride + 1)}`);
  // Undo the row filters in place: each row is a filter byte, then `stride` filtered bytes.
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    const prior = (y - 1) * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels]! : 0;
      const b = y > 0 ? pixels[prior + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[prior + x - channels]! : 0;
      let predicted: number;
      if (filter === 0) predicted = 0;
      else if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) predicted = paeth(a, b, c);
      else throw new PngError(`row ${y} has an unknown filter type ${filter}`);
      pixels[row + x] = (src[x]! + predicted) & 0xff;
    }
  }
  const grey = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) {
    const o = p * channels;
    grey[p] = channels >= 3 ? Math.round(0.299 * pixels[o]! + 0.587 * pixels[o + 1]! + 0.114 * pixels[o + 2]!) : pixels[o]!;
  }
  return { width, height, grey };
}
