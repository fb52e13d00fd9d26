import { Fragment, useEffect, useState } from 'react';
import { INIT_MODES, type InitMode } from '../../../engine/learn/initDemo';
import { Slider } from '../../components/Slider';
import { Tex } from '../../components/Tex';
import { useSection } from '../../currentSection';
import { enumCodec, numberCodec, useParam } from '../../urlState';
import { MatrixHeat } from './init/MatrixHeat';
import { ScalingSweep } from './init/ScalingSweep';
import { useInitDemo } from './init/useInitDemo';
import '../../components/charts.css';
import './init/init.css';
import { Term } from '../../components/Term';

const MAX_STEPS = 300;
const initCodec = enumCodec<InitMode>(INIT_MODES);
const rCodec = numberCodec(1, 8);
const alphaCodec = numberCodec(1, 32);
const lrCodec = numberCodec(0.005, 0.2);
const tCodec = numberCodec(0, MAX_STEPS);

const INIT_LABEL: Record<InitMode, string> = {
  peft: 'PEFT default: A Kaiming-uniform, B = 0',
  gaussian: 'gaussian: A ~ N(0, 1/r²), B = 0',
  zeros: 'both zero',
  random: 'both random',
};

const fmt = (v: number) => (v === 0 ? '0' : v.toPrecision(3));

export default function Init() {
  const section = useSection();
  const [init, setInit] = useParam<InitMode>('init', 'peft', initCodec);
  const [r, setR] = useParam('r', 4, rCodec);
  const [alpha, setAlpha] = useParam('alpha', 8, alphaCodec);
  const [lr, setLr] = useParam('lr', 0.05, lrCodec);
  const [t, setT] = useParam('t', 0, tCodec);
  const [playing, setPlaying] = useState(false);
  const { snapshot: snap, history, error } = useInitDemo(init, Math.round(r), alpha, lr, Math.round(t));

  // Play: take the next step once the last one is on screen.
  useEffect(() => {
    if (!playing || !snap || snap.step !== t) return;
    if (t >= MAX_STEPS) {
      setPlaying(false);
      return;
    }
    const id = setTimeout(() => setT(t + 1), 150);
    return () => clearTimeout(id);
  }, [playing, snap, t, setT]);

  const rows = history.length > 10 ? [...history.slice(0, 10), history[history.length - 1]] : history;
  const change = (fn: () => void) => () => {
    setPlaying(false);
    fn();
  };

  return (
    <section aria-labelledby="section-title" className="learn-section">
      <h1 id="section-title">{section.title}</h1>
      <p className="lede">
        A layer <Tex>{'h = W_0x + s\\,B(Ax)'}</Tex> with <Tex>{'A\\in\\mathbb R^{r\\times 8}'}</Tex>,{' '}
        <Tex>{'B\\in\\mathbb R^{8\\times r}'}</Tex> and <Tex>{'s=\\alpha/r'}</Tex>, trained on this page with real tfjs
        gradients (Adam) to fit a fixed, seeded regression target. W<sub>0</sub> stays frozen.
      </p>

      <fieldset className="init-modes">
        <legend>initialisation</legend>
        {INIT_MODES.map((m) => (
          <label key={m}>
            <input
              type="radio"
              name="init"
              checked={init === m}
              onChange={change(() => {
                setInit(m);
                setT(0);
              })}
            />
            {INIT_LABEL[m]}
          </label>
        ))}
      </fieldset>
      <div className="controls">
        <Slider
          label="rank r"
          value={r}
          min={1}
          max={8}
          onChange={(v) => {
            setPlaying(false);
            setR(v);
            setT(0);
          }}
        />
        <Slider
          label="α"
          value={alpha}
          min={1}
          max={32}
          onChange={(v) => {
            setPlaying(false);
            setAlpha(v);
            setT(0);
          }}
        />
        <Slider
          label="learning rate"
          value={lr}
          min={0.005}
          max={0.2}
          step={0.005}
          onChange={(v) => {
            setPlaying(false);
            setLr(v);
            setT(0);
          }}
        />
      </div>
      <div data-present="init-factors" className="present-shrink">
        <div className="controls">
          <button
            type="button"
            className="primary"
            onClick={change(() => setT(Math.min(MAX_STEPS, t + 1)))}
            disabled={t >= MAX_STEPS}
          >
            Step
          </button>
          <button type="button" onClick={() => setPlaying(!playing)} aria-pressed={playing}>
            {playing ? 'Pause' : 'Play'}
          </button>
          <button type="button" onClick={change(() => setT(0))}>
            Reset
          </button>
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}

        {snap && (
          <>
            <dl className="init-stats" aria-live="polite">
              <div>
                <dt>step</dt>
                <dd data-testid="init-step">{snap.step}</dd>
              </div>
              <div>
                <dt>s = α/r</dt>
                <dd>{fmt(snap.scaling)}</dd>
              </div>
              <div>
                <dt>loss</dt>
                <dd>{fmt(snap.loss)}</dd>
              </div>
              <div>
                <dt>
                  ‖ΔW‖<sub>F</sub>
                </dt>
                <dd data-testid="delta-w-norm">{fmt(snap.deltaWNorm)}</dd>
              </div>
              <div>
                <dt>max |adapted − base output|</dt>
                <dd data-testid="output-change">{fmt(snap.outputChange)}</dd>
              </div>
            </dl>
            <p className="init-verdict">
              {verdict(init, snap.step, snap.deltaWNorm, snap.outputChange, snap.baseOutputRms, history)}
            </p>

            <div className="heat-row">
              <MatrixHeat name="A" m={snap.A} />
              <MatrixHeat name="B" m={snap.B} />
              <MatrixHeat name="ΔW = s·B·A" m={snap.deltaW} />
            </div>
            <p className="note">
              Blue negative, white zero, red positive; each matrix on its own scale (hover a cell for its value).
            </p>
          </>
        )}
      </div>
      {snap && (
        <>
          <table className="numbers grad-table">
            <caption>Gradients at each step, before the update</caption>
            <thead>
              <tr>
                <th scope="col">step</th>
                <th scope="col">loss</th>
                <th scope="col">‖∇A‖</th>
                <th scope="col">‖∇B‖</th>
                <th scope="col">‖ΔW‖ after</th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr>
                  <td colSpan={5}>Press Step to take the first step.</td>
                </tr>
              )}
              {rows.map((h, i) => (
                <Fragment key={h.step}>
                  {i > 0 && h.step > rows[i - 1].step + 1 && (
                    <tr className="gap-row" data-testid="grad-gap">
                      <td colSpan={5}>
                        ⋮ steps {rows[i - 1].step + 1}–{h.step - 1} not shown
                      </td>
                    </tr>
                  )}
                  <tr>
                    <th scope="row">{h.step}</th>
                    <td>{fmt(h.loss)}</td>
                    <td data-testid={`grad-a-${h.step}`} className={h.gradNormA === 0 ? 'zero' : undefined}>
                      {fmt(h.gradNormA)}
                    </td>
                    <td data-testid={`grad-b-${h.step}`} className={h.gradNormB === 0 ? 'zero' : undefined}>
                      {fmt(h.gradNormB)}
                    </td>
                    <td>{fmt(h.deltaWNorm)}</td>
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        </>
      )}
      {!snap && !error && <p role="status">Starting the compute backend…</p>}

      <h2>Why B = 0 and not A = 0 too</h2>
      <p>
        <Tex>{'\\partial L/\\partial A = s\\,B^\\top G\\,X'}</Tex> and{' '}
        <Tex>{'\\partial L/\\partial B = s\\,G\\,(XA^\\top)'}</Tex> (G is the loss gradient at the layer’s output). With
        B = 0 the first is exactly zero, so on step 1 only B moves; from step 2 on B ≠ 0 and A learns too. ΔW = 0 at the
        start, so the adapted model begins exactly equal to the base. The paper says “random Gaussian” for A; PEFT’s
        default is <Term id="kaiming" />, <Tex>{'U(\\pm 1/\\sqrt{d_{in}})'}</Tex>. If both were zero, both gradients
        would be zero forever. If both are random, training works but starts from a different model than the one you
        loaded.
      </p>

      <h2>Why s = α/r</h2>
      <ScalingSweep />
    </section>
  );
}

