import { useId, useMemo } from 'react';
import { formatBytes, GiB } from '../../../engine/format/bytes';
import { checkpointSizes, type CheckpointDtype } from '../../../engine/learn/memory';
import { countLora, type ModelArch } from '../../../engine/paramCount';
import { withCommas } from '../../../engine/peftLine';
import { renderAdapterSwap, type SwapAdapter } from '../../../viz/adapterSwap';
import { renderLineChart } from '../../../viz/lineChart';
import { Slider } from '../../components/Slider';
import { Tex } from '../../components/Tex';
import { useD3 } from '../../components/useD3';
import { useSection } from '../../currentSection';
import { boolCodec, enumCodec, numberCodec, useParam } from '../../urlState';
import { servingNumbers } from './adapters/servingMath';
import { BUILTIN_MODELS } from '../../../engine/learn/modelConfigs';
import { MODEL_IDS, modelLabel, useModelChoice } from './params/modelChoice';
import { OKABE_ITO } from '../../../viz/palette';
import '../../components/charts.css';
import './adapters/adapters.css';

const ADAPTERS: SwapAdapter[] = [
  { id: 'support', label: 'customer support', color: OKABE_ITO.orange },
  { id: 'sql', label: 'text → SQL', color: OKABE_ITO.sky },
  { id: 'legal', label: 'legal summaries', color: OKABE_ITO.green },
  { id: 'poems', label: 'poems', color: OKABE_ITO.purple },
  { id: 'review', label: 'code review', color: OKABE_ITO.yellow },
];
const activeCodec = enumCodec(['none', ...ADAPTERS.map((a) => a.id)]);
const dtypeCodec = enumCodec<CheckpointDtype>(['fp16', 'fp32']);

