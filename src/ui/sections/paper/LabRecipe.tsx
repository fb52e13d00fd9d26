/**
 * The paper lab's "Take it further": any of its finished runs (or the lab's current settings) as
 * a PEFT + Accelerate recipe.
 */
import { useId } from 'react';
import type { ShippedTaskId } from '../../../engine/data/tasks';
import type { ModelSummary } from '../../../engine/session/types';
import type { LabRun } from '../../../worker/lmWorkerApi';
import { RecipeButton } from '../../recipe/RecipeButton';
import { recordResult, type RecipeRun } from '../../recipe/recipeInput';
import { shippedTask } from '../train/lm/datasets';
import { formatLoss } from './labFormat';
import { labBaseRun, type LabSettings } from './labSettings';

const CURRENT = '';

export function LabRecipe({
  s,
  model,
  runs,
  choice,
  onChoice,
  disabled,
}: {
  s: LabSettings;
  model: ModelSummary | null;
  runs: LabRun[];
  /** The lab run to write out ('' for the current settings). */
  choice: string;
  onChoice: (name: string) => void;
  disabled: boolean;
}) {
  const id = useId();
  const picked = runs.find((r) => r.name === choice) ?? null;

  async function run(): Promise<RecipeRun> {
    if (picked) {
      return {
        settings: picked.settings,
        dataset: await shippedTask(picked.task as ShippedTaskId),
        result: recordResult({ ...picked, finalValidationLoss: picked.validationLoss }),
      };
    }
    if (!model) throw new Error('no base model is loaded yet');
    return { settings: labBaseRun(s, model), dataset: await shippedTask(s.task) };
  }

  return (
    <section className="panel paper-view" aria-labelledby="lab-recipe-title">
      <h2 id="lab-recipe-title">Take it further: PEFT + Accelerate</h2>
      <p className="train-hint">
        A run as a Python project: train_lora.py with the same LoraConfig, AdamW, schedule, batch, seed and data split,
        pinned requirements, and a README to launch it on one GPU, several GPUs or several machines.
      </p>
      <span className="train-field">
        <label htmlFor={id}>run</label>
        <select id={id} value={picked ? picked.name : CURRENT} onChange={(e) => onChoice(e.target.value)}>
          <option value={CURRENT}>the lab’s current settings (r = 8, {s.steps} steps)</option>
          {runs.map((r) => (
            <option key={r.name} value={r.name}>
              {r.name} ({r.dataset}, {r.steps} steps, validation loss {formatLoss(r.validationLoss)})
            </option>
          ))}
        </select>
      </span>
      <RecipeButton run={run} blocked={disabled ? 'Wait for the sweep to finish.' : null} />
    </section>
  );
}
