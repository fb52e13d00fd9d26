/**
 * Inspect a LoRA adapter from its files alone (no base model): its format and why, the base
 * family it was made for and whether this product loads it, per module the shapes, r, α, the
 * scaling the format applies and ΔW's spectrum (from the factors), a layers × module-type grid
 * for heatmaps, and lints with fixes. Everything returned is plain data.
 */
import { guessFamily, type FamilyGuess } from '../formats/family';
import type { OpenedAdapter } from '../formats/read';
import { FORMAT_LABELS, type AdapterFormat, type Lint, type ParsedAdapter } from '../formats/types';
import { UserFacingError } from '../types';
import { adapterLints } from './lints';
import { moduleStats, type ModuleStats } from './moduleStats';

/** Σ (d_in + d_out)·r² above this is refused up front (about a minute of QR work here). */
export const MAX_WORK = 2e10;

export interface LayerGrid {
  /** Row labels (layers / blocks), in model order. */
  layers: string[];
  /** Column labels (module types within a layer), in first-seen order. */
  types: string[];
  /** [layer][type] ‖ΔW‖_F, null where the module is not adapted. */
  norm: (number | null)[][];
  /** [layer][type] effective rank. */
  effectiveRank: (number | null)[][];
}

export interface InspectReport {
  format: AdapterFormat;
  formatLabel: string;
  reasons: string[];
  files: ParsedAdapter['files'];
  family: FamilyGuess;
  baseModel: string | null;
  taskType: string | null;
  architecture: string | null;
  metadata: Record<string, string>;
  modules: ModuleStats[];
  totals: { modules: number; params: number; ranks: number[] };
  grid: LayerGrid;
  lints: Lint[];
  extras: ParsedAdapter['extras'];
  /** Milliseconds spent on the analysis (after reading). */
  analyseMs: number;
}

/** Progress: `done` of `total` modules analysed. */
export type InspectProgress = (done: number, total: number) => void;

function grid(stats: ModuleStats[]): LayerGrid {
  const layerOrder = new Map<string, number | null>();
  const types: string[] = [];
  for (const s of stats) {
    if (!layerOrder.has(s.layer)) layerOrder.set(s.layer, s.layerIndex);
    if (!types.includes(s.type)) types.push(s.type);
  }
  const layers = [...layerOrder.keys()];
  const numeric = [...layerOrder.values()].every((i) => i !== null);
  if (numeric)
    layers.sort((a, b) => (layerOrder.get(a) as number) - (layerOrder.get(b) as number) || a.localeCompare(b));
  const row = new Map(layers.map((l, i) => [l, i]));
  const col = new Map(types.map((t, i) => [t, i]));
  const empty = () => layers.map(() => types.map((): number | null => null));
  const norm = empty();
  const effectiveRank = empty();
  for (const s of stats) {
    const i = row.get(s.layer) as number;
    const j = col.get(s.type) as number;
    norm[i][j] = s.frobenius;
    effectiveRank[i][j] = s.effectiveRank;
  }
  return { layers, types, norm, effectiveRank };
}

/** Refuses, from the shapes alone, an adapter whose analysis would not finish in bounded time. */
function checkWork(parsed: ParsedAdapter): void {
  const work = parsed.modules.reduce((w, m) => w + (m.A.shape[1] + m.B.shape[0]) * m.r * m.r, 0);
  if (work > MAX_WORK)
    throw new UserFacingError(
      `this adapter needs ${work.toExponential(1)} operations to analyse (Σ (d_in + d_out)·r²); the limit is ${MAX_WORK.toExponential(0)}`,
    );
}

/**
 * Analyses every module of a parsed adapter (its factors in memory).
 * @param onProgress called after each module (the caller throttles what it shows).
 * @throws UserFacingError when the adapter is too large to analyse in bounded time.
 */
export function inspectAdapter(parsed: ParsedAdapter, onProgress?: InspectProgress): InspectReport {
  checkWork(parsed);
  const t0 = performance.now();
  const stats: ModuleStats[] = [];
  parsed.modules.forEach((m, i) => {
    stats.push(moduleStats(m));
    onProgress?.(i + 1, parsed.modules.length);
  });
  return report(parsed, stats, t0);
}

/**
 * Analyses an opened adapter one module at a time: each module's factors are read, reduced to
 * its statistics and let go before the next is read, so at most one module's factors (plus the
 * analysis's r-sized work) are held, never the file.
 * @param onProgress called after each module.
 * @throws UserFacingError when the adapter is too large to analyse in bounded time (before any factor is read).
 */
export async function inspectOpened(opened: OpenedAdapter, onProgress?: InspectProgress): Promise<InspectReport> {
  const { parsed } = opened;
  checkWork(parsed);
  const t0 = performance.now();
  const stats: ModuleStats[] = [];
  for (const [i, m] of parsed.modules.entries()) {
    stats.push(moduleStats(await opened.loadFactors(m)));
    onProgress?.(i + 1, parsed.modules.length);
  }
  return report(parsed, stats, t0);
}

function report(parsed: ParsedAdapter, stats: ModuleStats[], t0: number): InspectReport {
  const family = guessFamily(
    stats.map((s) => s.name),
    parsed.architecture,
    parsed.baseModel,
  );
  const lints = [...parsed.lints, ...adapterLints(parsed, family, stats)];
  const order = { error: 0, warning: 1, info: 2 };
  lints.sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    format: parsed.format,
    formatLabel: FORMAT_LABELS[parsed.format],
    reasons: parsed.reasons,
    files: parsed.files,
    family,
    baseModel: parsed.baseModel,
    taskType: parsed.taskType,
    architecture: parsed.architecture,
    metadata: parsed.metadata,
    modules: stats,
    totals: {
      modules: stats.length,
      params: stats.reduce((n, s) => n + s.params, 0),
      ranks: [...new Set(stats.map((s) => s.r))].sort((a, b) => a - b),
    },
    grid: grid(stats),
    lints,
    extras: parsed.extras,
    analyseMs: performance.now() - t0,
  };
}
