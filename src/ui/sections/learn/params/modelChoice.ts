/**
 * Which model the Learn pages count parameters for: a built-in config.json or one the user
 * pasted (kept, like every setting, in the URL).
 */
import { useMemo } from 'react';
import { BUILTIN_MODELS } from '../../../../engine/learn/modelConfigs';
import { describeModel, describeModelText, type ModelArch } from '../../../../engine/paramCount';
import { enumCodec, stringCodec, useParam } from '../../../urlState';
import { errorMessage } from '../../../../engine/types';

export const MODEL_IDS = [...BUILTIN_MODELS.map((m) => m.id), 'custom'] as const;
export const modelCodec = enumCodec(MODEL_IDS as readonly string[]);

export function modelLabel(id: string): string {
  const m = BUILTIN_MODELS.find((b) => b.id === id);
  return m ? `${m.id} (${m.hub})` : 'your config.json';
}

/** error null and arch null: nothing to count yet (custom, nothing pasted). */
export type ArchResult = { arch: ModelArch; error: null } | { arch: null; error: string | null };

export function archFor(model: string, configText: string): ArchResult {
  try {
    if (model === 'custom') {
      if (!configText.trim()) return { arch: null, error: null };
      return { arch: describeModelText(configText), error: null };
    }
    const b = BUILTIN_MODELS.find((m) => m.id === model)!;
    return { arch: describeModel(b.config), error: null };
  } catch (e) {
    return { arch: null, error: errorMessage(e) };
  }
}

/** The model chosen on this page (URL params `model` and `config`) and its architecture. */
export function useModelChoice(fallback = 'gpt2') {
  const [model, setModel] = useParam('model', fallback, modelCodec);
  const [configText, setConfigText] = useParam('config', '', stringCodec);
  const result = useMemo(() => archFor(model, configText), [model, configText]);
  return { model, setModel, configText, setConfigText, ...result };
}
