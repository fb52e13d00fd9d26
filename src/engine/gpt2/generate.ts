/** Generation lives with the family-independent model code; kept here for existing callers. */
export { generate, sampleToken, type GenerateOptions } from '../models/generate';
