/** The CLI's `--backend webgpu|wasm|cpu` flag and the line it prints at start. */
import { selectBackend, type BackendInfo, type BackendName } from '../engine/backend';
import { UserFacingError } from '../engine/types';

export const CLI_BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;
export type CliBackend = (typeof CLI_BACKENDS)[number];

/**
 * Takes `--backend X` / `--backend=X` out of argv (the commands see the rest, so their own
 * unknown-flag check stays intact). Throws a UserFacingError for a name the CLI does not run.
 */
export function takeBackendFlag(argv: string[]): { backend?: CliBackend; rest: string[] } {
  const rest: string[] = [];
  let backend: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--backend') {
      backend = argv[i + 1];
      if (backend === undefined || backend.startsWith('--')) throw new UserFacingError('--backend needs a value');
      i++;
    } else if (a.startsWith('--backend=')) backend = a.slice('--backend='.length);
    else rest.push(a);
  }
  if (backend !== undefined && !(CLI_BACKENDS as readonly string[]).includes(backend)) {
    throw new UserFacingError(`--backend must be one of ${CLI_BACKENDS.join(', ')}, got "${backend}"`);
  }
  return { backend: backend as CliBackend | undefined, rest };
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
