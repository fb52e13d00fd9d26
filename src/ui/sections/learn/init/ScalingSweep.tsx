import { useEffect, useMemo, useState } from 'react';
import { SCALING_RULES, type ScalingRule } from '../../../../engine/learn/initDemo';
import { runScalingSweep, SWEEP_RANKS, type SweepPoint } from '../../../../engine/learn/scalingSweep';
import { renderLineChart, type LineSeries } from '../../../../viz/lineChart';
import { Slider } from '../../../components/Slider';
import { Tex } from '../../../components/Tex';
import { useD3 } from '../../../components/useD3';
import { numberCodec, useParam } from '../../../urlState';
import { useBackend } from '../../../useBackend';
import { OKABE_ITO } from '../../../../viz/palette';
import { errorMessage } from '../../../../engine/types';

const ALPHA = 8;
const D = 64;
const STYLE: Record<ScalingRule, Pick<LineSeries, 'label' | 'color' | 'dash' | 'marker'>> = {
  'alpha/r': { label: 's = α/r (LoRA)', color: OKABE_ITO.blue, dash: '', marker: 'circle' },
  'alpha/sqrt(r)': { label: 's = α/√r (rsLoRA)', color: OKABE_ITO.green, dash: '8 4', marker: 'square' },
  alpha: { label: 's = α (no 1/r)', color: OKABE_ITO.vermillion, dash: '2 4', marker: 'triangle' },
};
const stepsCodec = numberCodec(1, 20);
const lrExpCodec = numberCodec(-4, -1);

/** ‖ΔW‖ after a few Adam steps at r = 1…32 under three scaling rules, computed live. */
export function ScalingSweep() {
  const backend = useBackend();
  const [steps, setSteps] = useParam('ss', 3, stepsCodec);
  const [lrExp, setLrExp] = useParam('slr', -3, lrExpCodec);
  const lr = 10 ** lrExp;
  const [points, setPoints] = useState<SweepPoint[] | null>(null);
  const [progress, setProgress] = useState('');

  useEffect(() => {
    if (backend.status !== 'ready') return;
    let cancelled = false;
    setPoints(null);
    runScalingSweep(
      { d: D, alpha: ALPHA, lr, steps },
      (done, total) => !cancelled && setProgress(`computing: ${done} of ${total} runs`),
    )
      .then((p) => !cancelled && setPoints(p))
      .catch((e) => !cancelled && setProgress(`failed: ${errorMessage(e)}`));
    return () => {
      cancelled = true;
    };
  }, [backend.status, lr, steps]);

  const series: LineSeries[] = useMemo(
    () =>
      SCALING_RULES.map((rule) => ({
        id: rule,
        ...STYLE[rule],
        points: (points ?? []).filter((p) => p.rule === rule).map((p) => ({ x: p.r, y: p.deltaWNorm })),
      })),
    [points],
  );
  const ref = useD3<SVGSVGElement>(
    (el) =>
      renderLineChart(el, series, {
        width: 760,
        height: 400,
        xLabel: 'rank r',
        yLabel: '‖ΔW‖ (Frobenius) after training',
        xScale: 'log2',
        yScale: 'log',
        xTicks: [...SWEEP_RANKS],
      }),
    [series],
  );
  const ratio = (rule: ScalingRule) => {
    const s = series.find((x) => x.id === rule)!.points;
    return s.length ? s[s.length - 1].y / s[0].y : NaN;
  };

  return (
    <div className="sweep">
      <p>
        Same layer (d<sub>in</sub> = d<sub>out</sub> = {D}), same task, same α = {ALPHA}, same learning rate, PEFT’s
        init, Adam; only r and the scaling rule change.
      </p>
      <div className="controls">
        <Slider label="Adam steps" value={steps} min={1} max={20} onChange={setSteps} />
        <Slider
          label="learning rate (sweep)"
          value={lrExp}
          min={-4}
          max={-1}
          step={0.5}
          onChange={setLrExp}
          format={(v) => (10 ** v).toPrecision(2)}
        />
      </div>
      {!points && (
        <p role="status">{backend.status === 'ready' ? progress || 'computing…' : 'starting the compute backend…'}</p>
      )}
      {points && (
        <>
          <figure className="learn-figure chart-wrap">
            <svg
              ref={ref}
              className="chart"
              role="img"
              aria-label="Line chart of ‖ΔW‖ against rank for three scaling rules; the table below has the numbers."
            />
          </figure>
          <p data-testid="sweep-summary">
            From r = 1 to r = 32, ‖ΔW‖ changes by <strong>×{ratio('alpha').toFixed(2)}</strong> with s = α,{' '}
            <strong>×{ratio('alpha/r').toFixed(2)}</strong> with α/r and{' '}
            <strong>×{ratio('alpha/sqrt(r)').toFixed(2)}</strong> with α/√r.
          </p>
          <details>
            <summary>The numbers</summary>
            <table className="numbers">
              <thead>
                <tr>
                  <th scope="col">rule</th>
                  {SWEEP_RANKS.map((r) => (
                    <th key={r} scope="col">
                      r = {r}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {SCALING_RULES.map((rule) => (
                  <tr key={rule}>
                    <th scope="row">{STYLE[rule].label}</th>
                    {points
                      .filter((p) => p.rule === rule)
                      .map((p) => (
                        <td key={p.r}>{p.deltaWNorm.toPrecision(3)}</td>
                      ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
      <p>
        Why: after a few steps B·A is a sum of r rank-1 pieces <Tex>{'b_i a_i^\\top'}</Tex>, each of about the same size
        (Adam moves every entry of B by about lr whatever the gradient’s scale). Without a factor that falls with r,
        more pieces mean a bigger update, so a learning rate tuned at one r is wrong at another. Dividing by r stops
        that growth (the paper’s choice: set α once, to the first r you try, and leave it). Because the pieces point in
        roughly independent directions they add up like a random walk, about <Tex>{'\\sqrt r'}</Tex>, which α/√r
        (rsLoRA, PEFT <code>use_rslora=True</code>) is made to cancel.
        {points && <span data-testid="sweep-why"> {sweepOutcome(ratio)}</span>}
      </p>
    </div>
  );
}

/** What this sweep shows, from its own numbers: how α/r moves ‖ΔW‖ and which rule keeps it flattest. */
export function sweepOutcome(ratio: (rule: ScalingRule) => number): string {
  const r = ratio('alpha/r');
  const flattest = [...SCALING_RULES].sort((a, b) => Math.abs(Math.log(ratio(a))) - Math.abs(Math.log(ratio(b))))[0];
  const move = r < 1 ? `shrinks it (×${r.toFixed(2)})` : `grows it (×${r.toFixed(2)})`;
  return `With these settings, from r = 1 to r = 32 α/r ${move}, and ${STYLE[flattest].label} keeps it flattest (×${ratio(flattest).toFixed(2)}).`;
}
