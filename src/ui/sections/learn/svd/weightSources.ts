import type { Mat } from '../../../../engine/linalg/dense';
import { readSafetensors } from '../../../../engine/safetensors';

/** A real weight matrix of the shipped tiny GPT-2, offered as an SVD preset. */
export interface WeightSource {
  id: string;
  /** E.g. "block 0 · attn.c_proj". */
  label: string;
  /** HF tensor name in public/models/tiny/model.safetensors (Conv1D layout [d_in, d_out]). */
  tensor: string;
  /** Columns of W = [d_out, d_in] to keep, when the layer is wider than the page shows. */
  rows: [number, number];
}

export const WEIGHT_SOURCES: WeightSource[] = [
  {
    id: 'h0-attn-proj',
    label: 'block 0 · attn.c_proj (output projection)',
    tensor: 'transformer.h.0.attn.c_proj.weight',
    rows: [0, 96],
  },
  {
    id: 'h0-q',
    label: 'block 0 · attn.c_attn, the query third (W_q)',
    tensor: 'transformer.h.0.attn.c_attn.weight',
    rows: [0, 96],
  },
  {
    id: 'h0-v',
    label: 'block 0 · attn.c_attn, the value third (W_v)',
    tensor: 'transformer.h.0.attn.c_attn.weight',
    rows: [192, 288],
  },
  { id: 'h1-attn-proj', label: 'block 1 · attn.c_proj', tensor: 'transformer.h.1.attn.c_proj.weight', rows: [0, 96] },
];

const MAX = 96;
let file: Promise<ReturnType<typeof readSafetensors>> | null = null;

/**
 * W = [d_out, d_in] (PyTorch's nn.Linear orientation, the paper's W₀) of one shipped layer:
 * GPT-2 stores Conv1D weights as [d_in, d_out], so the stored matrix is transposed here, then
 * cropped to at most 96×96 so the page stays fast.
 */
export async function loadWeightMatrix(source: WeightSource): Promise<Mat> {
  file ??= fetch(new URL('./models/tiny/model.safetensors', window.location.href))
    .then((r) => {
      if (!r.ok) throw new Error(`the shipped model is not available (HTTP ${r.status})`);
      return r.arrayBuffer();
    })
    .then((b) => readSafetensors(new Uint8Array(b)))
    .catch((e: unknown) => {
      file = null;
      throw e;
    });
  const { tensors } = await file;
  const t = tensors.get(source.tensor);
  if (!t || t.shape.length !== 2) throw new Error(`${source.tensor} is not in the shipped model`);
  const [dIn, dOut] = t.shape;
  const [r0, r1] = [source.rows[0], Math.min(source.rows[1], dOut)];
  const cols = Math.min(dIn, MAX);
  const W: Mat = [];
  for (let o = r0; o < Math.min(r1, r0 + MAX); o++) {
    const row = new Array<number>(cols);
    for (let i = 0; i < cols; i++) row[i] = t.data[i * dOut + o];
    W.push(row);
  }
  return W;
}
