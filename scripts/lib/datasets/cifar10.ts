/**
 * CIFAR-10 (Krizhevsky, 2009) from its official binary version, for those who have it: the
 * project does not ship it, and nothing downloads it. Its folder, `cifar-10-batches-bin`, holds
 * data_batch_1.bin … data_batch_5.bin (50,000 training images) and test_batch.bin (10,000 test
 * images), and batches.meta.txt with the class names. Each record is 3,073 bytes: the label,
 * then the red, green and blue planes of the 32 × 32 image, 1,024 bytes each, row by row. The
 * datasets here store height × width × channels (channels last), so each record is interleaved:
 * value (y, x, c) = record[1 + 1024·c + 32·y + x].
 *
 *   npm run data -- --only cifar10 --from path/to/cifar-10-batches-bin
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetSource, RawDataset, RawSplit } from './types.ts';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;
export const CIFAR10_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
export const CIFAR10_TEST_FILE = 'test_batch.bin';
/** The classes in label order, as batches.meta.txt lists them. */
const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** The records of CIFAR-10 binary files as 32 × 32 × 3 images (channels last) and labels. */
function readCifarRecords(files: { name: string; bytes: Uint8Array }[]): RawSplit {
  const count = files.reduce((n, f) => n + f.bytes.length / RECORD, 0);
  const images = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const { name, bytes } of files) {
    if (bytes.length === 0 || bytes.length % RECORD !== 0) throw new Error(`${name} is ${bytes.length} bytes, not a whole number of ${RECORD}-byte CIFAR-10 records`);
    for (let at = 0; at < bytes.length; at += RECORD, n++) {
      const label = bytes[at]!;
      if (label >= CLASSES.length) throw new Error(`${name}: record ${at / RECORD} has label ${label}; CIFAR-10's labels are 0 to 9`);
      labels[n] = label;
      const out = n * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        for (let c = 0; c < 3; c++) images[out + 3 * p + c] = bytes[at + 1 + c * PLANE + p]!;
      }
    }
  }
  return { images, labels };
}

/** The CIFAR-10 plug-in for the folder `dir` (cifar-10-batches-bin). */
export function cifar10(dir: string): DatasetSource {
  const path = (name: string) => join(dir, name);
  const missing = () => [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((name) => !existsSync(path(name)));
  const check = () => {
    const gone = missing();
    if (gone.length > 0) throw new Error(`${dir} is not CIFAR-10's binary folder (cifar-10-batches-bin): ${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} missing.`);
  };
  let hashed: string | undefined;
  return {
    id: 'cifar10',
    name: 'CIFAR-10',
    source() {
      check();
      // The files' contents decide whether a prepared copy is up to date.
      hashed ??= (() => {
        const hash = createHash('sha256');
        for (const name of [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE]) hash.update(name).update(readFileSync(path(name)));
        return `cifar-10-batches-bin sha256:${hash.digest('hex').slice(0, 16)}`;
      })();
      return hashed;
    },
    async load(): Promise<RawDataset> {
      check();
      const read = async (name: string) => ({ name, bytes: new Uint8Array(await readFile(path(name))) });
      const train = readCifarRecords(await Promise.all(CIFAR10_TRAIN_FILES.map(read)));
      const test = readCifarRecords([await read(CIFAR10_TEST_FILE)]);
      const meta = existsSync(path('batches.meta.txt')) ? (await readFile(path('batches.meta.txt'), 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : [];
      return {
        source: this.source(),
        classes: meta.length === CLASSES.length ? meta : CLASSES,
        shape: { height: SIDE, width: SIDE, channels: 3 },
        train,
        test,
        preparation: { split: `official: the five data batches (${train.labels.length.toLocaleString('en')} images) and the test batch (${test.labels.length.toLocaleString('en')})` },
      };
    },
  };
}
