/** Every Train setting as a URL parameter (useParam), so a run's configuration is a shareable link. */
import { CODECS, DEFAULTS, type TrainSettings } from './settings';
import { useParam } from '../../../urlState';

export type SetSetting = <K extends keyof TrainSettings>(key: K, value: TrainSettings[K]) => void;

export function useTrainSettings(): {
  settings: TrainSettings;
  set: SetSetting;
  module: string;
  setModule: (m: string) => void;
  log: boolean;
  setLog: (v: boolean) => void;
} {
  const [base, setBase] = useParam('base', DEFAULTS.base, CODECS.base);
  const [task, setTask] = useParam('task', DEFAULTS.task, CODECS.task);
  const [mode, setMode] = useParam('mode', DEFAULTS.mode, CODECS.mode);
  const [targets, setTargets] = useParam('targets', DEFAULTS.targets, CODECS.targets);
  const [r, setR] = useParam('r', DEFAULTS.r, CODECS.r);
  const [alpha, setAlpha] = useParam('alpha', DEFAULTS.alpha, CODECS.alpha);
  const [dropout, setDropout] = useParam('dropout', DEFAULTS.dropout, CODECS.dropout);
  const [init, setInit] = useParam('init', DEFAULTS.init, CODECS.init);
  const [rslora, setRslora] = useParam('rslora', DEFAULTS.rslora, CODECS.rslora);
  const [learningRate, setLr] = useParam('lr', DEFAULTS.learningRate, CODECS.lr);
  const [steps, setSteps] = useParam('steps', DEFAULTS.steps, CODECS.steps);
  const [batch, setBatch] = useParam('batch', DEFAULTS.batch, CODECS.batch);
  const [seq, setSeq] = useParam('seq', DEFAULTS.seq, CODECS.seq);
  const [seed, setSeed] = useParam('seed', DEFAULTS.seed, CODECS.seed);
  const [sampleTokens, setSampleTokens] = useParam('sample', DEFAULTS.sampleTokens, CODECS.sample);
  const [module, setModule] = useParam('module', '', CODECS.module);
  const [log, setLog] = useParam('log', true, CODECS.rslora);
  const settings: TrainSettings = {
    base,
    task,
    mode,
    targets,
    r: Math.round(r),
    alpha,
    dropout,
    init,
    rslora,
    learningRate,
    steps: Math.round(steps),
    batch: Math.round(batch),
    seq: Math.round(seq),
    seed: Math.round(seed),
    sampleTokens: Math.round(sampleTokens),
  };
  const setters: { [K in keyof TrainSettings]: (v: TrainSettings[K]) => void } = {
    base: setBase,
    task: setTask,
    mode: setMode,
    targets: setTargets,
    r: setR,
    alpha: setAlpha,
    dropout: setDropout,
    init: setInit,
    rslora: setRslora,
    learningRate: setLr,
    steps: setSteps,
    batch: setBatch,
    seq: setSeq,
    seed: setSeed,
    sampleTokens: setSampleTokens,
  };
  const set: SetSetting = (key, value) => setters[key](value);
  return { settings, set, module, setModule, log, setLog };
}
