/**
 * The page side of the 2-D lab: fetches the shipped base model (plain data) once the backend is
 * up, builds a FineTuneLab for the current settings, and drives it TF Playground-style: on each
 * animation frame, as many rounds of steps as fit in a small time budget, then one snapshot.
 * Every lab is disposed when the settings change, on Reset and on unmount.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { decodeBaseFiles, type BaseFiles } from '../../../../engine/lab2d/baseFile';
import { FineTuneLab, type LabSnapshot } from '../../../../engine/lab2d/lab';
import type { LabSettings } from '../../../../engine/lab2d/spec';
import { useBackend } from '../../../useBackend';
import { errorMessage } from '../../../../engine/types';

/**
 * Milliseconds of training per frame before the boundary is redrawn: at least one round (a step
 * of every run) per frame, more when rounds are fast (a real GPU), never enough to stall the page.
 */
const FRAME_BUDGET_MS = 12;
/** Heatmap cells per side. */
const GRID_RES = 48;
const MODEL_DIR = './models/mlp2d/';

export interface BaseMetrics {
  validation_accuracy: number;
  n_validation: number;
  steps: number;
  seed: number;
}

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url} (HTTP ${res.status})`);
  return res;
}

async function loadBase(): Promise<{ files: BaseFiles; metrics: BaseMetrics }> {
  const [config, weights, metrics] = await Promise.all([
    fetchOk(`${MODEL_DIR}config.json`).then((r) => r.text()),
    fetchOk(`${MODEL_DIR}model.safetensors`).then((r) => r.arrayBuffer()),
    fetchOk(`${MODEL_DIR}metrics.json`).then((r) => r.json() as Promise<BaseMetrics>),
  ]);
  return { files: decodeBaseFiles(config, new Uint8Array(weights)), metrics };
}

export interface ClassifierLabApi {
  snapshot: LabSnapshot | null;
  /** The target's training points (drawn on every panel). */
  points: FineTuneLab['train'] | null;
  metrics: BaseMetrics | null;
  playing: boolean;
  error: string | null;
  play: () => void;
  pause: () => void;
  step: () => void;
  reset: () => void;
}

export function useClassifierLab(settings: LabSettings): ClassifierLabApi {
  const backend = useBackend();
  const [base, setBase] = useState<{ files: BaseFiles; metrics: BaseMetrics } | null>(null);
  const [lab, setLab] = useState<FineTuneLab | null>(null);
  const [snapshot, setSnapshot] = useState<LabSnapshot | null>(null);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const labRef = useRef<FineTuneLab | null>(null);
  const { totalSteps } = settings;

  useEffect(() => {
    if (backend.status === 'error') setError(`No compute backend: ${backend.message}`);
    if (backend.status !== 'ready') return;
    let cancelled = false;
    loadBase().then(
      (b) => !cancelled && setBase(b),
      (e: unknown) => !cancelled && setError(`The base model did not load: ${errorMessage(e)}`),
    );
    return () => {
      cancelled = true;
    };
  }, [backend]);

  // A fresh lab for every change of data, θ, learning rate, seed or LoRA layers (and on Reset).
  const { target, thetaDeg, learningRate, seed, loraLayers } = settings;
  const layersKey = loraLayers.join('');
  useEffect(() => {
    if (!base) return;
    let cancelled = false;
    let created: FineTuneLab | null = null;
    setPlaying(false);
    setSnapshot(null);
    setError(null);
    const s: LabSettings = {
      target,
      thetaDeg,
      learningRate,
      seed,
      totalSteps,
      loraLayers: layersKey.split('').map(Number),
    };
    FineTuneLab.create(base.files, s, { gridRes: GRID_RES })
      .then(async (l) => {
        created = l;
        if (cancelled) return void l.dispose();
        labRef.current = l;
        setLab(l);
        const snap = await l.snapshot();
        if (!cancelled && snap) setSnapshot(snap);
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
      labRef.current = null;
      setLab(null);
      void created?.dispose();
    };
    // totalSteps is read once here; later changes move the limit of the live lab instead (below).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, target, thetaDeg, learningRate, seed, layersKey, generation]);

  useEffect(() => {
    if (!lab) return;
    try {
      lab.setTotalSteps(totalSteps);
      void lab.snapshot().then((s) => s && labRef.current === lab && setSnapshot(s));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [lab, totalSteps]);

  useEffect(() => {
    if (!playing || !lab) return;
    let cancelled = false;
    let raf = 0;
    const frame = async () => {
      const start = performance.now();
      do await lab.stepAll(1);
      while (!cancelled && !lab.done && performance.now() - start < FRAME_BUDGET_MS);
      const snap = await lab.snapshot();
      if (cancelled) return;
      if (snap) setSnapshot(snap);
      if (lab.done) setPlaying(false);
      else raf = requestAnimationFrame(() => void frame().catch(fail));
    };
    const fail = (e: unknown) => {
      if (cancelled) return;
      setError(errorMessage(e));
      setPlaying(false);
    };
    raf = requestAnimationFrame(() => void frame().catch(fail));
    return () => {
      cancelled = true;
      cancelAnimationFrame(raf);
    };
  }, [playing, lab]);

  const play = useCallback(() => {
    if (lab && !lab.done) setPlaying(true);
  }, [lab]);
  const pause = useCallback(() => setPlaying(false), []);
  const step = useCallback(() => {
    if (!lab) return;
    setPlaying(false);
    void lab
      .stepAll(1)
      .then(() => lab.snapshot())
      .then((s) => s && labRef.current === lab && setSnapshot(s))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [lab]);
  const reset = useCallback(() => setGeneration((g) => g + 1), []);

  return {
    snapshot,
    points: lab?.train ?? null,
    metrics: base?.metrics ?? null,
    playing,
    error,
    play,
    pause,
    step,
    reset,
  };
}
