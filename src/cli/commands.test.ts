import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../engine/backend';
import type { DataManifest } from '../engine/data/tasks';
import { documentsDataset } from '../engine/data/userText';
import { tinyGpt2Config } from '../engine/gpt2/config';
import { saveGpt2 } from '../engine/gpt2/io';
import { Gpt2Model } from '../engine/gpt2/model';
import { runSettings } from '../engine/session/defaults';
import { tinyByteLevelBpe } from '../engine/tokenizer/tinyBpe';
import { LmWorkerApi } from '../worker/lmWorkerApi';
import { Args } from './args';
import { generate, score, train, type Command, type TrainSummary } from './commands';
import { readBaseFolder, readDocuments } from './files';

const dataDir = new URL('../../public/data/', import.meta.url);
const readData = (f: string) => readFileSync(new URL(f, dataDir), 'utf8');
const manifest = JSON.parse(readData('manifest.json')) as DataManifest;

/** A random tiny GPT-2 checkpoint folder with the given tokenizer.json. */
async function checkpoint(tokenizer: string, vocab: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-cli-'));
  const m = Gpt2Model.random(tinyGpt2Config({ vocab_size: vocab, n_positions: 16, n_embd: 16, n_layer: 1 }), 5);
  const { safetensors, configJson } = await saveGpt2(m);
  m.dispose();
  writeFileSync(join(dir, 'config.json'), configJson);
  writeFileSync(join(dir, 'model.safetensors'), safetensors);
  writeFileSync(join(dir, 'tokenizer.json'), tokenizer);
  return dir;
}

/** Runs a command as `npm run cli` would, collecting what it prints. */
async function cli<T>(command: Command, argv: string[]): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const result = (await command.run(new Args(argv, command), (l) => lines.push(l))) as T;
  return { result, lines };
}

describe('CLI commands (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('train gives the validation loss the app (the Worker over LmSession) gives for the same base, data, seed and settings', async () => {
    const base = await checkpoint(readData(manifest.tokenizer), manifest.vocabSize);
    const work = mkdtempSync(join(tmpdir(), 'lowrank-cli-'));
    const text = join(work, 'names.txt');
    writeFileSync(text, readData('names.train.txt').split('\n').slice(0, 80).join('\n'));
    const flags = { steps: 6, batch: 4, seq: 16, r: 2, alpha: 4, lr: 2e-2, seed: 3 };
    const argv = ['--base', base, '--text', text, '--out', join(work, 'names-r2')];
    for (const [k, v] of Object.entries(flags)) argv.push(`--${k}`, String(v));
    const { result: viaCli, lines } = await cli<TrainSummary>(train, argv);
    expect(lines[0]).toMatch(/^trainable params: /);
    expect(existsSync(join(work, 'names-r2', 'adapter_model.safetensors'))).toBe(true);

    const api = new LmWorkerApi();
    await api.init({ force: 'wasm' });
    await api.load(await readBaseFolder(base));
    api.setDataset(documentsDataset(readDocuments(text), { seed: flags.seed }));
    const settings = runSettings({
      adapterName: 'names-r2',
      lora: { r: flags.r, lora_alpha: flags.alpha },
      learningRate: flags.lr,
      totalSteps: flags.steps,
      batch: flags.batch,
      seq: flags.seq,
      seed: flags.seed,
    });
    const plan = { evalEvery: 3, sampleEvery: 0, prompts: [], sampleTokens: 4, deltaWModule: null };
    const viaApp = await api.train(settings, plan, () => {});
    expect(viaApp.steps).toBe(viaCli.steps);
    expect(viaApp.baseValidationLoss).toBe(viaCli.validationBefore);
    expect(viaApp.finalValidationLoss).toBe(viaCli.validationAfter);
    expect(viaCli.validationAfter).toBeLessThan(viaCli.validationBefore);
  });

  it('trains, scores and samples with a byte-level BPE tokenizer.json', async () => {
    const bpe = JSON.stringify(tinyByteLevelBpe());
    const base = await checkpoint(bpe, 261);
    const work = mkdtempSync(join(tmpdir(), 'lowrank-cli-'));
    const text = join(work, 'the.txt');
    const docs = [
      'the cat sat on the mat',
      'then the dog ate',
      'the end of the day',
      'there is the sun',
      'other than that',
    ];
    writeFileSync(text, docs.join('\n'));
    const small = ['--batch', '2', '--seq', '8', '--seed', '1'];
    const adapter = join(work, 'the-r2');
    const { result } = await cli<TrainSummary>(train, [
      ...['--base', base, '--text', text, '--out', adapter, '--steps', '3', '--r', '2'],
      ...small,
    ]);
    expect(result.steps).toBe(3);
    expect(JSON.parse(readFileSync(join(adapter, 'adapter_config.json'), 'utf8'))).toMatchObject({ r: 2 });
    const scored = await cli<{ base: number; adapter: number }>(score, [
      ...['--base', base, '--text', text, '--adapter', adapter],
      ...['--batch', '2', '--seq', '8'],
    ]);
    expect(scored.lines[0]).toMatch(/^base: \d+\.\d{4} nats\/token over \d+ tokens$/);
    expect(scored.lines[1]).toMatch(/^with adapter: \d+\.\d{4} nats\/token$/);
    expect(scored.result.adapter).not.toBe(scored.result.base);
    const sampled = await cli<string>(generate, [
      '--base',
      base,
      '--adapter',
      adapter,
      '--prompt',
      'the',
      '--tokens',
      '5',
    ]);
    expect(sampled.result.startsWith('the')).toBe(true);
    // full fine-tuning writes a base folder that keeps the BPE tokenizer and opens again
    const full = join(work, 'full');
    await cli(train, ['--base', base, '--text', text, '--out', full, '--mode', 'full', '--steps', '2', ...small]);
    expect(readFileSync(join(full, 'tokenizer.json'), 'utf8')).toBe(bpe);
    expect((await cli(score, ['--base', full, '--text', text])).lines[0]).toMatch(/^base: /);
  });

  it('`npm run cli -- train --help` prints every flag of train and exits 0', () => {
    // One real process (main.ts exits it); -h is the same branch (wantsHelp, tested in args.test.ts).
    const argv = ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'train', '--help'];
    const help = execFileSync(process.execPath, argv, { encoding: 'utf8' });
    expect(help).toMatch(/^usage: npm run cli -- train --text file --out dir/);
    for (const flag of train.flags) expect(help).toContain(`--${flag.name} `);
  });
});
