/**
 * The CLI's flags: each command declares its flags once (CommandSpec), and both the parser and
 * the usage text read them from there. Typed getters fail with the flag's name.
 */
import { UserFacingError } from '../engine/types';

/** One flag of a command. */
export interface Flag {
  name: string;
  /** How the value reads in the usage text ("file", "N", "lora|full"). */
  value: string;
  help: string;
  /** The value used when the flag is not given (shown in the usage). */
  default?: number | string;
  /** Shown instead of `default` when the command works the value out itself ("16 = 2·r"). */
  defaultText?: string;
  required?: boolean;
}

export interface CommandSpec {
  name: string;
  /** One line: what the command does. */
  summary: string;
  flags: readonly Flag[];
  /** Lines printed after the flags. */
  notes?: readonly string[];
}

/** True when the arguments ask for help (`--help` or `-h` anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

/** `usage: …` and one line per flag, from the command's spec. */
export function commandUsage(c: CommandSpec): string {
  const shown = (f: Flag) => `--${f.name} ${f.value}`;
  const synopsis: string[] = [`usage: npm run cli -- ${c.name}`];
  for (const word of c.flags.map((f) => (f.required ? shown(f) : `[${shown(f)}]`))) {
    if (synopsis[synopsis.length - 1].length + word.length >= 100) synopsis.push(' '.repeat(c.name.length + 23));
    synopsis[synopsis.length - 1] += ` ${word}`;
  }
  const width = Math.max(...c.flags.map((f) => shown(f).length));
  const lines = c.flags.map((f) => {
    const def = f.defaultText ?? (f.default === undefined ? undefined : String(f.default === '' ? '""' : f.default));
    const tail = f.required ? ' (required)' : def === undefined ? '' : ` (default ${def})`;
    return `  ${shown(f).padEnd(width)}  ${f.help}${tail}`;
  });
  return [...synopsis, `  ${c.summary}`, '', ...lines, ...(c.notes ?? [])].join('\n');
}

export class Args {
  private readonly values = new Map<string, string>();

  /** @throws UserFacingError for a stray argument, an unknown flag, a missing value or a missing required flag. */
  constructor(
    argv: readonly string[],
    private readonly command: CommandSpec,
  ) {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (!a.startsWith('--')) throw new UserFacingError(`unexpected argument "${a}" (flags look like --name value)`);
      const [key, inline] = a.slice(2).split('=', 2);
      if (!this.flag(key))
        throw new UserFacingError(
          `unknown flag --${key} for ${command.name} (npm run cli -- ${command.name} --help lists its flags)`,
        );
      const value = inline ?? argv[i + 1];
      if (inline === undefined) {
        if (value === undefined || value.startsWith('--')) throw new UserFacingError(`--${key} needs a value`);
        i++;
      }
      this.values.set(key, value);
    }
    for (const f of command.flags)
      if (f.required && !this.values.has(f.name)) throw new UserFacingError(`--${f.name} is required (${f.help})`);
  }

  /** The flag's value, else its default when that is a string. */
  str(name: string): string | undefined {
    const d = this.flag(name)?.default;
    return this.values.get(name) ?? (typeof d === 'string' ? d : undefined);
  }

  /** A required flag's value (the constructor checked it is there). */
  required(name: string): string {
    return this.str(name)!;
  }

  /** The flag's number, else its numeric default, else undefined. */
  num(name: string, { integer = false, min = -Infinity } = {}): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) {
      const d = this.flag(name)?.default;
      return typeof d === 'number' ? d : undefined;
    }
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min) {
      throw new UserFacingError(
        `--${name} must be ${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` ≥ ${min}` : ''}, got "${raw}"`,
      );
    }
    return v;
  }

  /** One of `options` (the flag's value, else `fallback`). */
  choice<T extends string>(name: string, options: readonly T[], fallback: T): T {
    const v = this.str(name) ?? fallback;
    if (!(options as readonly string[]).includes(v))
      throw new UserFacingError(`--${name} must be ${options.join(' or ')}, got "${v}"`);
    return v as T;
  }

  private flag(name: string): Flag | undefined {
    return this.command.flags.find((f) => f.name === name);
  }
}

/** "c_attn,c_proj" → ["c_attn", "c_proj"]; "all-linear" and regexes (containing no comma) stay strings. */
export function parseTargets(raw: string): string[] | string {
  if (raw === 'all-linear') return raw;
  if (/[\\^$*+?()[\]|]/.test(raw)) return raw;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
