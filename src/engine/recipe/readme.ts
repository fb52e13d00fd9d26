/** README.md of a recipe folder: what the run is, how to launch it on 1, n or many GPUs, what to expect. */
import type { RecipeSettings } from './settings';
import { PINNED_PACKAGES } from './versions';

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}

function baseText(s: RecipeSettings, included: boolean): string {
  if (s.base.kind === 'hub')
    return `\`${s.base.repo_id}\` at revision \`${s.base.revision}\` (downloaded from the Hub)`;
  return included
    ? `the folder \`${s.base.path}/\` (included: config.json, model.safetensors, tokenizer.json)`
    : `the folder \`${s.base.path}/\`: put the base the app exported (config.json, model.safetensors, tokenizer.json) there`;
}

/** The README for a recipe. `datasetLabel` names the task; `baseIncluded`: the base folder ships in the recipe. */
export function recipeReadme(s: RecipeSettings, datasetLabel: string, baseIncluded: boolean): string {
  const { lora, training: t, data } = s;
  const targets = Array.isArray(lora.target_modules) ? lora.target_modules.join(', ') : lora.target_modules;
  const b = s.browser;
  const compare = b
    ? `The browser run reached **${fmt(b.validation_loss)} nats/token** on the validation set after ${b.steps} steps` +
      `${b.backend ? ` (${b.backend})` : ''}${b.base_validation_loss !== null ? `; the base model alone scores ${fmt(b.base_validation_loss)}` : ''}. ` +
      'The script prints its own number, computed the same way, at the end.'
    : 'The script prints the validation loss at the end, computed the way the app computes it.';
  const ok = divisors(t.batch).join(', ');
  return `# ${s.run_name}: the browser run as a PEFT + Accelerate recipe

The LoRA run you trained in the browser, as a script for [transformers](https://github.com/huggingface/transformers),
[PEFT](https://github.com/huggingface/peft) and [Accelerate](https://github.com/huggingface/accelerate): the same
adapter, data, optimizer and schedule, on one GPU, several GPUs or several machines.

| file | what it is |
|---|---|
| \`train_lora.py\` | the training script; its \`SETTINGS\` block holds every value of the run |
| \`requirements.txt\` | exact package versions |
| \`train.txt\`, \`validation.txt\` | the documents exactly as the app split them (${data.train_documents.toLocaleString('en-US')} and ${data.validation_documents.toLocaleString('en-US')}, one per line) |
| \`ds_zero2.json\` | DeepSpeed ZeRO stage 2 config for multi-GPU and multi-machine runs |

## The run

- Base model: ${baseText(s, baseIncluded)}
- Task: ${datasetLabel}; documents joined as \`EOT d1 EOT d2 … EOT\` with \`${data.end_of_text_token}\` (id ${data.end_of_text_id})${data.align_to_documents ? ', every training window starting at a document' : ''}
- LoRA: r = ${lora.r}, lora_alpha = ${lora.lora_alpha}, lora_dropout = ${lora.lora_dropout}, target_modules = ${targets}, use_rslora = ${lora.use_rslora}, init_lora_weights = ${JSON.stringify(lora.init_lora_weights)}, fan_in_fan_out = ${lora.fan_in_fan_out}
- Training: ${t.steps} steps of ${t.batch} × ${t.seq} tokens, seed ${t.seed}; AdamW (β₁ ${t.adam_beta1}, β₂ ${t.adam_beta2}, ε ${t.adam_epsilon}, weight decay ${t.weight_decay}); learning rate ${t.learning_rate} with ${t.warmup_steps} warm-up steps, then cosine to ${t.min_learning_rate}; gradients clipped to norm ${t.max_grad_norm}
- Validation: the first ${data.eval_batches} batches of the validation set, each token scored once: mean cross-entropy in nats/token

${compare}

## Set up

\`\`\`sh
python3 -m venv .venv && . .venv/bin/activate
pip install -r requirements.txt
\`\`\`

(${PINNED_PACKAGES.map((p) => `${p.name} ${p.version}`).join(', ')}. DeepSpeed is only needed for the multi-machine command and installs on Linux.)

## Run

One GPU (or the CPU):

\`\`\`sh
accelerate launch --num_processes 1 train_lora.py
\`\`\`

Several GPUs on one machine (here 4; the batch of ${t.batch} rows is split over them, so it must be one of ${ok}):

\`\`\`sh
accelerate launch --multi_gpu --num_processes 4 train_lora.py
\`\`\`

Several machines with DeepSpeed ZeRO-2 (here 2 machines × 8 GPUs: \`--num_processes\` counts all of them). Run it on
every machine, with \`--machine_rank\` 0 on the first and 1 on the second, and the first machine's address:

\`\`\`sh
accelerate launch --use_deepspeed --deepspeed_config_file ds_zero2.json \\
  --num_machines 2 --num_processes 16 --machine_rank 0 \\
  --main_process_ip 10.0.0.1 --main_process_port 29500 train_lora.py
\`\`\`

Add \`--mixed_precision bf16\` to any of these for speed; the browser trained in fp32, so the numbers then drift a
little further from its run.

## What is the same as in the browser, and what is not

The same: the documents and how they are joined, the training window of every step (the app's own random number
generator, reimplemented), the validation tokens and how their loss is averaged, the LoraConfig, the initial adapter
(\`--init app\`, the default, copies the very numbers the app started from; \`--init peft\` uses PEFT's own random
init), AdamW's settings, the schedule and the clipping. More GPUs split the same batch, so they run the same run
faster; to use more data per step, raise \`batch\` in \`SETTINGS\` (that is a different run).

Not the same: dropout masks (PyTorch draws its own) and floating-point rounding (PyTorch on a GPU vs. tfjs in a
browser). Expect losses close to the browser's, not equal to the last digit; with lora_dropout 0 they track closely.

The schedule is the app's${
    t.warmup_steps > 0
      ? `: warm-up starts at lr/${t.warmup_steps} on the first step. transformers'
\`get_cosine_schedule_with_warmup\` starts at 0 and would stay one step behind through the warm-up, so the script
uses a \`LambdaLR\` with the app's formula.`
      : ", a cosine from the first step (no warm-up), as a `LambdaLR` with the app's formula."
  }

## The result

\`${s.output_dir}/\` is a PEFT adapter folder (\`adapter_config.json\`, \`adapter_model.safetensors\`, written by
PEFT's \`save_pretrained\`): load it with \`PeftModel.from_pretrained\`, or import it on the app's Adapters page.
\`training_log-${s.run_name}.json\` holds the loss and learning rate of every step.${lora.init_lora_weights === 'pissa' ? '\n\nPiSSA changes the base weights; on saving, PEFT converts the adapter into a plain LoRA adapter of rank 2r that applies to the original base (`path_initial_model_for_weight_conversion`).' : ''}
`;
}
