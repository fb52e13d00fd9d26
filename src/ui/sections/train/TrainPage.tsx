import { useEffect, useRef, useState } from 'react';
import type { TextDataset } from '../../../engine/data/tasks';
import { withCommas } from '../../../engine/peftLine';
import type { TrainMode } from '../../../engine/train/gpt2Trainer';
import {
  currentTokenizerJson,
  ensureModel,
  fetchShippedModelFiles,
  loadModel,
  setLmState,
  SHIPPED_MODEL,
  useLm,
} from '../../lm/lmClient';
import { ByoModel } from './lm/ByoModel';
import { ComparePanel } from './lm/ComparePanel';
import { shippedTask } from './lm/datasets';
import { DeltaWPanel } from './lm/DeltaWPanel';
import { LossPanel } from './lm/LossPanel';
import { useOwnModel } from './lm/ownModel';
import { formatBytes } from '../../../engine/format/bytes';
import { RunControls } from './lm/RunControls';
import { loadDeltaW, sampleNow, startRun, useRun } from './lm/runStore';
import { SamplesPanel } from './lm/SamplesPanel';
import { settingsProblem, toPlan, toRunSettings, validTargets } from './lm/settings';
import { SettingsForm } from './lm/SettingsForm';
import { useTrainSettings } from './lm/useTrainSettings';
import { UserTextInput, useUserText } from './lm/UserTextInput';
import { TrainRecipe } from '../../recipe/TrainRecipe';
import './lm/train.css';
import { errorMessage } from '../../../engine/types';

const ACTIVE = new Set(['starting', 'running', 'pausing', 'paused', 'stopping']);

