/** Every Train setting as a URL parameter, from the schema tables, so a run's configuration is a shareable link. */
import { useCallback } from 'react';
import { useSettings, type SetSetting as SetSchemaSetting } from '../../../urlSchema';
import { TRAIN_SETTINGS, VIEW_SETTINGS, type TrainSettings, type TrainView } from './settings';

export type SetSetting = SetSchemaSetting<TrainSettings>;

export function useTrainSettings(): {
  settings: TrainSettings;
  set: SetSetting;
  module: string;
  setModule: (m: string) => void;
  log: boolean;
  setLog: (v: boolean) => void;
} {
  const [settings, set] = useSettings<TrainSettings>(TRAIN_SETTINGS);
  const [view, setView] = useSettings<TrainView>(VIEW_SETTINGS);
  const setModule = useCallback((m: string) => setView('module', m), [setView]);
  const setLog = useCallback((v: boolean) => setView('log', v), [setView]);
  return { settings, set, module: view.module, setModule, log: view.log, setLog };
}
