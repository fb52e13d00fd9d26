/** One colour per run, shared by its panel, its small loss curve and the comparison chart. */
import type { RunId } from '../../../../engine/lab2d/spec';
import { DARK_ORANGE, GREY, OKABE_ITO } from '../../../../viz/palette';

export const RUN_COLORS: Record<RunId | 'base', string> = {
  base: GREY,
  r1: OKABE_ITO.green,
  r2: OKABE_ITO.purple,
  r4: OKABE_ITO.blue,
  full: DARK_ORANGE,
};
