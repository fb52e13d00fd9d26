/**
 * Test helper: run python3 on a generated train_lora.py (Node only). Tests that need Python call
 * `python3Available()` and print a skip where it is missing; nothing here needs torch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let available: boolean | null = null;

/** Whether `python3` runs here. */
export function python3Available(): boolean {
  if (available === null) available = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
  return available;
}

/** Writes the script to a fresh temp folder and returns its path. */
export function writeScript(py: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lowrank-recipe-')), 'train_lora.py');
  writeFileSync(path, py);
  return path;
}

/** `python3 -m py_compile path`: null when it compiles, else Python's message. */
export function pyCompile(path: string): string | null {
  const r = spawnSync('python3', ['-m', 'py_compile', path], { encoding: 'utf8' });
  return r.status === 0 ? null : r.stderr || r.stdout;
}

/**
 * Imports the script as module `t` (its `main()` does not run, torch is never imported), runs
 * `code` with `data` (the JSON sent on stdin) bound, and returns what the code prints as JSON.
 */
export function runWithScript<T>(path: string, code: string, data: unknown): T {
  const program = [
    'import importlib.util, json, sys',
    `spec = importlib.util.spec_from_file_location("train_lora", ${JSON.stringify(path)})`,
    't = importlib.util.module_from_spec(spec); spec.loader.exec_module(t)',
    'data = json.load(sys.stdin)',
    code,
  ].join('\n');
  const r = spawnSync('python3', ['-c', program], {
    input: JSON.stringify(data),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
