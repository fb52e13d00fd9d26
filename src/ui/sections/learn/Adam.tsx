import { useEffect, useMemo, useState } from 'react';
import { formatBytes } from '../../../engine/format/bytes';
import { builtinModel } from '../../../engine/learn/modelConfigs';
import { DEFAULT_HYPER, OPTIMIZER_KINDS, runPath, type OptimizerKind } from '../../../engine/learn/optimizers';
import { curvaturesAt, sampleSurface, SURFACE_IDS, SURFACES, type SurfaceId } from '../../../engine/learn/surfaces';
import { countLora, describeModel } from '../../../engine/paramCount';
import { withCommas } from '../../../engine/peftLine';
import { renderContourPlot, type ContourPath } from '../../../viz/contourPlot';
import { Slider } from '../../components/Slider';
import { Tex } from '../../components/Tex';
import { useD3 } from '../../components/useD3';
import { useWidth } from '../../components/useWidth';
import { useSection } from '../../currentSection';
import { enumCodec, numberCodec, stringCodec, useParam } from '../../urlState';
import { AdamTable } from './adam/AdamTable';
import { OKABE_ITO } from '../../../viz/palette';
import '../../components/charts.css';
import './adam/adam.css';

const MAX_STEPS = 200;
const GRID = { nx: 121, ny: 101 };
const surfaceCodec = enumCodec<SurfaceId>(SURFACE_IDS);
const STYLE: Record<OptimizerKind, { label: string; color: string; dash: string }> = {
  sgd: { label: 'SGD', color: OKABE_ITO.vermillion, dash: '2 4' },
  momentum: { label: 'SGD + momentum', color: OKABE_ITO.purple, dash: '8 4' },
  adam: { label: 'Adam', color: OKABE_ITO.blue, dash: '' },
};

// GPT-2 small, r = 8 on c_attn: Adam's state for full fine-tuning vs LoRA.
const GPT2 = describeModel(builtinModel('gpt2')!.config);
const GPT2_LORA = countLora(GPT2, ['c_attn'], 8);

