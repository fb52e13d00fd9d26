/**
 * train_lora.py: one fixed Python program (pyData.ts + pyTrain.ts) with the run's settings
 * embedded as a JSON block that the program reads and nothing else changes.
 */
import { UserFacingError } from '../types';
import { TRAIN_LORA_PY_DATA } from './pyData';
import { TRAIN_LORA_PY_TRAIN } from './pyTrain';
import type { RecipeSettings } from './settings';

const PLACEHOLDER = '__SETTINGS_JSON__';
const OPEN = 'SETTINGS = json.loads(r"""';
const CLOSE = '""")';

/** The text of train_lora.py for these settings. */
export function trainLoraPy(settings: RecipeSettings): string {
  const json = JSON.stringify(settings, null, 2);
  // JSON never holds three quotes in a row (a quote inside a string is \"), and it ends in "}",
  // so it sits safely inside a Python raw triple-quoted string; checked anyway.
  if (json.includes('"""')) throw new UserFacingError('these settings cannot be embedded in Python');
  const program = TRAIN_LORA_PY_DATA + TRAIN_LORA_PY_TRAIN;
  return program.replace(PLACEHOLDER, `\n${json}\n`);
}

/**
 * The settings block read back from a train_lora.py text (what the script itself will read).
 * @throws UserFacingError when the text has no block or it is not valid JSON.
 */
export function settingsFromScript(py: string): RecipeSettings {
  const start = py.indexOf(OPEN);
  const end = start < 0 ? -1 : py.indexOf(CLOSE, start + OPEN.length);
  if (start < 0 || end < 0) throw new UserFacingError('this train_lora.py has no settings block');
  try {
    return JSON.parse(py.slice(start + OPEN.length, end)) as RecipeSettings;
  } catch {
    throw new UserFacingError('the settings block of this train_lora.py is not valid JSON');
  }
}
