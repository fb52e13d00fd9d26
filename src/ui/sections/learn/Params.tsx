import { useId, useMemo } from 'react';
import { builtinModel } from '../../../engine/learn/modelConfigs';
import type { CheckpointDtype, Precision } from '../../../engine/learn/memory';
import { countLora, describeModel, targetOptions } from '../../../engine/paramCount';
import { withCommas } from '../../../engine/peftLine';
import { Slider } from '../../components/Slider';
import { Tex } from '../../components/Tex';
import { useSection } from '../../currentSection';
import { enumCodec, numberCodec, stringCodec, useParam } from '../../urlState';
import { CheckpointTable } from './params/CheckpointTable';
import { ConfigPaste } from './params/ConfigPaste';
import { MemorySection, PRECISION_NOTE } from './params/MemorySection';
import { MODEL_IDS, modelLabel, useModelChoice } from './params/modelChoice';
import { TargetPicker } from './params/TargetPicker';
import '../../components/charts.css';
import './params/params.css';
import { Term } from '../../components/Term';

const rCodec = numberCodec(1, 256);
const precCodec = enumCodec<Precision>(['fp32', 'mixed']);
const ckptCodec = enumCodec<CheckpointDtype>(['fp32', 'fp16']);

// The line older PEFT versions printed for BLOOM-3B, r = 8 on query_key_value (unrounded percentage).
const OLD_PEFT_LINE = 'trainable params: 2457600 || all params: 3005015040 || trainable%: 0.08178328451893539';

function parseTargets(text: string, defaults: string[]): string[] {
  if (text === '') return defaults;
  if (text === 'none') return [];
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

export default function Params() {
  const section = useSection();
  const choice = useModelChoice();
  const { arch, error, model } = choice;
  const [r, setR] = useParam('r', 8, rCodec);
  const [targetsText, setTargetsText] = useParam('targets', '', stringCodec);
  const [precision, setPrecision] = useParam<Precision>('prec', 'fp32', precCodec);
  const [dtype, setDtype] = useParam<CheckpointDtype>('ckpt', 'fp32', ckptCodec);
  const selectId = useId();

  // Absent: the family's PEFT default; "none": nothing ticked.
  const targets = useMemo(() => parseTargets(targetsText, arch?.defaultTargets ?? []), [targetsText, arch]);
  const setTargets = (t: string[] | null) => setTargetsText(t === null ? '' : t.length ? t.join(',') : 'none');
  const options = useMemo(() => (arch ? targetOptions(arch) : []), [arch]);
  const unknown = targets.filter((t) => !options.some((o) => o.entry === t));
  const count = useMemo(() => (arch ? countLora(arch, targets, Math.round(r)) : null), [arch, targets, r]);
  const bloomNow = useMemo(
    () => countLora(describeModel(builtinModel('bloom-3b')!.config), ['query_key_value'], 8),
    [],
  );

  return (
    <section aria-labelledby="section-title" className="learn-section">
      <h1 id="section-title">{section.title}: trainable parameters and memory</h1>
      <p className="lede">
        An adapted matrix of shape d<sub>out</sub> × d<sub>in</sub> trains <Tex>{'r\\,(d_{in}+d_{out})'}</Tex> numbers
        instead of <Tex>{'d_{in}\\,d_{out}'}</Tex>. Counted here from each model’s <code>config.json</code> alone, no
        weights needed.
      </p>

      <div className="controls">
        <label htmlFor={selectId}>model</label>
        <select
          id={selectId}
          value={model}
          onChange={(e) => {
            choice.setModel(e.target.value);
            setTargets(null); // each family has its own module names
          }}
        >
          {MODEL_IDS.map((id) => (
            <option key={id} value={id}>
              {modelLabel(id)}
            </option>
          ))}
        </select>
        <Slider label="rank r" value={r} min={1} max={256} onChange={setR} />
      </div>

      {model === 'custom' && (
        <ConfigPaste
          configText={choice.configText}
          onApply={(t) => {
            choice.setConfigText(t);
            setTargets(null);
          }}
        />
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}

      {arch && count && (
        <>
          <p className="arch-summary">
            <strong>{arch.modelType}</strong>: {arch.layers} layers, width {withCommas(arch.hidden)}, base{' '}
            <strong data-testid="base-params">{withCommas(arch.base)}</strong> parameters.
          </p>
          <TargetPicker options={options} selected={targets} r={Math.round(r)} onChange={setTargets} />
          {unknown.length > 0 && (
            <p role="alert" className="error">
              {unknown.map((u) => `“${u}”`).join(', ')} matches no module of this model (PEFT would refuse it): untick
              it or pick another model.
            </p>
          )}
          <div data-present="params-peft" className="present-shrink">
            <h2>PEFT’s print-out</h2>
            <output className="big-line" aria-label="PEFT line" data-testid="peft-line">
              {count.peftLine}
            </output>
            <p>
              {count.matched.length} modules adapted: Σ r·(d<sub>in</sub> + d<sub>out</sub>) ={' '}
              {withCommas(count.trainable)}. “all params” is base + adapter; <Term id="tied" /> are counted once.
            </p>
          </div>
          <div className="callout side-note">
            For BLOOM-3B with r = 8 on <code>query_key_value</code>, older PEFT versions printed{' '}
            <code>{OLD_PEFT_LINE}</code>. Same numbers in an older format; today’s PEFT prints{' '}
            <code data-testid="bloom-now">{bloomNow.peftLine}</code>.
          </div>

          <details className="breakdown">
            <summary>Where the base parameters are</summary>
            <table className="numbers">
              <tbody>
                {arch.breakdown.map((b) => (
                  <tr key={b.part}>
                    <th scope="row">{b.part}</th>
                    <td>{withCommas(b.params)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>

          <div data-present="params-memory">
            <h2>Memory to train: full fine-tuning vs LoRA</h2>
            <div className="controls">
              <span aria-hidden="true">precision</span>
              <fieldset className="seg" aria-label="precision">
                {(['fp32', 'mixed'] as const).map((p) => (
                  <label key={p}>
                    <input type="radio" name="prec" checked={precision === p} onChange={() => setPrecision(p)} />
                    {p === 'fp32' ? 'fp32' : 'mixed (bf16/fp16 weights)'}
                  </label>
                ))}
              </fieldset>
            </div>
            <p className="note">{PRECISION_NOTE[precision]}</p>
            <MemorySection base={arch.base} trainable={count.trainable} precision={precision} />
          </div>

          <h2>Checkpoints</h2>
          <div className="controls">
            <span aria-hidden="true">stored as</span>
            <fieldset className="seg" aria-label="checkpoint dtype">
              {(['fp32', 'fp16'] as const).map((d) => (
                <label key={d}>
                  <input type="radio" name="ckpt" checked={dtype === d} onChange={() => setDtype(d)} />
                  {d}
                </label>
              ))}
            </fieldset>
          </div>
          <CheckpointTable base={arch.base} trainable={count.trainable} dtype={dtype} />

          <h2>At GPT-3 scale (the LoRA paper)</h2>
          <p>
            For GPT-3 175B the paper reports 10,000× fewer trainable parameters than full fine-tuning, 3× less GPU
            memory in training (1.2 TB → 350 GB), a checkpoint of 35 MB instead of 350 GB (r = 4 on W<sub>q</sub> and W
            <sub>v</sub>), about 25% faster training (32.5 → 43.1 tokens/s per V100) and no added inference latency once
            merged.
          </p>
        </>
      )}
    </section>
  );
}
