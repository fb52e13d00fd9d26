/**
 * The one place the engine gets tfjs from. Everything in the engine imports `tf` from here so
 * that environment flags are set before any backend initialises.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