/** vocab × hidden for the LM head's matmul (tied or not, it is computed once per token). */
function headSize(arch: ModelArch, model: string, configText: string): number {
  const cfg = (model === 'custom' ? safeParse(configText) : BUILTIN_MODELS.find((m) => m.id === model)?.config) ?? {};
  return (Number(cfg.vocab_size) || 0) * arch.hidden;
}
function safeParse(t: string): Record<string, unknown> | null {
  try {
    return JSON.parse(t) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export default function AdaptersAtInference() {
  const section = useSection();
  const choice = useModelChoice();
  const { arch, error, model } = choice;
  const [r, setR] = useParam('r', 8, numberCodec(1, 256));
  const [tasks, setTasks] = useParam('k', 10, numberCodec(1, 100));
  const [active, setActive] = useParam('active', 'support', activeCodec);
  const [merged, setMerged] = useParam('merged', false, boolCodec);
  const [dtype, setDtype] = useParam<CheckpointDtype>('dtype', 'fp16', dtypeCodec);
  const selectId = useId();
  const rank = Math.round(r);
  const k = Math.round(tasks);

  const count = useMemo(() => (arch ? countLora(arch, arch.defaultTargets, rank) : null), [arch, rank]);
  const sizes = count ? checkpointSizes(count.base, count.trainable, dtype, k) : null;
  const serving = arch && count ? servingNumbers(arch, count, rank, headSize(arch, model, choice.configText)) : null;
  const activeAdapter = ADAPTERS.find((a) => a.id === active) ?? null;

  const swapRef = useD3<SVGSVGElement>(
    (el) =>
      sizes &&
      renderAdapterSwap(
        el,
        {
          adapters: ADAPTERS,
          activeId: activeAdapter?.id ?? null,
          merged: merged && !!activeAdapter,
          baseText: `${formatBytes(sizes.full)}, loaded once`,
          adapterText: `${formatBytes(sizes.adapter)} each`,
        },
        { width: 900 },
      ),
    [sizes?.full, sizes?.adapter, active, merged],
  );
  const growthRef = useD3<SVGSVGElement>(
    (el) => {
      if (!count) return;
      const ks = [1, 2, 5, 10, 20, 50, 100];
      const c = (n: number) => checkpointSizes(count.base, count.trainable, dtype, n);
      renderLineChart(
        el,
        [
          {
            id: 'full',
            label: 'k full fine-tuned copies',
            color: OKABE_ITO.vermillion,
            dash: '2 4',
            marker: 'triangle',
            points: ks.map((n) => ({ x: n, y: c(n).fulls / GiB })),
          },
          {
            id: 'lora',
            label: 'one base + k adapters',
            color: OKABE_ITO.blue,
            dash: '',
            marker: 'circle',
            points: ks.map((n) => ({ x: n, y: c(n).baseAndAdapters / GiB })),
          },
        ],
        {
          width: 760,
          height: 360,
          xLabel: 'number of tasks k',
          yLabel: 'weights to keep (GiB)',
          xScale: 'log2',
          yScale: 'log',
          xTicks: ks,
          mark: sizes
            ? {
                x: k,
                label: `k = ${k}`,
                points: [
                  { y: sizes.fulls / GiB, color: OKABE_ITO.vermillion },
                  { y: sizes.baseAndAdapters / GiB, color: OKABE_ITO.blue },
                ],
              }
            : undefined,
        },
      );
    },
    [count, dtype, k],
  );

  return (
    <section aria-labelledby="section-title" className="learn-section">
      <h1 id="section-title">{section.title}: one base, many adapters</h1>
      <p className="lede">
        Load the base model once (at start-up), keep a small adapter per task, and plug in the one a request needs.
        Every adapter shares the same frozen W<sub>0</sub>.
      </p>

      <div className="controls">
        <label htmlFor={selectId}>model</label>
        <select id={selectId} value={model} onChange={(e) => choice.setModel(e.target.value)}>
          {MODEL_IDS.filter((id) => id !== 'custom' || model === 'custom').map((id) => (
            <option key={id} value={id}>
              {modelLabel(id)}
            </option>
          ))}
        </select>
        <Slider label="rank r" value={r} min={1} max={256} onChange={setR} />
        <span aria-hidden="true">weights stored as</span>
        <fieldset className="seg" aria-label="stored dtype">
          {(['fp16', 'fp32'] as const).map((d) => (
            <label key={d}>
              <input type="radio" name="dtype" checked={dtype === d} onChange={() => setDtype(d)} />
              {d}
            </label>
          ))}
        </fieldset>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}

      {arch && count && sizes && serving && (
        <>
          <p>
            Adapters on PEFT’s default targets for this family (<code>{arch.defaultTargets.join(', ')}</code>), r ={' '}
            {rank}: <strong>{withCommas(count.trainable)}</strong> parameters each, against {withCommas(count.base)} in
            the base.
          </p>
          <div data-present="adapter-swap" className="present-shrink">
            <h2>Swap an adapter</h2>
            <div className="swap-buttons" role="group" aria-label="active adapter">
              {ADAPTERS.map((a) => (
                <button key={a.id} type="button" aria-pressed={active === a.id} onClick={() => setActive(a.id)}>
                  <span className="swap-swatch" style={{ background: a.color }} aria-hidden="true" />
                  {a.label}
                </button>
              ))}
              <button type="button" aria-pressed={active === 'none'} onClick={() => setActive('none')}>
                base only
              </button>
            </div>
            <label className="merged-toggle">
              <input type="checkbox" checked={merged} onChange={(e) => setMerged(e.target.checked)} /> merge the active
              adapter into W<sub>0</sub>
            </label>
            <figure className="learn-figure chart-wrap">
              <svg
                ref={swapRef}
                className="chart"
                role="img"
                aria-label={`Diagram: base W0 (${formatBytes(sizes.full)}) loaded once; ${activeAdapter ? `adapter “${activeAdapter.label}” ${merged ? 'merged into W0' : 'plugged in beside W0'}` : 'no adapter active'}; ${ADAPTERS.length} adapters of ${formatBytes(sizes.adapter)} each in memory.`}
              />
            </figure>
            <p role="status" data-testid="swap-status">
              {activeAdapter
                ? merged
                  ? `Serving “${activeAdapter.label}” merged: h = (W0 + s·B·A)·x.`
                  : `Serving “${activeAdapter.label}” unmerged: h = W0·x + s·B·(A·x).`
                : 'Serving the base model alone: h = W0·x.'}
            </p>
          </div>

          <h2>Memory for k tasks</h2>
          <Slider label="tasks k" value={tasks} min={1} max={100} onChange={setTasks} />
          <table className="numbers">
            <caption>
              Weights kept for {k} tasks ({dtype})
            </caption>
            <tbody>
              <tr>
                <th scope="row">one base + {k} adapters</th>
                <td data-testid="serve-lora">{formatBytes(sizes.baseAndAdapters)}</td>
              </tr>
              <tr>
                <th scope="row">{k} full fine-tuned copies</th>
                <td data-testid="serve-full">{formatBytes(sizes.fulls)}</td>
              </tr>
              <tr>
                <th scope="row">ratio</th>
                <td>{(sizes.fulls / sizes.baseAndAdapters).toFixed(1)}×</td>
              </tr>
            </tbody>
          </table>
          <figure className="learn-figure chart-wrap">
            <svg
              ref={growthRef}
              className="chart"
              role="img"
              aria-label="Line chart: weights to keep against number of tasks, for full copies and for one base plus adapters; the table above has the numbers for the chosen k."
            />
          </figure>

          <h2>Merged or unmerged?</h2>
          <div className="tradeoff">
            <div className="panel">
              <h3>Unmerged</h3>
              <Tex>{'h = W_0x + s\\,B(Ax)'}</Tex>
              <p>
                Extra compute per token:{' '}
                <strong data-testid="extra-flops">
                  {((100 * serving.adapterFlopsPerToken) / serving.baseFlopsPerToken).toFixed(3)}%
                </strong>{' '}
                ({withCommas(serving.adapterFlopsPerToken)} FLOPs on top of {withCommas(serving.baseFlopsPerToken)} in
                the linear layers and LM head), plus the latency of extra small kernels. Extra memory: the adapter (
                {formatBytes(sizes.adapter)}). Swapping is instant (point at other A and B), and one batch can mix
                requests for different adapters.
              </p>
            </div>
            <div className="panel">
              <h3>Merged</h3>
              <Tex>{'h = (W_0 + s\\,BA)\\,x'}</Tex>
              <p>
                No extra compute, memory or latency: the model is the same size as the base. Swapping means unmerging
                the old adapter and merging the new one: rewriting {withCommas(serving.mergedSwapWrites)} numbers (
                {formatBytes(serving.mergedSwapWrites * (dtype === 'fp16' ? 2 : 4))}) and{' '}
                {(serving.mergedSwapFlops / 1e9).toFixed(2)} GFLOP. In 16-bit, merge-then-unmerge does not give back W
                <sub>0</sub> bit for bit (rounding).
              </p>
            </div>
          </div>
          <p>
            So the rule is: keep one base loaded and swap adapters.{' '}
            <span data-testid="serving-rule">
              Here {k} {k === 1 ? 'adapter adds' : 'adapters add'} {formatBytes(sizes.adapters)} to the base’s{' '}
              {formatBytes(sizes.full)} ({((100 * sizes.adapters) / sizes.full).toPrecision(2)} %
              {sizes.adapters > sizes.full ? ', more than the base itself' : ''}
              ), and a merged one adds nothing.
            </span>{' '}
            Do it for real: train an adapter in <a href="#/train">Train</a>, then export, import, swap and merge
            adapters over one base in <a href="#/adapters">Adapters</a>.
          </p>
        </>
      )}
    </section>
  );
}
