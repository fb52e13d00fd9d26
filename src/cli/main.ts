/**
 * `npm run cli -- <command> [flags]`: the engine from a terminal (Node, wasm backend).
 *   params   --config config.json --target c_attn[,c_proj] --r 8 [--alpha 16]
 *   train    --text docs.txt --out dir [--base dir] [--mode lora|full] [--steps 300] [--r 8] [--alpha 16]
 *            [--target c_attn,c_proj,c_fc | all-linear] [--lr] [--batch 16] [--seq 64] [--seed 0]
 *   score    --base dir --text docs.txt [--adapter dir]
 *   generate --base dir [--adapter dir] [--prompt text] [--tokens 80] [--temperature 0.8] [--top-k 0]
 * A base folder is what `train --mode full` writes (config.json, model.safetensors, tokenizer.json);
 * an adapter folder is a PEFT adapter (adapter_model.safetensors, adapter_config.json).
 */
import { selectBackend } from '../engine/backend';
import { UserFacingError } from '../engine/types';
import { Args } from './args';
import { generateCmd, params, score, train } from './commands';
import { ADAPTER_COMMANDS, ADAPTER_USAGE, runAdapterCommand } from './inspect';

const USAGE = `usage: npm run cli -- <command> [--flag value …]
  params   --config config.json --target c_attn[,c_proj] --r 8 [--alpha 16]      PEFT's trainable-parameters line
  train    --text docs.txt --out dir [--base public/models/tiny] [--mode lora|full] [--steps 300] [--r 8]
           [--alpha 16] [--target c_attn,c_proj,c_fc | all-linear] [--lr] [--batch 16] [--seq 64] [--seed 0]
           (lora writes a PEFT adapter folder; full writes a base folder)
  score    --base dir --text docs.txt [--adapter dir]                           mean NLL with and without the adapter
  generate --base dir [--adapter dir] [--prompt text] [--tokens 80] [--temperature 0.8] [--top-k 0] [--seed 0]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string) => console.log(line);
  const commands: Record<string, (a: Args, o: typeof out) => void | Promise<void>> = {
    params,
    train,
    score,
    generate: generateCmd,
  };
  if (ADAPTER_COMMANDS.includes(command)) return runAdapterCommand(command, rest);
  if (command === 'help' || command === '--help') {
    out(`${USAGE}\n${ADAPTER_USAGE}`);
    return 0;
  }
  const run = commands[command ?? ''];
  if (!run) {
    console.error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    if (command !== 'params') await selectBackend({ force: 'wasm' });
    await run(new Args(rest), out);
    return 0;
  } catch (e) {
    if (e instanceof UserFacingError || e instanceof RangeError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
