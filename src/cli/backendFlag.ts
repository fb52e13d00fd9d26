/** The CLI's `--backend webgpu|wasm|cpu` flag and the line it prints at start. */
import { selectBackend, type BackendInfo, type BackendName } from '../engine/backend';
import { UserFacingError } from '../engine/types';
import type { Flag } from './args';

export const CLI_BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;
export type CliBackend = (typeof CLI_BACKENDS)[number];

/** `--backend`, declared once for train, score and generate (usage text and parser read it). */
export const BACKEND_FLAG: Flag = {
  name: 'backend',
  value: CLI_BACKENDS.join('|'),
  help: 'tfjs backend',
  defaultText: 'webgpu on a hardware GPU, else wasm, else cpu',
};

/** The `--backend` value checked: undefined when not given. @throws UserFacingError for a name the CLI does not run. */
export function parseBackend(value: string | undefined): CliBackend | undefined {
  if (value !== undefined && !(CLI_BACKENDS as readonly string[]).includes(value)) {
    throw new UserFacingError(`--backend must be one of ${CLI_BACKENDS.join(', ')}, got "${value}"`);
  }
  return value as CliBackend | undefined;
}

/**
 * Initialise tfjs for the CLI: the named backend, or the best one here (webgpu on a hardware
 * adapter, then wasm, then cpu; a software WebGPU adapter such as SwiftShader is skipped by
 * default because wasm is faster than it). webgl never exists in Node.
 */
export function cliBackend(backend?: CliBackend): Promise<BackendInfo> {
  return selectBackend({ force: backend as BackendName | undefined, preferHardware: true });
}

/** "backend: webgpu (google swiftshader; driver SwiftShader (…)); skipped webgpu: …" */
export function backendLine(info: BackendInfo, requested?: CliBackend): string {
  const parts: string[] = [];
  if (info.adapter) parts.push(`${info.adapter.vendor} ${info.adapter.architecture}`.trim());
  if (info.driver) parts.push(`driver ${info.driver}`);
  const head = `backend: ${info.name}${parts.length ? ` (${parts.join('; ')})` : ''}`;
  const skipped = info.skipped.filter((s) => s.backend !== 'webgl'); // never exists in Node: noise
  const why = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  const asked = requested && requested !== info.name ? `, not ${requested} as asked` : '';
  return why ? `${head}${asked} (skipped ${why})` : head;
}
