/**
 * The Train page's "Take it further" panel: the last finished LoRA run (or, before one, the
 * current settings) as a PEFT + Accelerate recipe. Self-contained: it reads the run through the
 * run store's and the settings' own hooks.
 */
import { useLm } from '../lm/lmClient';
import { shippedTask } from '../sections/train/lm/datasets';
import { useRun } from '../sections/train/lm/runStore';
import { toRunSettings } from '../sections/train/lm/settings';
import { useTrainSettings } from '../sections/train/lm/useTrainSettings';
import { useUserText } from '../sections/train/lm/UserTextInput';
import { RecipeButton } from './RecipeButton';
import { recordResult, type RecipeRun } from './recipeInput';

export function TrainRecipe() {
  const lm = useLm();
  const view = useRun();
  const { settings } = useTrainSettings();
  const userText = useUserText();
  const rec = view.records.lora;
  const model = lm.model;
  const backend =
    (view.result?.run.adapterName === rec?.adapterName ? view.result?.backend.name : null) ?? lm.backend?.name;

  async function run(): Promise<RecipeRun> {
    if (rec) return { settings: rec.settings, dataset: rec.dataset, result: recordResult(rec, backend) };
    if (!model) throw new Error('no base model is loaded yet');
    if (settings.task === 'user' && !userText.prepared) throw new Error('give your text first');
    const dataset = settings.task === 'user' ? userText.prepared!.dataset : await shippedTask(settings.task);
    return { settings: toRunSettings(settings, model, 'lora'), dataset };
  }

  const busy = lm.training || ['starting', 'running', 'pausing', 'paused', 'stopping'].includes(view.status);
  return (
    <section className="panel train-panel" aria-labelledby="recipe-title">
      <h2 id="recipe-title">Take it further: PEFT + Accelerate</h2>
      <p className="train-hint">
        {rec
          ? `The run ${rec.adapterName ? `“${rec.adapterName}” ` : ''}(${rec.taskLabel}, ${rec.steps} steps, validation loss ${rec.finalValidationLoss.toFixed(4)})`
          : 'The current settings (not trained here yet)'}{' '}
        as a Python project: the same LoraConfig, AdamW, warm-up + cosine schedule, batch, sequence length, seed and
        data, for one GPU, several GPUs or several machines. Its adapter imports back into this app.
      </p>
      <RecipeButton run={run} blocked={busy ? 'Wait for the run to finish.' : null} />
    </section>
  );
}