/** One sentence about what the numbers on screen show, for the chosen init. */
function verdict(
  init: InitMode,
  step: number,
  dw: number,
  out: number,
  baseRms: number,
  history: { gradNormA: number; gradNormB: number }[],
): string {
  if (init === 'zeros') {
    const allZero = history.every((h) => h.gradNormA === 0 && h.gradNormB === 0);
    return step === 0
      ? 'A = 0 and B = 0: take a few steps and watch nothing happen.'
      : allZero
        ? `After ${step} steps every gradient of A and B is still exactly 0: nothing trains.`
        : 'Gradients became non-zero.';
  }
  if (init === 'random') {
    return step === 0
      ? `ΔW ≠ 0 before any training (‖ΔW‖ = ${dw.toPrecision(3)}): the adapted layer’s outputs already differ from the base by up to ${out.toPrecision(3)} (base outputs are about ${baseRms.toPrecision(2)} in size).`
      : 'Training works, but it started from a different model than the base.';
  }
  if (step === 0)
    return 'ΔW is exactly 0: the adapted layer starts identical to the base (output change 0). Press Step.';
  if (step === 1)
    return history[0]?.gradNormA === 0 ? 'Step 1: ‖∇A‖ was exactly 0, so A did not move; only B did.' : '';
  return 'From step 2 on, B ≠ 0 and A gets a gradient as well.';
}
