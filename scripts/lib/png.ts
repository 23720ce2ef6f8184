/**
 * A decoder for the small 8-bit images a folder dataset is made of (datasets/folder.ts); the
 * encoder of greyscale and truecolour PNGs is the engine's (src/vae/grey-png.ts), re-exported here.
 */
import { inflateSync } from 'node:zlib';
import { crc32 } from '../../src/vae/grey-png.ts';

export { encodeGreyPng, encodePng } from '../../src/vae/grey-png.ts';

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

interface Chunks {
  width: number;
  height: number;
  depth: number;
  colour: number;
  interlace: number;
  idat: Uint8Array[];
  palette?: Uint8Array;
  transparency?: Uint8Array;
}

/** The chunks a decoder needs, each checked against its CRC. */
function readChunks(bytes: Uint8Array): Chunks {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new PngError('not a PNG file (its signature is wrong)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunks = { width: 0, height: 0, depth: 0, colour: -1, interlace: 0, idat: [] };
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
      chunks.width = h.getUint32(0);
      chunks.height = h.getUint32(4);
      chunks.depth = data[8]!;
      chunks.colour = data[9]!;
      chunks.interlace = data[12]!;
    } else if (type === 'IDAT') {
      chunks.idat.push(data);
    } else if (type === 'PLTE') {
      chunks.palette = data;
    } else if (type === 'tRNS') {
      chunks.transparency = data;
    } else if (type === 'IEND') {
      ended = true;
      break;
    }
    offset += 12 + length;
  }
  if (chunks.colour < 0) throw new PngError('it has no IHDR chunk');
  if (!ended) throw new PngError('it is cut short (no IEND chunk)');
  if (chunks.interlace !== 0) throw new PngError('it is interlaced (Adam7); save it without interlacing');
  if (chunks.width === 0 || chunks.height === 0) throw new PngError(`it is ${chunks.width}×${chunks.height} pixels`);
  return chunks;
}

/**
 * The image data inflated and its row filters undone: `height` rows of `stride` bytes. Filters
 * predict from the byte one pixel to the left (`step` bytes back, at least 1) and the row above.
 */
function unfilter(chunks: Chunks, stride: number, step: number): Uint8Array {
  const { height } = chunks;
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(chunks.idat));
  } catch (err) {
    throw new PngError(`its image data does not inflate (${err instanceof Error ? err.message : String(err)})`);
  }
  if (raw.length < height * (stride + 1)) throw new PngError(`its image data is ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    const prior = (y - 1) * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= step ? pixels[row + x - step]! : 0;
      const b = y > 0 ? pixels[prior + x]! : 0;
      const c = x >= step && y > 0 ? pixels[prior + x - step]! : 0;
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
  return pixels;
}

/** The samples of an 8-bit greyscale, grey + alpha, RGB or RGBA image, `channels` per pixel. */
function samples(chunks: Chunks): { pixels: Uint8Array; channels: number } {
  const channels = CHANNELS[chunks.colour];
  if (channels === undefined) throw new PngError(`it is a ${COLOUR_NAMES[chunks.colour] ?? `colour type ${chunks.colour}`} image; save it as 8-bit greyscale, RGB or RGBA`);
  if (chunks.depth !== 8) throw new PngError(`it has ${chunks.depth} bits per sample; only 8-bit images are read`);
  return { pixels: unfilter(chunks, chunks.width * channels, channels), channels };
}

/**
 * Decodes a non-interlaced 8-bit PNG (greyscale, grey + alpha, RGB or RGBA) to one grey level
 * per pixel: grey as is, colour by Rec. 601 luminance (0.299 R + 0.587 G + 0.114 B, rounded);
 * alpha is ignored. Other bit depths, palette images and interlaced files are refused.
 */
export function decodePng(bytes: Uint8Array): { width: number; height: number; grey: Uint8Array } {
  const chunks = readChunks(bytes);
  const { width, height } = chunks;
  const { pixels, channels } = samples(chunks);
  const grey = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) {
    const o = p * channels;
    grey[p] = channels >= 3 ? Math.round(0.299 * pixels[o]! + 0.587 * pixels[o + 1]! + 0.114 * pixels[o + 2]!) : pixels[o]!;
  }
  return { width, height, grey };
}

/**
 * Decodes a non-interlaced PNG to RGBA: 8-bit greyscale, grey + alpha, RGB or RGBA, or a palette
 * image of 1, 2, 4 or 8 bits per index (its tRNS chunk gives the entries' opacity). Grey is
 * spread to R, G and B; a missing alpha is opaque. Gamma and colour-profile chunks are ignored.
 */
export function decodePngRgba(bytes: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const chunks = readChunks(bytes);
  const { width, height, depth } = chunks;
  const rgba = new Uint8Array(width * height * 4);
  if (chunks.colour === 3) {
    const { palette, transparency } = chunks;
    if (!palette || palette.length % 3 !== 0) throw new PngError('it is a palette image without a usable PLTE chunk');
    if (![1, 2, 4, 8].includes(depth)) throw new PngError(`it is a palette image of ${depth} bits per index`);
    const stride = Math.ceil((width * depth) / 8);
    const indices = unfilter(chunks, stride, 1);
    const perByte = 8 / depth;
    const mask = (1 << depth) - 1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const byte = indices[y * stride + Math.floor(x / perByte)]!;
        const index = (byte >> (8 - depth * ((x % perByte) + 1))) & mask;
        if (3 * index + 2 >= palette.length) throw new PngError(`pixel (${x}, ${y}) uses palette entry ${index} of ${palette.length / 3}`);
        const o = 4 * (y * width + x);
        rgba[o] = palette[3 * index]!;
        rgba[o + 1] = palette[3 * index + 1]!;
        rgba[o + 2] = palette[3 * index + 2]!;
        rgba[o + 3] = transparency && index < transparency.length ? transparency[index]! : 255;
      }
    }
    return { width, height, rgba };
  }
  const { pixels, channels } = samples(chunks);
  for (let p = 0, o = 0; p < width * height; p++, o += channels) {
    const grey = channels <= 2;
    rgba[4 * p] = pixels[o]!;
    rgba[4 * p + 1] = grey ? pixels[o]! : pixels[o + 1]!;
    rgba[4 * p + 2] = grey ? pixels[o]! : pixels[o + 2]!;
    rgba[4 * p + 3] = channels === 2 ? pixels[o + 1]! : channels === 4 ? pixels[o + 3]! : 255;
  }
  return { width, height, rgba };
}