export default function TrainPage() {
  const lm = useLm();
  const own = useOwnModel();
  const view = useRun();
  const userText = useUserText();
  const { settings, set, module, setModule, log, setLog } = useTrainSettings();
  const [pageError, setPageError] = useState<string | null>(null);
  const active = ACTIVE.has(view.status) || lm.training;
  const model = lm.model;

  // Load the chosen base model (once per choice: a failed load is reported, not retried in a loop).
  const attempted = useRef<string | null>(null);
  useEffect(() => {
    attempted.current = null; // a new choice may load again
  }, [settings.base]);
  useEffect(() => {
    if (lm.loading || lm.training) return;
    const want = settings.base === 'own' ? (own?.name ?? null) : SHIPPED_MODEL.name;
    if (want === null || model?.name === want || attempted.current === want) return;
    attempted.current = want;
    if (settings.base === 'own' && own) void loadModel(own);
    else if (!model) void ensureModel();
    else
      void fetchShippedModelFiles().then(loadModel, (e: unknown) =>
        setLmState({ error: `Could not fetch the shipped model: ${errorMessage(e)}` }),
      );
  }, [settings.base, own, model, lm.loading, lm.training]);

  const loraRecord = view.records.lora;
  const lastAdapter = loraRecord?.adapterName ? lm.adapters.find((a) => a.name === loraRecord.adapterName) : undefined;
  const moduleTargets =
    lastAdapter && !active ? lastAdapter.targets : model ? validTargets(settings.targets, model) : [];
  const modules = model
    ? model.modules.map((m) => m.name).filter((n) => moduleTargets.some((t) => n === t || n.endsWith(`.${t}`)))
    : [];
  const chosenModule = modules.includes(module) ? module : (modules[0] ?? '');

  async function datasetNow(): Promise<TextDataset> {
    if (settings.task !== 'user') return shippedTask(settings.task);
    if (!userText.prepared)
      throw new Error(userText.error ?? 'Paste some text or choose a .txt file first (task "Your text").');
    return userText.prepared.dataset;
  }

  async function start(mode: TrainMode, fromRecord = false) {
    if (!model) return;
    setPageError(null);
    try {
      const rec = fromRecord ? loraRecord : undefined;
      const runSettings = rec ? { ...rec.settings, mode } : toRunSettings(settings, model, mode);
      const dataset = rec ? rec.dataset : await datasetNow();
      const plan = toPlan(
        runSettings.totalSteps,
        dataset.samplePrompts,
        mode === 'lora' ? chosenModule || null : null,
        settings.sampleTokens,
      );
      await startRun({ settings: runSettings, plan, dataset, modelName: model.name });
    } catch (e) {
      setPageError(errorMessage(e));
    }
  }

  async function sample() {
    setPageError(null);
    try {
      const ds = await datasetNow();
      const activeAdapter = lm.adapters.find((a) => a.active)?.name ?? null;
      await sampleNow(ds.samplePrompts, activeAdapter, settings.sampleTokens);
    } catch (e) {
      setPageError(errorMessage(e));
    }
  }

  function chooseModule(m: string) {
    setModule(m);
    if (!active && lastAdapter) void loadDeltaW(m, lastAdapter.name);
  }

  const blocked =
    settingsProblem(settings, model) ??
    (settings.task === 'user' && !userText.prepared ? 'Give your text first (below the settings).' : null);
  const ownMissing = settings.base === 'own' && !own;

  return (
    <section aria-labelledby="section-title" className="train-page">
      <h1 id="section-title">Train a LoRA adapter</h1>
      <p className="lede">
        Fine-tune a small language model (the shipped GPT-2, or your own GPT-2, Llama or Qwen2) on a new style of text,
        in a Web Worker on your own device. Only A and B train; W₀ stays frozen. Watch the loss fall, the samples
        change, and ΔW = s·B·A take shape with at most r non-zero singular values.
      </p>
      <div className="train-model" role="status" aria-label="Base model">
        {model ? (
          <>
            Base model <strong>{model.name}</strong>: {model.dims.layers} layers ({model.familyLabel}), width{' '}
            {model.dims.hidden}, context {model.dims.nPositions}, {model.tokenizer === 'char' ? 'character' : 'BPE'}{' '}
            tokenizer ({model.vocabSize} tokens), {withCommas(model.baseParams)} parameters (
            {formatBytes(model.weightBytes)}).
          </>
        ) : lm.loading ? (
          <>Loading {lm.loading}…</>
        ) : (
          <>No base model loaded yet.</>
        )}
        {lm.loading && model && <> Loading {lm.loading}…</>}
      </div>
      {lm.error && (
        <p className="error" role="alert">
          {lm.error}
          {model ? ` The previous model (${model.name}) is still loaded and usable.` : ''}
        </p>
      )}
      {ownMissing && (
        <p className="callout callout-warn">
          This link asks for your own model, but files from your disk are never uploaded or stored: choose them again
          under “Load your own model” (a model downloaded from the Hub is kept: Use it there), or switch the base model
          to the shipped one.
        </p>
      )}
      <div className="train-layout">
        <div className="panel train-panel">
          <h2>Settings</h2>
          <SettingsForm settings={settings} set={set} model={model} ownName={own?.name ?? null} disabled={active} />
          {settings.task === 'user' && (
            <UserTextInput
              tokenizerJson={model ? currentTokenizerJson() : null}
              seed={settings.seed}
              disabled={active}
            />
          )}
        </div>
        <div className="panel train-panel train-live" data-present="train-run">
          <h2>Training</h2>
          <RunControls
            view={view}
            backend={lm.backend}
            blocked={lm.loading ? `Loading ${lm.loading}…` : blocked}
            onStart={() => void start(settings.mode)}
          />
          {pageError && (
            <p className="error" role="alert">
              {pageError}
            </p>
          )}
          <LossPanel view={view} plannedSteps={settings.steps} />
          {view.status === 'done' && view.result?.run.mode === 'lora' && (
            <p>
              The adapter <strong>{view.result.run.adapterName}</strong> stays on the base model in the Worker.{' '}
              <a href="#/adapters">Open in Adapters</a> to export it for PEFT, merge it or mix it with others.
            </p>
          )}
        </div>
      </div>
      <SamplesPanel view={view} onSample={model && !active ? () => void sample() : null} />
      <DeltaWPanel
        modules={modules}
        module={chosenModule}
        onModule={chooseModule}
        view={view.deltaW}
        log={log}
        onLog={setLog}
        live={active && view.mode === 'lora'}
      />
      <ComparePanel
        view={view}
        active={active}
        onCompare={loraRecord && model && !active ? () => void start('full', true) : null}
      />
      <TrainRecipe />
      <ByoModel onLoaded={() => set('base', 'own')} disabled={active || lm.loading !== null} />
    </section>
  );
}
