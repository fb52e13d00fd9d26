import { expect, test } from './fixtures';

// The engine's GPT-2 and Llama-family (Qwen2-style) forward and LoRA gradients against the float64 references,
// in the browser, on each project's backend (webgpu on SwiftShader, and wasm) and on webgl.
for (const backend of ['project', 'webgl'] as const) {
  test(`engine self-test matches the reference (${backend})`, async ({ page, backend: projectBackend }) => {
    test.skip(backend === 'webgl' && projectBackend !== 'wasm', 'webgl once');
    const b = backend === 'project' ? projectBackend : 'webgl';
    await page.goto(`./src/bench/bench.html?selftest=1&backend=${b}`);
    // (waitForFunction compiles its predicate with eval, which the app's CSP forbids)
    await expect.poll(() => page.evaluate('!!window.__bench'), { timeout: 110_000 }).toBe(true);
    const res = (await page.evaluate('window.__bench')) as {
      ok: boolean;
      error?: string;
      result?: {
        ok: boolean;
        backend: string;
        models: { family: string; maxLogitErr: number; maxGradErr: number; ok: boolean }[];
        checkpoint: { ok: boolean; shards: number; loadErr: number; roundTripErr: number };
      };
    };
    expect(res.error).toBeUndefined();
    expect(res.result?.backend).toBe(b);
    expect(res.result?.models.map((m) => m.family)).toEqual(['gpt2', 'qwen2']);
    const ck = res.result?.checkpoint;
    console.log(
      `${b} checkpoint: ${ck?.shards} BF16 shards from Blobs, load ${ck?.loadErr}, export/reload ${ck?.roundTripErr}`,
    );
    expect(ck?.ok).toBe(true);
    for (const m of res.result?.models ?? [])
      console.log(
        `${b} ${m.family}: max logit error ${m.maxLogitErr.toExponential(2)}, max gradient error ${m.maxGradErr.toExponential(2)}`,
      );
    expect(res.result?.ok).toBe(true);
  });
}
