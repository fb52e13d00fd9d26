/** The lab's settings, each kept in the URL hash (shareable, survives a reload). */
import { useMemo } from 'react';
import {
  DEFAULT_SETTINGS,
  LAYER_COUNT,
  LIMITS,
  TARGET_IDS,
  type LabSettings,
  type TargetId,
} from '../../../../engine/lab2d/spec';
import { enumCodec, numberCodec, useParam, type Codec } from '../../../urlState';

const targetCodec = enumCodec<TargetId>(TARGET_IDS);
const thetaCodec = numberCodec(...LIMITS.thetaDeg);
const lrCodec = numberCodec(...LIMITS.learningRate);
const stepsCodec: Codec<number> = { parse: (raw) => intIn(raw, LIMITS.totalSteps), format: String };
const seedCodec: Codec<number> = { parse: (raw) => intIn(raw, LIMITS.seed), format: String };
/** Layer indices as digits, "012" (the MLP has fewer than ten layers). */
const layersCodec: Codec<number[]> = {
  parse: (raw) => {
    const layers = [...new Set(raw.split('').map(Number))].sort();
    return raw !== '' && layers.every((l) => Number.isInteger(l) && l < LAYER_COUNT) ? layers : undefined;
  },
  format: (v) => [...v].sort().join(''),
};

function intIn(raw: string, [lo, hi]: readonly [number, number]): number | undefined {
  const v = Number(raw);
  return /^\d+$/.test(raw.trim()) && v >= lo && v <= hi ? v : undefined;
}

export interface LabSettingsApi {
  settings: LabSettings;
  setTarget: (v: TargetId) => void;
  setTheta: (v: number) => void;
  setLearningRate: (v: number) => void;
  setTotalSteps: (v: number) => void;
  setSeed: (v: number) => void;
  setLoraLayers: (v: number[]) => void;
}

export function useLabSettings(): LabSettingsApi {
  const [target, setTarget] = useParam('data', DEFAULT_SETTINGS.target, targetCodec);
  const [thetaDeg, setTheta] = useParam('theta', DEFAULT_SETTINGS.thetaDeg, thetaCodec);
  const [learningRate, setLearningRate] = useParam('lr', DEFAULT_SETTINGS.learningRate, lrCodec);
  const [totalSteps, setTotalSteps] = useParam('steps', DEFAULT_SETTINGS.totalSteps, stepsCodec);
  const [seed, setSeed] = useParam('seed', DEFAULT_SETTINGS.seed, seedCodec);
  const [loraLayers, setLoraLayers] = useParam('layers', DEFAULT_SETTINGS.loraLayers, layersCodec);
  const layersKey = loraLayers.join('');
  const settings = useMemo(
    () => ({ target, thetaDeg, learningRate, totalSteps, seed, loraLayers: layersKey.split('').map(Number) }),
    [target, thetaDeg, learningRate, totalSteps, seed, layersKey],
  );
  return { settings, setTarget, setTheta, setLearningRate, setTotalSteps, setSeed, setLoraLayers };
}
