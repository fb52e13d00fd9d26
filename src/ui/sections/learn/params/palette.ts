/**
 * Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. Charts also
 * tell series apart by dash, marker or label, never by colour alone.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

export const MEMORY_COLORS: Record<string, string> = {
  weights: OKABE_ITO.blue,
  master: OKABE_ITO.sky,
  gradients: OKABE_ITO.orange,
  adamM: OKABE_ITO.green,
  adamV: OKABE_ITO.purple,
};
