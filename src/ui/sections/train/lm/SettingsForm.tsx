import { useId } from 'react';
import { TASKS } from '../../../../engine/data/tasks';
import type { ModelSummary } from '../../../../engine/session/types';
import { withCommas } from '../../../../engine/peftLine';
import { NumberField } from '../../../components/NumberField';
import {
  BATCH_CHOICES,
  DROPOUT_CHOICES,
  INIT_IDS,
  INIT_LABELS,
  INIT_NOTES,
  LR_CHOICES,
  R_CHOICES,
  SEQ_CHOICES,
  TASK_IDS,
  TRAIN_SETTINGS,
  effectiveSeq,
  targetParams,
  validTargets,
  type TrainSettings,
  type TrainTaskId,
} from './settings';
import type { SetSetting } from './useTrainSettings';
import { Term, withTerms } from '../../../components/Term';

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

/** All run settings; each writes its URL parameter. */
export function SettingsForm({ settings: s, set, model, ownName, disabled }: Props) {
  const lora = s.mode === 'lora';
  const scaling = s.rslora ? s.alpha / Math.sqrt(s.r) : s.alpha / s.r;
  const seqMax = model?.dims.nPositions ?? 1024;
  const seqs = SEQ_CHOICES.filter((q) => q <= seqMax);
  const checked = model ? validTargets(s.targets, model) : s.targets; // the family's defaults on another family's model
  const trainable = model
    ? model.targets.filter((t) => checked.includes(t.key)).reduce((n, t) => n + targetParams(t, s.r), 0)
    : 0;
  return (
    <div className="train-settings">
      <fieldset disabled={disabled}>
        <legend>Model and data</legend>
        <Choice
          label={TRAIN_SETTINGS.base.label}
          value={s.base}
          options={ownName ? (['tiny', 'own'] as const) : (['tiny'] as const)}
          onChange={(v) => set('base', v)}
          format={(v) => (v === 'tiny' ? 'lowrank-tiny (shipped)' : `your own model: ${ownName ?? 'not loaded'}`)}
        />
        <Choice
          label={TRAIN_SETTINGS.task.label}
          value={s.task}
          options={TASK_IDS}
          onChange={(v) => set('task', v)}
          format={taskLabel}
        />
        {s.task !== 'user' && <p className="train-hint">{TASKS[s.task].description}</p>}
        <div role="radiogroup" aria-label={TRAIN_SETTINGS.mode.label} className="train-radios">
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
          <legend>{TRAIN_SETTINGS.targets.label}</legend>
          {model?.targets.map((t) => (
            <label key={t.key}>
              <input
                type="checkbox"
                checked={checked.includes(t.key)}
                onChange={(e) =>
                  set(
                    'targets',
                    e.target.checked
                      ? [...checked.filter((k) => k !== t.key), t.key]
                      : checked.filter((k) => k !== t.key),
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
        <Choice label={TRAIN_SETTINGS.r.label} value={s.r} options={R_CHOICES} onChange={(v) => set('r', v)} />
        <NumberField
          className="train-field"
          label={TRAIN_SETTINGS.alpha.label}
          value={s.alpha}
          {...TRAIN_SETTINGS.alpha.bounds}
          onChange={(v) => set('alpha', v)}
        />
        <Choice
          label={TRAIN_SETTINGS.dropout.label}
          value={s.dropout}
          options={DROPOUT_CHOICES}
          onChange={(v) => set('dropout', v)}
        />
        <Choice
          label={TRAIN_SETTINGS.init.label}
          value={s.init}
          options={INIT_IDS}
          onChange={(v) => set('init', v)}
          format={(v) => INIT_LABELS[v]}
        />
        <p className="train-hint">
          {withTerms(INIT_NOTES[s.init], ['kaiming'])}
          {s.init === 'pissa' && (
            <>
              {' '}
              (<Term id="pissa" />)
            </>
          )}
        </p>
        <label className="train-field">
          <input type="checkbox" checked={s.rslora} onChange={(e) => set('rslora', e.target.checked)} />
          {TRAIN_SETTINGS.rslora.label}
        </label>
        <p className="train-hint" aria-live="polite">
          scaling s = {s.rslora ? 'α/√r' : 'α/r'} = {scaling.toPrecision(3)}; trainable: {withCommas(trainable)}{' '}
          parameters
        </p>
      </fieldset>
      <fieldset disabled={disabled}>
        <legend>Optimisation</legend>
        <Choice
          label={TRAIN_SETTINGS.learningRate.label}
          value={s.learningRate}
          options={LR_CHOICES}
          onChange={(v) => set('learningRate', v)}
          format={(v) => v.toExponential(0)}
        />
        <NumberField
          className="train-field"
          label={TRAIN_SETTINGS.steps.label}
          value={s.steps}
          {...TRAIN_SETTINGS.steps.bounds}
          onChange={(v) => set('steps', v)}
        />
        <Choice
          label={TRAIN_SETTINGS.batch.label}
          value={s.batch}
          options={BATCH_CHOICES}
          onChange={(v) => set('batch', v)}
        />
        <Choice
          label={TRAIN_SETTINGS.seq.label}
          value={model ? effectiveSeq(s.seq, model) : s.seq}
          options={seqs.length ? seqs : [seqMax]}
          onChange={(v) => set('seq', v)}
        />
        <NumberField
          className="train-field"
          label={TRAIN_SETTINGS.seed.label}
          value={s.seed}
          {...TRAIN_SETTINGS.seed.bounds}
          onChange={(v) => set('seed', v)}
        />
        <NumberField
          className="train-field"
          label={TRAIN_SETTINGS.sampleTokens.label}
          value={s.sampleTokens}
          {...TRAIN_SETTINGS.sampleTokens.bounds}
          onChange={(v) => set('sampleTokens', v)}
        />
      </fieldset>
    </div>
  );
}
