/**
 * The files a reader gives a page, with their paths: picked with a file input (a folder's
 * `webkitRelativePath`, or the bare name), or dropped (folders walked with the File and
 * Directory Entries API, which every current browser has). Paths use `/` and carry no leading
 * slash, as in a zip.
 */

export interface PickedFile {
  path: string;
  file: File;
}

/** The files of a file input, with a picked folder's relative paths. */
export function pickedFiles(list: FileList | null): PickedFile[] {
  return Array.from(list ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Every file under `entry`, depth first; `readEntries` answers in batches until it answers none. */
async function walk(entry: FileSystemEntry, out: PickedFile[], limit: number): Promise<void> {
  if (out.length >= limit) return;
  if (entry.isFile) {
    out.push({ path: entry.fullPath.replace(/^\/+/, ''), file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, out, limit);
  }
}

/**
 * The files of a drop, folders walked, up to `limit` (the rest are not read; the caller says
 * so). Falls back to `dataTransfer.files` where entries are not offered.
 */
export async function droppedFiles(transfer: DataTransfer, limit: number): Promise<{ files: PickedFile[]; more: boolean }> {
  const entries = Array.from(transfer.items ?? [], (item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() : null)).filter((e): e is FileSystemEntry => e !== null && e !== undefined);
  if (entries.length === 0) {
    const files = pickedFiles(transfer.files);
    return { files: files.slice(0, limit), more: files.length > limit };
  }
  const out: PickedFile[] = [];
  // One more than the limit tells whether there were more.
  for (const entry of entries) await walk(entry, out, limit + 1);
  return { files: out.slice(0, limit), more: out.length > limit };
}
