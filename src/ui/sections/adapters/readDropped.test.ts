import { describe, expect, it } from 'vitest';
import { readPicked, suggestedName, type PickedFile } from './readDropped';

const file = (path: string, text = 'x'): PickedFile => ({ path, file: new File([text], path.split('/').pop()!) });

describe('reading picked adapter files', () => {
  it('names the adapter after the zip or the folder', () => {
    expect(suggestedName([file('names-peft-adapter.zip')])).toBe('names');
    expect(suggestedName([file('my adapter.zip')])).toBe('my-adapter');
    expect(suggestedName([file('dates/adapter_config.json'), file('dates/adapter_model.safetensors')])).toBe('dates');
    expect(suggestedName([file('adapter_config.json')])).toBe('imported');
  });

  it('passes a single zip on whole, and only the adapter files of a folder', async () => {
    const zip = await readPicked([file('a.zip', 'PK')]);
    expect(zip.kind).toBe('zip');
    const folder = await readPicked([
      file('f/adapter_config.json', '{}'),
      file('f/adapter_model.safetensors', 'st'),
      file('f/README.md', 'big'),
    ]);
    expect(folder.kind === 'files' && [...folder.files.keys()]).toEqual([
      'f/adapter_config.json',
      'f/adapter_model.safetensors',
    ]);
  });

  it('never reads adapter_model.bin: it is passed on empty for the importer to explain', async () => {
    const src = await readPicked([file('adapter_model.bin', 'pickle bytes')]);
    expect(src.kind === 'files' && src.files.get('adapter_model.bin')?.byteLength).toBe(0);
  });

  it('says what was picked when nothing is an adapter file', async () => {
    await expect(readPicked([file('notes.txt')])).rejects.toThrow(
      'No adapter files found: a PEFT adapter is adapter_model.safetensors + adapter_config.json (or a .zip of them); got notes.txt.',
    );
    await expect(readPicked([file('a.zip'), file('b.zip')])).rejects.toThrow(
      'Pick one adapter at a time: got 2 zip files (a.zip, b.zip).',
    );
  });
});
