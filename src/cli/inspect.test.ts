import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { hfToGgufName } from '../engine/formats/names';
import { ggufFile, llamaModules, llamaPermuteRows, peftFiles } from '../engine/testing/adapterFiles';
import { runAdapterCommand } from './inspect';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    const code = await runAdapterCommand(argv[0], argv.slice(1));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const mods = llamaModules(1, 32, 16, 48, 4);
const config = {
  model_type: 'llama',
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 1,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  vocab_size: 10,
};

describe('npm run cli -- inspect / convert', () => {
  it('inspects a PEFT folder: summary, table, --json', async () => {
    const folder = mkdtempSync(join(dir, 'peft-'));
    for (const [k, v] of peftFiles(mods, { r: 4 })) writeFileSync(join(folder, k), v);
    const r = await run('inspect', folder, '--modules', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/format {3}Hugging Face PEFT/);
    expect(r.out).toMatch(/loadable yes/);
    expect(r.out).toMatch(/model\.layers\.0\.self_attn\.q_proj/);
    expect(r.out).toMatch(/… and 4 more/);
    const json = await run('inspect', folder, '--json');
    expect(JSON.parse(json.out).modules).toHaveLength(7);
  });

  it('converts GGUF → PEFT with the heads from --base-config, checked by the importer; says what is missing otherwise', async () => {
    const tensors = mods.map((m) => ({
      ...m,
      name: hfToGgufName(m.name)!,
      B: /[qk]_proj$/.test(m.name) ? llamaPermuteRows(m.B, m.dOut, m.r, m.dOut / 8) : m.B,
    }));
    const gguf = join(dir, 'a.gguf');
    writeFileSync(gguf, ggufFile(tensors, { architecture: 'llama', alpha: 8 }));
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify(config));
    const missing = await run('convert', gguf, '--to', 'peft', '--out', join(dir, 'x'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/attention heads.*--heads N/);
    const out = join(dir, 'converted');
    const ok = await run('convert', gguf, '--to', 'peft', '--out', out, '--base-config', cfg);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/passes the import check/);
    expect(JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8'))).toMatchObject({ r: 4, lora_alpha: 8 });
    const mlx = await run('convert', out, '--to', 'mlx', '--out', join(dir, 'mlx'));
    expect(mlx.code).toBe(0);
    expect(existsSync(join(dir, 'mlx', 'adapters.safetensors'))).toBe(true);
    const shrunk = await run('convert', out, '--to', 'peft', '--rank', '2', '--out', join(dir, 'r2'));
    expect(shrunk.out).toMatch(/r 4 → 2/);
  });

  it('refuses a missing path and a bad --to by name', async () => {
    expect((await run('inspect', join(dir, 'nope'))).err).toMatch(/not found/);
    expect((await run('convert', dir, '--to', 'onnx', '--out', dir)).err).toMatch(/--to must be peft or mlx/);
    expect((await run('inspect')).err).toMatch(/needs a file or folder/);
  });
});
