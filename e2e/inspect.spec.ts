/**
 * Inspect page: each format (PEFT, MLX, GGUF, kohya) picked or dropped shows its summary and the
 * layers × module heatmaps; a malformed file of each format gets its own message; a conversion
 * downloads a zip. Fixtures are written by the engine's test writers (GGUF via @huggingface/gguf).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { hfToGgufName } from '../src/engine/formats/names';
import { writeSafetensors } from '../src/engine/safetensors';
import {
  ggufFile,
  kohyaFile,
  llamaModules,
  lowRankModule,
  mlxFiles,
  peftFiles,
} from '../src/engine/testing/adapterFiles';

const llama = llamaModules(3, 32, 16, 64, 4); // widths of 32 and 64: Q8_0 rows hold whole blocks of 32
const gpt2 = [0, 1, 2].flatMap((l) => [
  lowRankModule(`transformer.h.${l}.attn.c_attn`, 48, 16, 4, 3, l + 1),
  lowRankModule(`transformer.h.${l}.mlp.c_fc`, 64, 16, 4, 3, l + 4),
]);

type Files = Record<string, Buffer>;
const buffers = (m: Map<string, Uint8Array>): Files => Object.fromEntries([...m].map(([k, v]) => [k, Buffer.from(v)]));

const FIXTURES: { name: string; files: Files; format: RegExp; family: RegExp }[] = [
  {
    name: 'PEFT (GPT-2)',
    files: buffers(peftFiles(gpt2, { r: 4, lora_alpha: 8, fan_in_fan_out: true, target_modules: ['c_attn', 'c_fc'] })),
    format: /Hugging Face PEFT/,
    family: /GPT-2/,
  },
  { name: 'MLX (Llama)', files: buffers(mlxFiles(llama, 20)), format: /MLX/, family: /Llama family/ },
  {
    name: 'GGUF (Qwen2, Q8_0 + F16)',
    files: {
      'adapter.gguf': Buffer.from(
        ggufFile(
          llama.map((m) => ({ ...m, name: hfToGgufName(m.name)! })),
          { architecture: 'qwen2', alpha: 8, dtype: 'Q8_0', dtypeB: 'F16' },
        ),
      ),
    },
    format: /GGUF LoRA/,
    family: /Llama family/,
  },
  {
    name: 'kohya (Stable Diffusion)',
    files: {
      'style.safetensors': Buffer.from(
        kohyaFile(
          [0, 1].flatMap((b) => [
            {
              ...lowRankModule(
                `lora_unet_down_blocks_${b}_attentions_0_transformer_blocks_0_attn1_to_q`,
                32,
                32,
                4,
                2,
                b,
              ),
              alpha: 2,
            },
            {
              ...lowRankModule(
                `lora_unet_down_blocks_${b}_attentions_0_transformer_blocks_0_attn1_to_k`,
                32,
                32,
                4,
                2,
                b + 9,
              ),
              alpha: 2,
            },
          ]),
        ),
      ),
    },
    format: /kohya/,
    family: /Stable Diffusion/,
  },
];

async function pick(page: Page, files: Files): Promise<void> {
  await page
    .getByLabel('Choose adapter files to inspect')
    .setInputFiles(
      Object.entries(files).map(([name, buffer]) => ({ name, mimeType: 'application/octet-stream', buffer })),
    );
}

/** A real drop: the files in a DataTransfer, dispatched on the drop zone. */
async function drop(page: Page, files: Files): Promise<void> {
  const payload = Object.entries(files).map(([name, b]) => ({ name, data: [...b] }));
  const dt = await page.evaluateHandle((list) => {
    const t = new DataTransfer();
    for (const f of list) t.items.add(new File([new Uint8Array(f.data)], f.name));
    return t;
  }, payload);
  await page.getByTestId('inspect-dropzone').dispatchEvent('drop', { dataTransfer: dt });
}

test.describe('Inspect page', () => {
  test('every format shows its summary and both heatmaps; PEFT by drop, the rest by the file picker', async ({
    page,
    open,
  }) => {
    await open('inspect');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Inspect');
    for (const [i, f] of FIXTURES.entries()) {
      await (i === 0 ? drop(page, f.files) : pick(page, f.files));
      await expect(page.getByTestId('inspect-format'), f.name).toHaveText(f.format);
      await expect(page.getByTestId('inspect-family')).toHaveText(f.family);
      for (const map of ['norm', 'erank']) {
        const svg = page.getByTestId(`inspect-heatmap-${map}`);
        await expect(svg).toBeVisible();
        expect(await svg.locator('rect.cell:not(.cell-empty)').count(), `${f.name} ${map}`).toBeGreaterThanOrEqual(4);
      }
      await expect(page.getByTestId('inspect-rank-statement')).toContainText('above the float32 noise floor');
    }
    // The last one (kohya) is an image model: inspected, not loadable, not converted.
    await expect(page.getByTestId('inspect-loadable')).toContainText('No');
  });

  test('a malformed file of each format gets its own message', async ({ page, open }) => {
    await open('inspect');
    const peft = buffers(peftFiles(gpt2, { r: 4 }));
    const st = peft['adapter_model.safetensors'];
    const cases: [Files, RegExp][] = [
      [
        { ...peft, 'adapter_model.safetensors': st.subarray(0, st.length - 16) },
        /adapter_model\.safetensors: not a valid safetensors file/,
      ],
      [
        { ...buffers(mlxFiles(llama, 20)), 'adapter_config.json': Buffer.from('{"lora_parameters": 3}') },
        /"lora_parameters" must be an object/,
      ],
      [
        { 'a.gguf': Buffer.from(FIXTURES[2].files['adapter.gguf'].subarray(0, 4000)) },
        /a\.gguf is not a valid GGUF file/,
      ],
      [
        {
          'bad.safetensors': Buffer.from(
            writeSafetensors(
              new Map([
                ['lora_unet_x_0_to_q.lora_down.weight', { shape: [4, 8], data: new Float32Array(32) }],
                ['lora_unet_x_0_to_q.lora_up.weight', { shape: [8, 2], data: new Float32Array(16) }],
              ]),
            ),
          ),
        },
        /lora_unet_x_0_to_q: the factors disagree on the rank \(4 vs 2\)/,
      ],
      [{ 'adapter_model.bin': Buffer.from('not opened') }, /PyTorch pickle and is never opened/],
    ];
    for (const [files, message] of cases) {
      await pick(page, files);
      await expect(page.getByRole('alert')).toContainText(message);
    }
  });

  test('MLX → PEFT and a shrink to rank 2 download zips, with the error per module', async ({ page, open }) => {
    await open('inspect');
    await pick(page, FIXTURES[1].files); // MLX, scale 20
    await expect(page.getByTestId('inspect-format')).toHaveText(/MLX/);
    await page.getByRole('button', { name: 'Convert to PEFT' }).click();
    const ready = page.getByTestId('inspect-converted');
    await expect(ready).toContainText('adapter-peft.zip');
    const download = page.waitForEvent('download');
    await ready.getByRole('button', { name: /Download/ }).click();
    expect((await download).suggestedFilename()).toBe('adapter-peft.zip');
    await page.getByLabel('new rank k').fill('2');
    await page.getByRole('button', { name: 'Shrink to rank 2' }).click();
    await expect(page.getByTestId('inspect-shrink-total')).toContainText('Relative error over the whole adapter');
    await expect(ready).toContainText('adapter-r2-peft.zip');
    // The full report (tables, heatmaps, spectrum, conversion results) passes axe, not just the empty page.
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
