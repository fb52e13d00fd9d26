/**
 * #/paper: the LoRA paper's analyses on the learner's own runs, trained by the Worker on the loaded
 * base (the shipped tiny model by default): the rank sweep (Table 6), a fixed budget spread over
 * different weights (Table 5), subspace similarity (Fig. 3, 4) and amplification (§7.3). Every
 * run can be kept as an adapter; every view is a link.
 */
import { useEffect, useId, useState } from 'react';
import { TASKS } from '../../../engine/data/tasks';
import type { PlannedRun } from '../../../engine/paper/sweeps';
import { errorMessage } from '../../../engine/types';
import type { SweepKind } from '../../../worker/lmWorkerApi';
import { NumberField } from '../../components/NumberField';
import { useSection } from '../../currentSection';
import { ensureModel, useLm } from '../../lm/lmClient';
import { useSettings } from '../../urlSchema';
import { shippedTask } from '../train/lm/datasets';
import { AmplifyView } from './AmplifyView';
import { BudgetView } from './BudgetView';
import { SweepProgress } from './LabParts';
import { LabRecipe } from './LabRecipe';
import {
  LAB_SETTINGS,
  LAB_TASKS,
  LAB_VIEW_LABELS,
  LAB_VIEWS,
  labBaseRun,
  labPlan,
  labRunLine,
  type LabSettings,
} from './labSettings';
import { startSweep, syncLabRuns, useLab } from './labStore';
import { RankSweepView } from './RankSweepView';
import { SubspaceView } from './SubspaceView';
import '../train/lm/train.css';
import './paper.css';

export default function PaperLabPage() {
  const section = useSection();
  const lm = useLm();
  const lab = useLab();
  const [s, set] = useSettings<LabSettings>(LAB_SETTINGS);
  const [error, setError] = useState<string | null>(null);
  const [recipeRun, setRecipeRun] = useState('');
  const taskId = useId();
  const model = lm.model;

  useEffect(() => {
    void ensureModel();
  }, []);
  // The Worker's lab forgets its runs when another base loads: show what it holds now.
  useEffect(() => {
    if (lab.status === 'idle') void syncLabRuns();
  }, [model?.name]); // eslint-disable-line react-hooks/exhaustive-deps -- only when the base changes

  const sweeping = lab.status !== 'idle';
  const trainBusy = lm.training && !sweeping;
  const disabled = sweeping || lm.training || !model || lm.loading !== null;

  function run(kind: SweepKind, planned: PlannedRun[]) {
    setError(null);
    void (async () => {
      try {
        await startSweep(kind, planned, labPlan(s.steps), await shippedTask(s.task));
      } catch (e) {
        setError(errorMessage(e));
      }
    })();
  }

  const props = { s, set, lab, run, disabled };
  return (
    <section aria-labelledby="section-title" className="paper-page">
      <h1 id="section-title">{section.title}: the LoRA paper on your own runs</h1>
      <p className="lede">
        The LoRA paper’s analyses, reproduced on adapters trained here, in the Worker, on your device: how much rank a
        task needs, where a fixed budget of parameters does most, whether two adapters learn the same directions, and
        which directions of W the update amplifies. The sentences say what your numbers show.
      </p>
      <p className="status-line" role="status">
        {model ? (
          <>
            Base model <strong className="mono">{model.name}</strong>: {model.dims.layers} layers, width{' '}
            {model.dims.hidden}
            {lm.backend ? `, training on ${lm.backend.name}` : ''}.
          </>
        ) : lm.loading ? (
          <>Loading {lm.loading}…</>
        ) : (
          <>Starting the model Worker…</>
        )}
        {trainBusy && <> A Train-page run owns the model: the lab waits until it ends.</>}
      </p>
      {lm.error && (
        <p className="error" role="alert">
          {lm.error}
        </p>
      )}
      <div className="panel paper-controls">
        <span className="train-field">
          <label htmlFor={taskId}>task</label>
          <select
            id={taskId}
            value={s.task}
            disabled={sweeping}
            onChange={(e) => set('task', e.target.value as LabSettings['task'])}
          >
            {LAB_TASKS.map((t) => (
              <option key={t} value={t}>
                {TASKS[t].label}
              </option>
            ))}
          </select>
        </span>
        <NumberField
          label="steps per run"
          value={s.steps}
          onChange={(v) => set('steps', v)}
          min={LAB_SETTINGS.steps.bounds.min}
          max={LAB_SETTINGS.steps.bounds.max}
          disabled={sweeping}
        />
        <NumberField
          label="seed"
          value={s.seed}
          onChange={(v) => set('seed', v)}
          min={0}
          max={LAB_SETTINGS.seed.bounds.max}
          disabled={sweeping}
        />
        {model && <span className="train-hint">Every run: {labRunLine(labBaseRun(s, model))}.</span>}
      </div>
      <fieldset className="paper-views">
        <legend>Analysis</legend>
        {LAB_VIEWS.map((v) => (
          <label key={v} className={v === s.view ? 'paper-view-on' : undefined}>
            <input type="radio" name="paper-view" value={v} checked={v === s.view} onChange={() => set('view', v)} />
            {LAB_VIEW_LABELS[v]}
          </label>
        ))}
      </fieldset>
      <SweepProgress lab={lab} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {model && s.view === 'rank' && <RankSweepView {...props} model={model} />}
      {model && s.view === 'budget' && <BudgetView {...props} model={model} />}
      {model && s.view === 'subspace' && <SubspaceView {...props} model={model} adapters={lm.adapters} />}
      {model && s.view === 'amplify' && <AmplifyView s={s} set={set} lab={lab} adapters={lm.adapters} />}
      <LabRecipe s={s} model={model} runs={lab.runs} choice={recipeRun} onChoice={setRecipeRun} disabled={sweeping} />
    </section>
  );
}
