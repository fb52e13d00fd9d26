/** A tiny `--flag value` parser for the CLI: typed getters that fail with the flag's name. */
import { UserFacingError } from '../engine/types';

export class Args {
  private readonly flags = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(argv: string[]) {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (!a.startsWith('--')) throw new UserFacingError(`unexpected argument "${a}" (flags look like --name value)`);
      const [key, inline] = a.slice(2).split('=', 2);
      const value = inline ?? argv[i + 1];
      if (inline === undefined) {
        if (value === undefined || value.startsWith('--')) throw new UserFacingError(`--${key} needs a value`);
        i++;
      }
      this.flags.set(key, value);
    }
  }

  str(name: string): string | undefined;
  str(name: string, fallback: string): string;
  str(name: string, fallback?: string): string | undefined {
    this.used.add(name);
    return this.flags.get(name) ?? fallback;
  }

  required(name: string, what: string): string {
    const v = this.str(name);
    if (v === undefined) throw new UserFacingError(`--${name} is required (${what})`);
    return v;
  }

  num(name: string, fallback: number, { integer = false, min = -Infinity } = {}): number {
    const raw = this.str(name);
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min) {
      throw new UserFacingError(
        `--${name} must be ${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` ≥ ${min}` : ''}, got "${raw}"`,
      );
    }
    return v;
  }

  /** Call once every flag has been read: a flag never read is a typo the user should hear about. */
  done(): void {
    const unknown = [...this.flags.keys()].filter((k) => !this.used.has(k));
    if (unknown.length)
      throw new UserFacingError(
        `unknown flag${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `--${k}`).join(', ')}`,
      );
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
