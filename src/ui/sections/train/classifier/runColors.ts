/** One colour per run, shared by its panel, its small loss curve and the comparison chart (Okabe–Ito). */
import type { RunId } from '../../../../engine/lab2d/spec';

export const RUN_COLORS: Record<RunId | 'base', string> = {
  base: '#7a7a7a',
  r1: '#009e73',
  r2: '#cc79a7',
  r4: '#0072b2',
  full: '#b35c00',
};
