/**
 * `npm run cli -- <command> [flags]`: the engine from a terminal (Node, wasm backend), through
 * the same LmSession as the app. `npm run cli -- help` lists the commands; `<command> --help`
 * (or `-h`) lists a command's flags, from the one place they are declared (./commands.ts).
 */
import { selectBackend } from '../engine/backend';
import { UserFacingError } from '../engine/types';
import { Args, commandUsage, wantsHelp } from './args';
import { COMMANDS } from './commands';
import { ADAPTER_SPECS, ADAPTER_USAGE, runAdapterCommand } from './inspect';

const USAGE = [
  'usage: npm run cli -- <command> [--flag value …]',
  ...COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`),
  ADAPTER_USAGE,
  'npm run cli -- <command> --help lists its flags.',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const out = (line: string) => console.log(line);
  if (name === 'help' || name === '--help' || name === '-h') {
    out(USAGE);
    return 0;
  }
  if (name && Object.hasOwn(ADAPTER_SPECS, name)) return runAdapterCommand(name, rest);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(name ? `unknown command "${name}"\n${USAGE}` : USAGE);
    return 2;
  }
  if (wantsHelp(rest)) {
    out(commandUsage(command));
    return 0;
  }
  try {
    const args = new Args(rest, command);
    if (command.name !== 'params') await selectBackend({ force: 'wasm' });
    await command.run(args, out);
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
