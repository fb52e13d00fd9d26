/**
 * The paper's Fig. 3 and 4 on the learner's adapters: φ(i, j) between the top-i directions of one
 * adapter's A and the top-j of another's, for one module, as a heatmap. Two comparisons: r = 8
 * against the sweep's largest r, and two seeds at r = 8.
 */
import { seedPlan } from '../../../engine/paper/sweeps';
import type { AdapterInfo, ModelSummary } from '../../../engine/session/types';
import type { LabSubspace } from '../../../worker/lmWorkerApi';
import { renderPhiHeatmap } from '../../../viz/phiHeatmap';
import { ScrollBox } from '../../components/ScrollBox';
import { useD3 } from '../../components/useD3';
import '../../components/charts.css';
import {
  defaultPair,
  estimateSeconds,
  formatDuration,
  phiGrid,
  phiSentence,
  rankRuns,
  sharedModules,
} from './labFormat';
import { NamePicker, WidthBox, type LabViewProps } from './LabParts';
import { labBaseRun, SEED_RANK } from './labSettings';
import { useWorkerQuery } from './useWorkerQuery';

function PhiHeatmap({ sub, width }: { sub: LabSubspace; width: number }) {
  const values = phiGrid(sub);
  const ref = useD3<SVGSVGElement>(
    (el) =>
      renderPhiHeatmap(
        el,
        { values },
        { width, rowLabel: `i (${sub.a})`, colLabel: `j (top-j directions of ${sub.b})` },
      ),
    [sub, width],
  );
  const label = `Heatmap of φ(i, j) for i = 1…${sub.rows} (${sub.a}) and j = 1…${sub.cols} (${sub.b}), module ${sub.module}: φ(1, 1) = ${sub.phi[0].toFixed(2)}.`;
  return <svg ref={ref} role="img" aria-label={label} className="chart paper-heatmap" data-testid="phi-heatmap" />;
}

/** Lab runs first, then the workspace's other adapters. */
export function comparableNames(labNames: readonly string[], adapters: readonly AdapterInfo[]): string[] {
  return [...labNames, ...adapters.map((a) => a.name).filter((n) => !labNames.includes(n))];
}

export function SubspaceView({
  s,
  set,
  model,
  lab,
  run,
  disabled,
  adapters,
}: LabViewProps & { model: ModelSummary; adapters: AdapterInfo[] }) {
  const names = comparableNames(
    lab.runs.map((r) => r.name),
    adapters,
  );
  const [da, db] = defaultPair(names, lab.runs);
  const a = s.a && names.includes(s.a) ? s.a : da;
  const b = s.b && names.includes(s.b) ? s.b : db;
  const version = lab.runs.map((r) => `${r.name}@${r.wallMs}`).join(',');
  const mods = useWorkerQuery(a && b ? `${a}|${b}|${version}` : null, async (api) =>
    sharedModules(await api.lab.modulesOf(a), await api.lab.modulesOf(b)),
  );
  const shared = mods.data ?? [];
  const module = shared.includes(s.module) ? s.module : (shared[0] ?? '');
  const sub = useWorkerQuery(module ? `${a}|${b}|${module}|${version}` : null, (api) => api.lab.subspace(a, b, module));

  const ranks = rankRuns(lab.runs);
  const r8 = ranks.find((r) => r.r === SEED_RANK);
  const largest = ranks[ranks.length - 1];
  const seeds = lab.runs.filter((r) => r.sweep === 'seed');
  const base = labBaseRun(s, model);
  const seedRuns = seedPlan({ ...base, adapterName: `sweep-r${SEED_RANK}`, lora: { ...base.lora, r: SEED_RANK } }, [
    s.seed,
    s.seed + 1,
  ]);
  const pick = (x: string, y: string) => {
    set('a', x);
    set('b', y);
  };
  return (
    <section className="panel paper-view" aria-labelledby="subspace-title">
      <h2 id="subspace-title">Subspace similarity: do two adapters learn the same directions? (Fig. 3, 4)</h2>
      <p className="train-hint">
        φ(i, j) = ‖U_iᵀ·U_j‖²_F / min(i, j), with U_i the top-i right-singular vectors of one adapter’s A and U_j the
        top-j of the other’s: 1 when one subspace contains the other, 0 when they are orthogonal.
      </p>
      <div className="paper-run-row">
        <button
          type="button"
          disabled={!r8 || !largest || r8 === largest}
          onClick={() => r8 && largest && pick(r8.name, largest.name)}
        >
          Compare r = {SEED_RANK} with r = {largest && largest !== r8 ? largest.r : 64}
        </button>
        <button type="button" disabled={seeds.length < 2} onClick={() => pick(seeds[0].name, seeds[1].name)}>
          Compare the two seeds
        </button>
        <button type="button" className="primary" disabled={disabled} onClick={() => run('seed', seedRuns)}>
          Train two seeds at r = {SEED_RANK}
        </button>
        <span className="train-hint">
          seeds {s.seed} and {s.seed + 1}, {s.steps} steps each, about{' '}
          {formatDuration(estimateSeconds(2, s.steps, lab.msPerStep))}
        </span>
      </div>
      {!r8 && (
        <p className="train-hint">The r = {SEED_RANK} vs r = 64 comparison needs a rank sweep that includes both.</p>
      )}
      <div className="paper-pickers">
        <NamePicker label="first adapter" value={a} options={names} onChange={(v) => set('a', v)} />
        <NamePicker label="second adapter" value={b} options={names} onChange={(v) => set('b', v)} />
        <NamePicker label="module" value={module} options={shared} onChange={(v) => set('module', v)} />
      </div>
      <figure className="paper-figure" data-present="paper-subspace">
        <figcaption>
          φ(i, j){sub.data ? ` for ${sub.data.module}: ${sub.data.a} (rows) vs ${sub.data.b} (columns)` : ''}
        </figcaption>
        {names.length === 0 ? (
          <p>No adapters to compare yet: run the rank sweep, or train two seeds.</p>
        ) : mods.error || sub.error ? (
          <p className="error" role="alert">
            {mods.error ?? sub.error}
          </p>
        ) : sub.data ? (
          <>
            <ScrollBox label="φ heatmap">
              <WidthBox max={900}>{(w) => <PhiHeatmap sub={sub.data!} width={w} />}</WidthBox>
            </ScrollBox>
            <p data-testid="phi-sentence">{phiSentence(sub.data)}</p>
          </>
        ) : a && b && mods.data && shared.length === 0 ? (
          <p>
            {a} and {b} adapt no module in common.
          </p>
        ) : (
          <p>Computing φ…</p>
        )}
      </figure>
    </section>
  );
}
