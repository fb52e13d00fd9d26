/**
 * `npm run cli -- <command> [flags]`: the engine from a terminal (Node: webgpu through Dawn, wasm, cpu).
 *   --backend webgpu|wasm|cpu on train, score, generate (default: webgpu on a hardware GPU, else wasm)
 *   params   --config config.json --target c_attn[,c_proj] --r 8 [--alpha 16]
 *   train    --text docs.txt --out dir [--base dir] [--mode lora|full] [--steps 300] [--r 8] [--alpha 16]
 *            [--target c_attn,c_proj,c_fc | all-linear] [--lr] [--batch 16] [--seq 64] [--seed 0]
 *   score    --base dir --text docs.txt [--adapter dir]
 *   generate --base dir [--adapter dir] [--prompt text] [--tokens 80] [--temperature 0.8] [--top-k 0]
 * A base folder is what `train --mode full` writes (config.json, model.safetensors, tokenizer.json);
 * an adapter folder is a PEFT adapter (adapter_model.safetensors, adapter_config.json).
 */
import { UserFacingError } from '../engine/types';
import { Args } from './args';
import { backendLine, cliBackend, takeBackendFlag } from './backendFlag';
import { generateCmd, params, score, train } from './commands';

const USAGE = `usage: npm run cli -- <command> [--flag value …]
  params   --config config.json --target c_attn[,c_proj] --r 8 [--alpha 16]      PEFT's trainable-parameters line
  train    --text docs.txt --out dir [--base public/models/tiny] [--mode lora|full] [--steps 300] [--r 8]
           [--alpha 16] [--target c_attn,c_proj,c_fc | all-linear] [--lr] [--batch 16] [--seq 64] [--seed 0]
           (lora writes a PEFT adapter folder; full writes a base folder)
  score    --base dir --text docs.txt [--adapter dir]                           mean NLL with and without the adapter
  generate --base dir [--adapter dir] [--prompt text] [--tokens 80] [--temperature 0.8] [--top-k 0] [--seed 0]
  train, score and generate take --backend webgpu|wasm|cpu (default: webgpu on a hardware GPU, else wasm, else cpu)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string) => console.log(line);
  const commands: Record<string, (a: Args, o: typeof out) => void | Promise<void>> = {
    params,
    train,
    score,
    generate: generateCmd,
  };
  if (command === 'help' || command === '--help') {
    out(USAGE);
    return 0;
  }
  const run = commands[command ?? ''];
  if (!run) {
    console.error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
    return 2;
  }
  try {
    const { backend, rest: flags } = takeBackendFlag(rest);
    if (command !== 'params') out(backendLine(await cliBackend(backend), backend));
    else if (backend) throw new UserFacingError('params computes from config.json alone: it takes no --backend');
    await run(new Args(flags), out);
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
