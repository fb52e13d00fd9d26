import type { Mat } from '../../../../engine/linalg/dense';

/** A real weight matrix offered as an SVD preset. */
export interface WeightSource {
  id: string;
  /** E.g. "GPT-2 tiny · block 0 · attn.c_attn (first 96×96)". */
  label: string;
  load(): Promise<Mat>;
}

/**
 * EXTENSION POINT. The issue asks for "a real weight matrix of the shipped model when it exists".
 * No model ships with the app yet, so this list is empty and the SVD page says so. When one does,
 * register loaders here (reading the shipped safetensors, cropping to ≤ 96×96); nothing else in
 * the page needs to change.
 */
export const WEIGHT_SOURCES: WeightSource[] = [];
