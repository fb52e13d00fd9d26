/**
 * Turns what the user picked or dropped (a zip, the adapter files, a folder) into what the Worker's
 * importAdapterFiles takes. Only the files an adapter consists of are read; adapter_model.bin (a
 * PyTorch pickle) is never read: it is passed on empty so the importer can say what to do instead.
 */

export const ADAPTER_FILE_NAMES = ['adapter_model.safetensors', 'adapter_config.json'] as const;
const PICKLE = 'adapter_model.bin';

/** A picked file with the path it had inside a picked or dropped folder. */
export interface PickedFile {
  path: string;
  file: File;
}

export type ImportSource =
  { kind: 'zip'; bytes: Uint8Array; name: string } | { kind: 'files'; files: Map<string, Uint8Array>; name: string };

const baseName = (path: string) => path.replace(/\\/g, '/').split('/').pop() ?? path;

/** A default adapter name from a zip's file name or a folder's name ("names-peft-adapter.zip" → "names"). */
export function suggestedName(picked: PickedFile[]): string {
  const clean = (s: string) =>
    s
      .replace(/\.zip$/i, '')
      .replace(/-peft-adapter$/, '')
      .replace(/[^\w.-]+/g, '-')
      .slice(0, 48);
  if (picked.length === 1 && /\.zip$/i.test(picked[0].path)) return clean(baseName(picked[0].path)) || 'imported';
  const folder = picked.map((p) => p.path.replace(/\\/g, '/').split('/')).find((parts) => parts.length > 1)?.[0];
  return (folder && clean(folder)) || 'imported';
}

/**
 * Reads the picked files into an import source.
 * @throws Error with a sentence for the user when nothing importable was picked.
 */
export async function readPicked(picked: PickedFile[]): Promise<ImportSource> {
  const name = suggestedName(picked);
  const zips = picked.filter((p) => /\.zip$/i.test(p.path));
  if (zips.length > 1)
    throw new Error(
      `Pick one adapter at a time: got ${zips.length} zip files (${zips.map((z) => baseName(z.path)).join(', ')}).`,
    );
  if (zips.length === 1 && picked.length === 1)
    return { kind: 'zip', bytes: new Uint8Array(await zips[0].file.arrayBuffer()), name };
  const files = new Map<string, Uint8Array>();
  for (const p of picked) {
    const base = baseName(p.path);
    if (base === PICKLE) files.set(p.path, new Uint8Array(0));
    else if ((ADAPTER_FILE_NAMES as readonly string[]).includes(base))
      files.set(p.path, new Uint8Array(await p.file.arrayBuffer()));
  }
  if (files.size === 0) {
    const got = picked
      .slice(0, 5)
      .map((p) => baseName(p.path))
      .join(', ');
    throw new Error(
      `No adapter files found: a PEFT adapter is adapter_model.safetensors + adapter_config.json (or a .zip of them); got ${got || 'nothing'}${picked.length > 5 ? ', …' : ''}.`,
    );
  }
  return { kind: 'files', files, name };
}

/** Files of a drop, walking into dropped folders (Chromium, Firefox and Safari support entries). */
export async function droppedFiles(dt: DataTransfer): Promise<PickedFile[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return [...dt.files].map((file) => ({ path: file.name, file }));
  const out: PickedFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string, depth: number): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ path: prefix + entry.name, file });
    } else if (entry.isDirectory && depth < 4) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns at most ~100 entries per call: read until it returns none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`, depth + 1);
      }
    }
  };
  for (const e of entries) await walk(e, '', 0);
  return out;
}
