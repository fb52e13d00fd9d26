/**
 * The Python packages the recipe pins, and the DeepSpeed ZeRO-2 config it ships.
 *
 * torch 2.13.0, transformers 5.18.0, tokenizers 0.23.2 (transformers 5.18 requires ≥ 0.23.1,
 * < 0.24), peft 0.21.0, accelerate 1.15.0 and safetensors 0.8.0 are the versions train_lora.py
 * ran with end to end while it was written (torch as its CPU build, one process and two). torch
 * 2.14.1 is out too, but its wheel could not be installed there to check it, so the pin stays on
 * the release that was run. deepspeed 0.19.5 is DeepSpeed's newest release tag; it was not
 * installed (no GPU), so the DeepSpeed path is written against accelerate's and DeepSpeed's source
 * but not run. Only on Linux: DeepSpeed builds its CUDA ops there.
 */
export const PINNED_PACKAGES: readonly { name: string; version: string; marker?: string }[] = [
  { name: 'torch', version: '2.13.0' },
  { name: 'transformers', version: '5.18.0' },
  { name: 'tokenizers', version: '0.23.2' },
  { name: 'peft', version: '0.21.0' },
  { name: 'accelerate', version: '1.15.0' },
  { name: 'safetensors', version: '0.8.0' },
  { name: 'deepspeed', version: '0.19.5', marker: 'sys_platform == "linux"' },
];

/** requirements.txt: exact pins (pip install -r requirements.txt). */
export function requirementsTxt(): string {
  const lines = PINNED_PACKAGES.map((p) => `${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ''}`);
  return `# Exact versions. All but deepspeed ran this script end to end when it was written.\n${lines.join('\n')}\n`;
}

/**
 * ds_zero2.json: ZeRO stage 2 (optimizer state and gradients partitioned over the GPUs, weights
 * replicated). Clipping is DeepSpeed's here (the script's own clipping is off under DeepSpeed);
 * the per-GPU batch is set by the script ("auto" until then); precision follows
 * `accelerate launch --mixed_precision` (fp32 by default, as in the browser).
 */
export function deepSpeedZero2(maxGradNorm: number): Record<string, unknown> {
  return {
    zero_optimization: {
      stage: 2,
      overlap_comm: true,
      contiguous_gradients: true,
      reduce_scatter: true,
      reduce_bucket_size: 5e8,
      allgather_bucket_size: 5e8,
    },
    gradient_clipping: maxGradNorm,
    gradient_accumulation_steps: 1,
    train_micro_batch_size_per_gpu: 'auto',
    train_batch_size: 'auto',
    fp16: { enabled: 'auto' },
    bf16: { enabled: 'auto' },
    steps_per_print: 1_000_000,
    wall_clock_breakdown: false,
  };
}
