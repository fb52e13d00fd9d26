import { useMemo, useState } from 'react';
import type { Mat } from '../../../../engine/linalg/dense';
import { lowRankPlusNoise, proceduralImage } from '../../../../engine/linalg/presets';
import { enumCodec, numberCodec, useParam } from '../../../urlState';
import { useMatrixParam } from '../rank/matrixParam';
import { UserFacingError } from '../../../../engine/types';
import { imageFileToMatrix } from './imageFile';

export const PRESETS = ['lowrank', 'image', 'upload', 'matrix'] as const;
export type Preset = (typeof PRESETS)[number];

export interface SourceSettings {
  preset: Preset;
  setPreset: (p: Preset) => void;
  size: number;
  setSize: (v: number) => void;
  trueRank: number;
  setTrueRank: (v: number) => void;
  noise: number;
  setNoise: (v: number) => void;
  seed: number;
  setSeed: (v: number) => void;
}

const SEED_W = [
  [2, 4, 6],
  [3, 6, 9],
  [4, 8, 12],
];

// The uploaded image lives for the page's lifetime (it cannot go in the URL).
let uploaded: { name: string; W: Mat } | null = null;

/** The matrix the SVD page decomposes, from URL state (and an uploaded image, kept in memory). */
export function useSvdSource() {
  const [preset, setPreset] = useParam<Preset>('preset', 'lowrank', enumCodec(PRESETS));
  const [size, setSize] = useParam('size', 32, numberCodec(8, 64));
  const [trueRank, setTrueRank] = useParam('trank', 4, numberCodec(1, 16));
  const [noise, setNoise] = useParam('noise', 0.1, numberCodec(0, 1));
  const [seed, setSeed] = useParam('seed', 1, numberCodec(1, 99));
  const [matrixW, , linkError] = useMatrixParam('W', SEED_W, 8);
  const [upload, setUpload] = useState(uploaded);
  const [fileError, setFileError] = useState<string | null>(null);

  const sizeI = Math.round(size / 8) * 8;
  const W: Mat | null = useMemo(() => {
    switch (preset) {
      case 'lowrank':
        return lowRankPlusNoise(sizeI, Math.min(Math.round(trueRank), sizeI), noise, Math.round(seed));
      case 'image':
        return proceduralImage(64);
      case 'matrix':
        return matrixW;
      case 'upload':
        return upload?.W ?? null;
    }
  }, [preset, sizeI, trueRank, noise, seed, matrixW, upload]);

  async function onFile(file: File) {
    setFileError(null);
    try {
      const W = await imageFileToMatrix(file);
      uploaded = { name: file.name, W };
      setUpload(uploaded);
    } catch (e) {
      setFileError(e instanceof UserFacingError ? e.message : `“${file.name}” could not be read: ${String(e)}`);
    }
  }

  const settings: SourceSettings = { preset, setPreset, size: sizeI, setSize, trueRank, setTrueRank, noise, setNoise, seed, setSeed };
  const isImage = preset === 'image' || preset === 'upload';
  return { W, settings, isImage, onFile, fileError, fileName: upload?.name ?? null, linkError: preset === 'matrix' ? linkError : null };
}
