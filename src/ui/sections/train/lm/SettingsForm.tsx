import { useId } from 'react';
import { TASKS } from '../../../../engine/data/tasks';
import type { ModelSummary } from '../../../../engine/session/types';
import { withCommas } from '../../../../engine/peftLine';
import {
  BATCH_CHOICES,
  DROPOUT_CHOICES,
  INIT_IDS,
  INIT_LABELS,
  INIT_NOTES,
  LR_CHOICES,
  MAX_STEPS,
  R_CHOICES,
  SEQ_CHOICES,
  TASK_IDS,
  effectiveSeq,
  targetParams,
  type TrainSettings,
  type TrainTaskId,
} from './settings';
import type { SetSetting } from './useTrainSettings';

interface Props {
  settings: TrainSettings;
  set: SetSetting;
  model: ModelSummary | null;
  /** Name of the learner's own checkpoint once its files were read, else null. */
  ownName: string | null;
  disabled: boolean;
}

const taskLabel = (id: TrainTaskId) => (id === 'user' ? 'Your text (paste or drop a .txt)' : TASKS[id].label);

function Choice<T extends number | string>({
  label,
  value,
  options,
  onChange,
  format,
  disabled,
}: {
  label: string;
  value: T;
  options: readonly T[];
  onChange: (v: T) => void;
  format?: (v: T) => string;
  disabled?: boolean;
}) {
  const id = useId();
  const all = options.includes(value) ? options : [...options, value];
  return (
    <span className="train-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={String(value)}
        disabled={disabled}
        onChange={(e) => onChange((typeof value === 'number' ? Number(e.target.value) : e.target.value) as T)}
      >
        {all.map((o) => (
          <option key={String(o)} value={String(o)}>
            {format ? format(o) : String(o)}
          </option>
        ))}
      </select>
    </span>
  );
}

function NumberField({
  label,
  value,
  min,
  max,
  step,
  onChange,
  disabled,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number | 'any';
  onChange: (v: number) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <span className="train-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={value}
        min={min}
        max={max}
        step={step ?? 1}
        disabled={disabled}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v)) onChange(Math.min(max, Math.max(min, v)));
        }}
      />
    </span>
  );
}

/** All run settings; each writes its URL parameter. */
export function SettingsForm({ settings: s, set, model, ownName, disabled }: Props) {
  const lora = s.mode === 'lora';
  const scaling = s.rslora ? s.alpha / Math.sqrt(s.r) : s.alpha / s.r;
  const seqMax = model?.config.n_positions ?? 1024;
  const seqs = SEQ_CHOICES.filter((q) => q <= seqMax);
  const trainable = model
    ? model.targets.filter((t) => s.targets.includes(t.key)).reduce((n, t) => n + targetParams(t, s.r), 0)
    : 0;
  return (
    <div className="train-settings">
      <fieldset disabled={disabled}>
        <legend>Model and data</legend>
        <Choice
          label="Base model"
          value={s.base}
          options={ownName ? (['tiny', 'own'] as const) : (['tiny'] as const)}
          onChange={(v) => set('base', v)}
          format={(v) => (v === 'tiny' ? 'lowrank-tiny (shipped)' : `your own GPT-2: ${ownName ?? 'not loaded'}`)}
        />
        <Choice label="Task" value={s.task} options={TASK_IDS} onChange={(v) => set('task', v)} format={taskLabel} />
        {s.task !== 'user' && <p className="train-hint">{TASKS[s.task].description}</p>}
        <div role="radiogroup" aria-label="Training mode" className="train-radios">
          {(['lora', 'full'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="train-mode" value={m} checked={s.mode === m} onChange={() => set('mode', m)} />
              {m === 'lora' ? 'LoRA' : 'full fine-tuning'}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset disabled={disabled || !lora}>
        <legend>LoRA adapter{lora ? '' : ' (not used in full fine-tuning)'}</legend>
        <fieldset className="train-targets">
          <legend>Target modules</legend>
          {model?.targets.map((t) => (
            <label key={t.key}>
              <input
                type="checkbox"
                checked={s.targets.includes(t.key)}
                onChange={(e) =>
                  set(
                    'targets',
                    e.target.checked
                      ? [...s.targets.filter((k) => k !== t.key), t.key]
                      : s.targets.filter((k) => k !== t.key),
                  )
                }
              />
              <code>{t.key}</code>
              <span className="train-hint">
                {t.layers} × ({t.dIn} + {t.dOut}) × {s.r} = {withCommas(targetParams(t, s.r))} params
              </span>
            </label>
          )) ?? <span className="train-hint">(load a model to list its modules)</span>}
        </fieldset>
        <Choice label="rank r" value={s.r} options={R_CHOICES} onChange={(v) => set('r', v)} />
        <NumberField
          label="alpha α"
          value={s.alpha}
          min={0.01}
          max={4096}
          step="any"
          onChange={(v) => set('alpha', v)}
        />
        <Choice label="dropout" value={s.dropout} options={DROPOUT_CHOICES} onChange={(v) => set('dropout', v)} />
        <Choice
          label="init"
          value={s.init}
          options={INIT_IDS}
          onChange={(v) => set('init', v)}
          format={(v) => INIT_LABELS[v]}
        />
        <p className="train-hint">{INIT_NOTES[s.init]}</p>
        <label className="train-field">
          <input type="checkbox" checked={s.rslora} onChange={(e) => set('rslora', e.target.checked)} />
          rsLoRA (s = α/√r)
        </label>
        <p className="train-hint" aria-live="polite">
          scaling s = {s.rslora ? 'α/√r' : 'α/r'} = {scaling.toPrecision(3)}; trainable: {withCommas(trainable)}{' '}
          parameters
        </p>
      </fieldset>
      <fieldset disabled={disabled}>
        <legend>Optimisation</legend>
        <Choice
          label="learning rate"
          value={s.learningRate}
          options={LR_CHOICES}
          onChange={(v) => set('learningRate', v)}
          format={(v) => v.toExponential(0)}
        />
        <NumberField
          label="steps"
          value={s.steps}
          min={1}
          max={MAX_STEPS}
          onChange={(v) => set('steps', Math.round(v))}
        />
        <Choice label="batch size" value={s.batch} options={BATCH_CHOICES} onChange={(v) => set('batch', v)} />
        <Choice
          label="sequence length"
          value={model ? effectiveSeq(s.seq, model) : s.seq}
          options={seqs.length ? seqs : [seqMax]}
          onChange={(v) => set('seq', v)}
        />
        <NumberField
          label="seed"
          value={s.seed}
          min={0}
          max={2 ** 31 - 1}
          onChange={(v) => set('seed', Math.round(v))}
        />
        <NumberField
          label="sample length (tokens)"
          value={s.sampleTokens}
          min={1}
          max={128}
          onChange={(v) => set('sampleTokens', Math.round(v))}
        />
      </fieldset>
    </div>
  );
}
