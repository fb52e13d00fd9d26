import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../engine/backend';
import { shardedCheckpoint } from '../engine/checkpoint/write';
import { documentsDataset } from '../engine/data/userText';
import { llamaConfigJson, tinyLlamaConfig } from '../engine/llama/config';
import { initLlamaWeights } from '../engine/llama/params';
import { readSafetensors } from '../engine/safetensors';
import { runSettings } from '../engine/session/defaults';
import { LmSession } from '../engine/session/lmSession';
import { tinyByteLevelBpe } from '../engine/tokenizer/tinyBpe';
import { tf } from '../engine/tf';
import { Args } from './args';
import { generate, score, train, type Command, type TrainSummary } from './commands';
import { readAdapter, readBaseFolder } from './files';

const TEXT = [
  'the cat sat on the mat',
  'the dog sat on the log',
  'a hat on the cat',
  'the mat and the hat',
  'then the cat ran',
  'the log by the mat',
  'the hat the cat the dog',
  'on the mat the cat sat',
  'the dog ran to the log',
  'the end',
];

/**
 * A Hugging Face–layout random tiny Llama (GQA, untied head) as transformers saves a big one:
 * BF16 shards with model.safetensors.index.json, a byte-level BPE tokenizer.json and a
 * tokenizer_config.json naming the eos token.
 */
function llamaFolder(): { dir: string; shards: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-llama-'));
  const tokenizer = tinyByteLevelBpe();
  const c = tinyLlamaConfig({ vocab_size: 272, max_position_embeddings: 32, num_hidden_layers: 2 });
  const { shards, index } = shardedCheckpoint(initLlamaWeights(c, 3, { std: 0.2 }), 'BF16', 6000);
  for (const [name, bytes] of shards) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, 'model.safetensors.index.json'), index);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...llamaConfigJson(c), torch_dtype: 'bfloat16' }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: '<|endoftext|>' }));
  writeFileSync(join(dir, 'text.txt'), TEXT.join('\n'));
  return { dir, shards: shards.size };
}

async function cli<T>(command: Command, argv: string[]): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const result = (await command.run(new Args(argv, command), (l) => lines.push(l))) as T;
  return { result, lines };
}

describe('a sharded BF16 Llama checkpoint through the CLI and the session (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('train (default targets q_proj, v_proj) writes a PEFT adapter with Llama names; score and generate read it back', async () => {
    const { dir, shards } = llamaFolder();
    expect(shards).toBeGreaterThan(2);
    const out = join(dir, 'adapter');
    const { result, lines } = await cli<TrainSummary>(train, [
      ...['--base', dir, '--text', join(dir, 'text.txt'), '--out', out],
      ...['--steps', '4', '--batch', '2', '--seq', '8', '--r', '2', '--lr', '0.05'],
    ]);
    // 2 layers × (q_proj 16→16 + v_proj 16→8) × r 2: 2 · 2 · (32 + 24) = 224
    expect(lines[0]).toMatch(/^trainable params: 224 \|\|/);
    expect(result.steps).toBe(4);
    const config = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config.fan_in_fan_out).toBe(false);
    expect(new Set(config.target_modules as string[])).toEqual(new Set(['q_proj', 'v_proj']));
    const { tensors } = readSafetensors(new Uint8Array(readFileSync(join(out, 'adapter_model.safetensors'))));
    expect(tensors.get('base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight')?.shape).toEqual([2, 16]);
    expect(tensors.get('base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight')?.shape).toEqual([8, 2]);
    expect(tensors.size).toBe(8);

    const scored = await cli<{ base: number; adapter: number }>(score, [
      ...['--base', dir, '--text', join(dir, 'text.txt'), '--adapter', out, '--seq', '8'],
    ]);
    expect(scored.lines[0]).toMatch(/^base: \d+\.\d{4} nats\/token over \d+ tokens$/);
    expect(scored.lines[1]).toMatch(/^with adapter: \d+\.\d{4} nats\/token$/);
    expect(scored.result.adapter).toBeLessThan(scored.result.base);
    const text = await cli<string>(generate, ['--base', dir, '--adapter', out, '--prompt', 'the', '--tokens', '5']);
    expect(text.result.startsWith('the')).toBe(true);
  });

  it('train --mode full writes a Llama base folder that loads again as Llama, with its eos id', async () => {
    const { dir } = llamaFolder();
    const out = join(dir, 'full');
    const { result } = await cli<TrainSummary>(train, [
      ...['--base', dir, '--text', join(dir, 'text.txt'), '--out', out, '--mode', 'full'],
      ...['--steps', '2', '--batch', '2', '--seq', '8'],
    ]);
    expect(result.adapterName).toBeNull();
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'llama', architectures: ['LlamaForCausalLM'], eos_token_id: 260 });
    const again = await LmSession.load(await readBaseFolder(out));
    expect(again.summary()).toMatchObject({ family: 'llama', dtypes: ['F32'] });
    again.dispose();
  });

  it('LoRA steps, export, re-import on a fresh load: identical factors and outputs; the merged HF export loads as the same family', async () => {
    const { dir } = llamaFolder();
    const start = tf.memory().numTensors;
    const session = await LmSession.load(await readBaseFolder(dir));
    const summary = session.summary();
    expect(summary).toMatchObject({ family: 'llama', familyLabel: 'Llama', dtypes: ['BF16'] });
    expect(summary.dims).toMatchObject({ layers: 2, hidden: 16, heads: 4, kvHeads: 2, vocabSize: 272 });
    expect(summary.defaultTargets).toEqual(['q_proj', 'v_proj']);
    session.setDataset(documentsDataset(TEXT, { seed: 1 }));
    const info = await session.beginRun(
      runSettings({
        adapterName: 'a',
        lora: { r: 2, target_modules: ['q_proj', 'k_proj', 'o_proj', 'down_proj'] },
        totalSteps: 3,
        batch: 2,
        seq: 8,
        learningRate: 0.05,
      }),
    );
    for (let i = 0; i < 3; i++) await session.step();
    session.endRun();
    const probe = TEXT.join(' ');
    const trained = await session.score(probe, true);
    const files = await session.workspace.exportAdapterFiles(info.adapterName!);
    const merged = await session.workspace.exportBaseFiles(true);
    const weights = await session.workspace.adapterWeights(info.adapterName!);
    session.dispose();

    const adapterDir = join(dir, 'exported');
    const { writeFolder } = await import('./files');
    writeFolder(adapterDir, files);
    const again = await LmSession.load(await readBaseFolder(dir));
    const { warnings } = again.workspace.importAdapterFiles('b', readAdapter(adapterDir));
    expect(warnings).toEqual([]);
    const back = await again.workspace.adapterWeights('b');
    for (const [name, m] of weights.modules) {
      expect(Array.from(back.modules.get(name)!.A.data)).toEqual(Array.from(m.A.data));
      expect(Array.from(back.modules.get(name)!.B.data)).toEqual(Array.from(m.B.data));
    }
    expect((await again.score(probe, true)).nll).toBe(trained.nll);
    again.dispose();

    const mergedDir = join(dir, 'merged');
    writeFolder(mergedDir, merged);
    expect(JSON.parse(merged['config.json'])).toMatchObject({ model_type: 'llama', tie_word_embeddings: false });
    const folded = await LmSession.load(await readBaseFolder(mergedDir));
    expect(folded.summary().family).toBe('llama');
    expect(Math.abs((await folded.score(probe, false)).nll - trained.nll)).toBeLessThan(1e-5);
    folded.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