export default function Adam() {
  const section = useSection();
  const [surfaceId, setSurface] = useParam<SurfaceId>('surface', 'valley', surfaceCodec);
  const surface = SURFACES[surfaceId];
  const curv = useMemo(() => {
    const [across, along] = curvaturesAt(surface, ...surface.minimum);
    return { across, along };
  }, [surface]);
  const sgdLimit = 2 / curv.across;
  const [b] = [surface.bounds];
  const [sx, setSx] = useParam('sx', surface.defaultStart[0], numberCodec(b.x[0], b.x[1]));
  const [sy, setSy] = useParam('sy', surface.defaultStart[1], numberCodec(b.y[0], b.y[1]));
  const [lr, setLr] = useParam('lr', 0.1, numberCodec(0.001, 1));
  const [sgdLr, setSgdLr] = useParam('sgdlr', 0.02, numberCodec(0.001, 0.2));
  const [beta1, setBeta1] = useParam('b1', 0.9, numberCodec(0, 0.999));
  const [beta2, setBeta2] = useParam('b2', 0.999, numberCodec(0.5, 0.9999));
  const [optText, setOptText] = useParam('opt', 'sgd,momentum,adam', stringCodec);
  const [t, setT] = useParam('t', 60, numberCodec(0, MAX_STEPS));
  const [playing, setPlaying] = useState(false);
  const shown = OPTIMIZER_KINDS.filter((k) => optText.split(',').includes(k));

  const values = useMemo(() => sampleSurface(surface, GRID.nx, GRID.ny), [surface]);
  const runs = useMemo(() => {
    const start: [number, number] = [sx, sy];
    return OPTIMIZER_KINDS.map((kind) => {
      const h = { ...DEFAULT_HYPER, lr: kind === 'adam' ? lr : sgdLr, beta1, beta2, momentum: beta1 };
      return runPath(surface, start, kind, h, MAX_STEPS);
    });
  }, [surface, sx, sy, lr, sgdLr, beta1, beta2]);
  const steps = Math.round(t);
  const paths: ContourPath[] = runs
    .filter((r) => shown.includes(r.kind))
    .map((r) => ({ id: r.kind, ...STYLE[r.kind], points: r.points.slice(0, steps + 1) }));
  const adamRun = runs.find((r) => r.kind === 'adam')!;

  // Drawn at the width it is shown at, so tick labels keep their size on a laptop and on a phone.
  const [figure, figureWidth] = useWidth<HTMLElement>(720);
  const plotWidth = Math.max(300, Math.min(900, figureWidth));
  const plotHeight = Math.round(plotWidth * 0.75);
  const ref = useD3<SVGSVGElement>(
    (el) =>
      renderContourPlot(
        el,
        { values, ...GRID, bounds: surface.bounds, minimum: surface.minimum, start: [sx, sy], paths },
        {
          width: plotWidth,
          height: plotHeight,
          onStartChange: ([x, y]) => {
            setSx(Number(x.toFixed(2)));
            setSy(Number(y.toFixed(2)));
          },
        },
      ),
    [values, surface, sx, sy, JSON.stringify(paths.map((p) => [p.id, p.points.length])), runs, plotWidth, plotHeight],
  );

  useEffect(() => {
    if (!playing) return;
    if (t >= MAX_STEPS) {
      setPlaying(false);
      return;
    }
    const id = setTimeout(() => setT(Math.min(MAX_STEPS, t + 1)), 60);
    return () => clearTimeout(id);
  }, [playing, t, setT]);

  const stop =
    <A extends unknown[]>(fn: (...a: A) => void) =>
    (...a: A) => {
      setPlaying(false);
      fn(...a);
    };
  const fullState = 8 * GPT2.base;
  const loraState = 8 * GPT2_LORA.trainable;

  return (
    <section aria-labelledby="section-title" className="learn-section">
      <h1 id="section-title">{section.title}: what the optimizer keeps</h1>
      <p className="lede">
        Adam keeps two running means for <em>every trained parameter</em>: m, of the gradient, and v, of its square.
        Each step moves each parameter by about lr, scaled down where gradients are noisy or large.
      </p>
      <Tex
        block
      >{String.raw`\begin{aligned} m_t &= \beta_1 m_{t-1} + (1-\beta_1)\,g_t & v_t &= \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2\\ \hat m_t &= \frac{m_t}{1-\beta_1^t} & \hat v_t &= \frac{v_t}{1-\beta_2^t}\\ \theta_t &= \theta_{t-1} - \text{lr}\,\frac{\hat m_t}{\sqrt{\hat v_t}+\varepsilon} \end{aligned}`}</Tex>

      <div data-present="adam-surface">
        <h2>Adam, SGD and SGD + momentum on a 2-D surface</h2>
        <div className="adam-layout">
          <figure className="learn-figure" ref={figure}>
            <svg
              ref={ref}
              id="adam-contour"
              className="chart"
              role="img"
              aria-label={`Contour plot of ${surface.label} with the optimiser paths after ${steps} steps; losses are listed beside it.`}
            />
            <figcaption>
              <Tex>{surface.tex}</Tex>. Drag the ring (or click the plot) to move the start; × marks the minimum.
            </figcaption>
          </figure>
          <div className="adam-controls">
            <fieldset className="opt-pick surface-pick">
              <legend>surface</legend>
              {SURFACE_IDS.map((id) => (
                <label key={id}>
                  <input
                    type="radio"
                    name="surface"
                    checked={surfaceId === id}
                    onChange={stop(() => {
                      setSurface(id);
                      setSx(SURFACES[id].defaultStart[0]);
                      setSy(SURFACES[id].defaultStart[1]);
                    })}
                  />{' '}
                  {SURFACES[id].label}
                </label>
              ))}
            </fieldset>
            <fieldset className="opt-pick">
              <legend>optimisers shown</legend>
              <ul className="opt-legend">
                {OPTIMIZER_KINDS.map((k) => (
                  <li key={k}>
                    <input
                      id={`opt-${k}`}
                      type="checkbox"
                      checked={shown.includes(k)}
                      onChange={(e) =>
                        setOptText(
                          OPTIMIZER_KINDS.filter((o) => (o === k ? e.target.checked : shown.includes(o))).join(','),
                        )
                      }
                    />
                    <svg width="40" height="10" aria-hidden="true">
                      <line
                        x1="0"
                        x2="40"
                        y1="5"
                        y2="5"
                        stroke={STYLE[k].color}
                        strokeWidth="3"
                        strokeDasharray={STYLE[k].dash}
                      />
                    </svg>
                    <label htmlFor={`opt-${k}`}>{STYLE[k].label}</label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <Slider label="start x" value={sx} min={b.x[0]} max={b.x[1]} step={0.05} onChange={stop(setSx)} />
            <Slider label="start y" value={sy} min={b.y[0]} max={b.y[1]} step={0.05} onChange={stop(setSy)} />
            <Slider label="Adam lr" value={lr} min={0.005} max={0.5} step={0.005} onChange={stop(setLr)} />
            <Slider label="SGD lr" value={sgdLr} min={0.001} max={0.12} step={0.001} onChange={stop(setSgdLr)} />
            <Slider
              label="β₁ (also momentum μ)"
              value={beta1}
              min={0}
              max={0.99}
              step={0.01}
              onChange={stop(setBeta1)}
            />
            <Slider label="β₂" value={beta2} min={0.9} max={0.9999} step={0.0001} onChange={stop(setBeta2)} />
            <Slider label="steps shown" value={t} min={0} max={MAX_STEPS} onChange={stop(setT)} />
            <div className="controls">
              <button type="button" className="primary" onClick={stop(() => setT(Math.min(MAX_STEPS, steps + 1)))}>
                Step
              </button>
              <button
                type="button"
                aria-pressed={playing}
                onClick={() => {
                  if (!playing && steps >= MAX_STEPS) setT(0);
                  setPlaying(!playing);
                }}
              >
                {playing ? 'Pause' : 'Play'}
              </button>
              <button type="button" onClick={stop(() => setT(0))}>
                Reset
              </button>
            </div>
            <table className="numbers opt-results">
              <caption>Loss after {steps} steps</caption>
              <tbody>
                {runs
                  .filter((r) => shown.includes(r.kind))
                  .map((r) => {
                    const k = Math.min(steps, r.values.length - 1);
                    return (
                      <tr key={r.kind}>
                        <th scope="row">{STYLE[r.kind].label}</th>
                        <td data-testid={`loss-${r.kind}`}>
                          {r.diverged && steps >= r.values.length ? 'diverged' : r.values[k].toPrecision(3)}
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        </div>
      </div>
      <p data-testid="curvature-sentence">
        {surfaceId === 'valley'
          ? `In the narrow valley the curvature is ${curv.across.toFixed(0)} across the valley and ${curv.along.toFixed(0)} along its floor, everywhere.`
          : `Near the minimum of the curved valley the curvature is ${curv.across.toFixed(1)} across the valley and only ${curv.along.toFixed(2)} along its bending floor.`}{' '}
        Plain SGD must keep lr below 2 / {curv.across.toFixed(surfaceId === 'valley' ? 0 : 1)} ={' '}
        {sgdLimit.toPrecision(2)} or it bounces out; your SGD lr of {sgdLr} is{' '}
        {sgdLr < sgdLimit ? 'below that limit' : 'above that limit, so SGD cannot settle at the minimum'}. Along the
        floor each step then covers only lr·{curv.along.toFixed(surfaceId === 'valley' ? 0 : 2)} of the remaining
        distance, so it crawls. Momentum builds speed along the floor. Adam divides each coordinate’s step by its own
        √v̂, so it moves at about lr in every direction from the first step on.
      </p>

      <AdamTable steps={(adamRun.adam ?? []).slice(0, 5)} beta1={beta1} beta2={beta2} />

      <div data-present="adam-state">
        <h2>Why optimizer state is where LoRA saves most</h2>
        <p>
          Adam’s m and v are two extra fp32 numbers for every trained parameter, 8 bytes, on top of the gradient (4
          bytes). Frozen weights need none of it. For GPT-2 small (r = 8 on <code>c_attn</code>):
        </p>
        <table className="numbers">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">trained parameters</th>
              <th scope="col">Adam m + v (fp32)</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">full fine-tuning</th>
              <td>{withCommas(GPT2.base)}</td>
              <td data-testid="adam-full">{formatBytes(fullState)}</td>
            </tr>
            <tr>
              <th scope="row">LoRA</th>
              <td>{withCommas(GPT2_LORA.trainable)}</td>
              <td data-testid="adam-lora">{formatBytes(loraState)}</td>
            </tr>
          </tbody>
        </table>
        <p>
          {Math.round(fullState / loraState).toLocaleString('en-US')}× less optimizer state. The frozen weights are
          still read in every forward pass and the gradient still flows back through them to earlier layers; what LoRA
          removes is the weight gradient and the optimizer state for W<sub>0</sub>. See{' '}
          <a href="#/learn/params">Parameters</a> for other models.
        </p>
      </div>
    </section>
  );
}
