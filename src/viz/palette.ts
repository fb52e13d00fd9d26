/**
 * The app's one palette for data. Okabe–Ito colours stay distinguishable with the common
 * colour-vision deficiencies; charts also tell series apart by dash, marker or label, never by
 * colour alone. Theme colours (text, accent, the two LoRA factors) are CSS variables in styles.css.
 */
export const OKABE_ITO = {
  orange: '#e69f00',
  sky: '#56b4e9',
  green: '#009e73',
  yellow: '#f0e442',
  blue: '#0072b2',
  vermillion: '#d55e00',
  purple: '#cc79a7',
} as const;

/** Okabe–Ito orange darkened to 4.5:1 against white, for a line that must read as strongly as text. */
export const DARK_ORANGE = '#b35c00';

/** Neutral grey for reference series (the base model, a baseline): 4.5:1 against white. */
export const GREY = '#767676';

/** Colours in order for series that bring none of their own. */
export const SERIES_COLORS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.green,
  OKABE_ITO.purple,
  OKABE_ITO.orange,
  OKABE_ITO.sky,
];
