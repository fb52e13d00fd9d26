import { useId, useState } from 'react';
import { BASE_CONFIG, LAYER_COUNT, LIMITS, TARGET_IDS, TARGETS, type TargetId } from '../../../../engine/lab2d/spec';
import { NumberField } from '../../../components/NumberField';
import { Slider } from '../../../components/Slider';
import type { LabSettingsApi } from './useLabSettings';

const LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1];

export function LabControls({ api }: { api: LabSettingsApi }) {
  const { settings: s } = api;
  const dataId = useId();
  const lrId = useId();
  const [layerMsg, setLayerMsg] = useState<string | null>(null);
  const lrs = LEARNING_RATES.includes(s.learningRate)
    ? LEARNING_RATES
    : [...LEARNING_RATES, s.learningRate].sort((a, b) => a - b);
  const toggleLayer = (l: number, on: boolean) => {
    const next = on ? [...s.loraLayers, l].sort() : s.loraLayers.filter((x) => x !== l);
    if (next.length === 0) {
      setLayerMsg('LoRA needs at least one layer: keep one checked.');
      return;
    }
    setLayerMsg(null);
    api.setLoraLayers(next);
  };
  return (
    <div className="lab-controls">
      <div className="controls">
        <span className="field">
          <label htmlFor={dataId}>new data</label>
          <select id={dataId} value={s.target} onChange={(e) => api.setTarget(e.target.value as TargetId)}>
            {TARGET_IDS.map((t) => (
              <option key={t} value={t}>
                {TARGETS[t].label}
              </option>
            ))}
          </select>
        </span>
        <Slider
          label="rotation θ"
          value={s.thetaDeg}
          min={LIMITS.thetaDeg[0]}
          max={LIMITS.thetaDeg[1]}
          step={5}
          onChange={api.setTheta}
          format={(v) => `${v}°`}
        />
        <span className="field">
          <label htmlFor={lrId}>learning rate</label>
          <select id={lrId} value={s.learningRate} onChange={(e) => api.setLearningRate(Number(e.target.value))}>
            {lrs.map((lr) => (
              <option key={lr} value={lr}>
                {lr}
              </option>
            ))}
          </select>
        </span>
        <NumberField
          label="steps"
          value={s.totalSteps}
          min={LIMITS.totalSteps[0]}
          max={LIMITS.totalSteps[1]}
          onChange={api.setTotalSteps}
        />
        <NumberField label="seed" value={s.seed} min={LIMITS.seed[0]} max={LIMITS.seed[1]} onChange={api.setSeed} />
      </div>
      <fieldset className="layer-picker">
        <legend>LoRA on layers (target_modules)</legend>
        {Array.from({ length: LAYER_COUNT }, (_, l) => {
          const [dIn, dOut] = [BASE_CONFIG.sizes[l], BASE_CONFIG.sizes[l + 1]];
          return (
            <label key={l}>
              <input
                type="checkbox"
                checked={s.loraLayers.includes(l)}
                onChange={(e) => toggleLayer(l, e.target.checked)}
              />
              <code>layers.{l}</code> ({dIn}→{dOut}, r·{dIn + dOut} params)
            </label>
          );
        })}
        {layerMsg && (
          <span role="alert" className="error field-msg">
            {layerMsg}
          </span>
        )}
      </fieldset>
    </div>
  );
}
