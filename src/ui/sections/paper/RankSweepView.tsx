/**
 * The paper's Table 6 on the learner's task: the same run at r = 1, 2, 4, 8, 64 (same steps, seed
 * and data), validation loss per r in a table and a plot, and what these numbers show.
 */
import { useEffect, useMemo, useState } from 'react';
import { withCommas } from '../../../engine/peftLine';
import { rankSweepPlan } from '../../../engine/paper/sweeps';
import { summariseRankSweep } from '../../../engine/paper/summary';
import type { ModelSummary } from '../../../engine/session/types';
import type { LabRun } from '../../../worker/lmWorkerApi';
import { renderLineChart, type LineSeries } from '../../../viz/lineChart';
import { GREY, OKABE_ITO } from '../../../viz/palette';
import { ScrollBox } from '../../components/ScrollBox';
import { useD3 } from '../../components/useD3';
import '../../components/charts.css';
import type { SetSetting } from '../../urlSchema';
import { estimateSeconds, formatDuration, formatLoss, rankRuns } from './labFormat';
import { KeepCell, SummaryText, WidthBox, type LabViewProps } from './LabParts';
import { labBaseRun, labTargets, rankListCodec, type LabSettings } from './labSettings';

/** |loss difference| between the two seed runs, when both trained like the sweep's runs. */
export function seedSpread(runs: readonly LabRun[], like: LabRun | undefined): number | undefined {
  const seeds = runs.filter((r) => r.sweep === 'seed' && like && r.steps === like.steps && r.dataset === like.dataset);
  return seeds.length >= 2 ? Math.abs(seeds[0].validationLoss - seeds[1].validationLoss) : undefined;
}

function RanksField({ s, set, disabled }: { s: LabSettings; set: SetSetting<LabSettings>; disabled: boolean }) {
  const shown = rankListCodec.format(s.ranks);
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  const parsed = rankListCodec.parse(text);
  return (
    <span className="train-field">
      <label htmlFor="paper-ranks">ranks r</label>
      <input
        id="paper-ranks"
        className="mono"
        value={text}
        disabled={disabled}
        size={14}
        aria-describedby="paper-ranks-hint"
        aria-invalid={parsed === undefined}
        onChange={(e) => {
          setText(e.target.value);
          const v = rankListCodec.parse(e.target.value);
          if (v) set('ranks', v);
        }}
      />
      <span id="paper-ranks-hint" className="train-hint">
        {parsed === undefined ? 'Up to eight whole numbers 1–256, separated by commas.' : 'the paper: 1, 2, 4, 8, 64'}
      </span>
    </span>
  );
}

function RankChart({ runs, width }: { runs: LabRun[]; width: number }) {
  const series = useMemo<LineSeries[]>(() => {
    const s: LineSeries[] = [
      {
        id: 'val',
        label: 'validation loss',
        points: runs.map((r) => ({ x: r.r, y: r.validationLoss })),
        color: OKABE_ITO.vermillion,
        dash: '',
        marker: 'circle',
      },
    ];
    if (runs.length)
      s.push({
        id: 'base',
        label: 'base model',
        points: [
          { x: runs[0].r, y: runs[0].baseValidationLoss },
          { x: runs[runs.length - 1].r, y: runs[0].baseValidationLoss },
        ],
        color: GREY,
        dash: '6 4',
        marker: 'square',
      });
    return s;
  }, [runs]);
  const height = Math.round(Math.min(340, Math.max(260, width * 0.5)));
  const ranks = runs.map((r) => r.r);
  const ref = useD3<SVGSVGElement>(
    (el) =>
      renderLineChart(el, series, {
        width,
        height,
        xLabel: 'rank r (log scale)',
        yLabel: 'validation loss (nats/token)',
        xScale: 'log2',
        xTicks: ranks,
        yFromZero: false,
      }),
    [series, width, height],
  );
  const label = `Validation loss by rank: ${runs.map((r) => `r = ${r.r}: ${formatLoss(r.validationLoss)}`).join('; ')}; base model ${formatLoss(runs[0]?.baseValidationLoss ?? NaN)}.`;
  return <svg ref={ref} role="img" aria-label={label} className="chart paper-chart" />;
}

export function RankSweepView({ s, set, model, lab, run, disabled }: LabViewProps & { model: ModelSummary }) {
  const runs = rankRuns(lab.runs);
  const baseRun = labBaseRun(s, model);
  const planned = rankSweepPlan(baseRun, s.ranks);
  const estimate = estimateSeconds(planned.length, s.steps, lab.msPerStep);
  const summary =
    runs.length > 0
      ? summariseRankSweep(
          runs.map((r) => ({ r: r.r, validationLoss: r.validationLoss })),
          { baseLoss: runs[0].baseValidationLoss, seedSpread: seedSpread(lab.runs, runs[0]) },
        )
      : null;
  const first = runs[0];
  return (
    <section className="panel paper-view" aria-labelledby="rank-title">
      <h2 id="rank-title">Rank sweep: does a small r already do it? (Table 6)</h2>
      <p className="train-hint">
        The same LoRA run on {labTargets(baseRun)} at each rank: same steps, seed, data and α ={' '}
        {baseRun.lora.lora_alpha} (so s = α/r shrinks as r grows, as in the paper). Only r changes.
      </p>
      <div className="paper-run-row">
        <RanksField s={s} set={set} disabled={disabled} />
        <button type="button" className="primary" disabled={disabled} onClick={() => run('rank', planned)}>
          Run the rank sweep
        </button>
        <span className="train-hint">
          {planned.length} runs × {s.steps} steps, about {formatDuration(estimate)} on this machine’s backend.
        </span>
      </div>
      <figure className="paper-figure" data-present="paper-rank">
        <figcaption>
          Validation loss by rank{first ? ` (${first.dataset}, ${first.steps} steps, seed ${first.settings.seed})` : ''}
        </figcaption>
        {runs.length === 0 ? (
          <p>No rank sweep yet: run it to fill this table with your own numbers.</p>
        ) : (
          <>
            <ScrollBox label="Rank sweep table">
              <table className="paper-table" aria-label="Rank sweep results">
                <thead>
                  <tr>
                    <th scope="col">r</th>
                    <th scope="col">trainable</th>
                    <th scope="col">s = α/r</th>
                    <th scope="col">validation loss</th>
                    <th scope="col">below base</th>
                    <th scope="col">time</th>
                    <th scope="col">adapter</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((r) => (
                    <tr key={r.name} data-testid={`rank-row-${r.r}`}>
                      <th scope="row">{r.r}</th>
                      <td className="mono">{withCommas(r.trainable)}</td>
                      <td className="mono">{((r.settings.lora.lora_alpha ?? 8) / r.r).toFixed(3)}</td>
                      <td className="mono">{formatLoss(r.validationLoss)}</td>
                      <td className="mono">{formatLoss(r.baseValidationLoss - r.validationLoss)}</td>
                      <td className="mono">{formatDuration(r.wallMs / 1000)}</td>
                      <td>
                        <KeepCell run={r} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
            <WidthBox max={760}>{(w) => <RankChart runs={runs} width={w} />}</WidthBox>
          </>
        )}
      </figure>
      {summary && <SummaryText summary={summary} testId="rank-summary" />}
    </section>
  );
}
