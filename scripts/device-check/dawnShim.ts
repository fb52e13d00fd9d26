/**
 * Stands in for the `webgpu` package inside the device bundle (esbuild maps the import here):
 * loads Dawn's prebuilt `dawn.node` from $LOWRANK_DAWN_NODE, else from beside the bundle. The
 * package's own index.js finds it under node_modules, which the GPU machine does not have.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const path = process.env.LOWRANK_DAWN_NODE || join(dirname(fileURLToPath(import.meta.url)), 'dawn.node');
const dawn = createRequire(import.meta.url)(path) as { create(o: string[]): GPU; globals: Record<string, unknown> };

export const create = dawn.create;
export const globals = dawn.globals;
