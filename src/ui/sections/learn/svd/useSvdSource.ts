import { useEffect, useMemo, useState } from 'react';
import type { Mat } from '../../../../engine/linalg/dense';
import { lowRankPlusNoise, proceduralImage } from '../../../../engine/linalg/presets';
import { enumCodec, numberCodec, useParam } from '../../../urlState';
import { useMatrixParam } from '../../../components/matrixParam';
import { UserFacingError } from '../../../../engine/types';
import { imageFileToMatrix } from './imageFile';
import { loadWeightMatrix, WEIGHT_SOURCES } from './weightSources';
import { errorMessage } from '../../../../engine/types';

export const PRESETS = ['lowrank', 'image', 'upload', 'matrix', 'weight'] as const;
const WEIGHT_IDS = WEIGHT_SOURCES.map((w) => w.id);
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
  weight: string;
  setWeight: (id: string) => void;
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
  const [weight, setWeight] = useParam('layer', WEIGHT_IDS[0], enumCodec(WEIGHT_IDS));
  const [weightW, setWeightW] = useState<{ id: string; W: Mat | null; error: string | null } | null>(null);
  const [upload, setUpload] = useState(uploaded);

  useEffect(() => {
    if (preset !== 'weight') return;
    let live = true;
    const source = WEIGHT_SOURCES.find((w) => w.id === weight)!;
    loadWeightMatrix(source).then(
      (W) => live && setWeightW({ id: weight, W, error: null }),
      (e: unknown) => live && setWeightW({ id: weight, W: null, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [preset, weight]);
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
      case 'weight':
        return weightW?.id === weight ? weightW.W : null;
    }
  }, [preset, sizeI, trueRank, noise, seed, matrixW, upload, weightW, weight]);

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

  const settings: SourceSettings = {
    preset,
    setPreset,
    size: sizeI,
    setSize,
    trueRank,
    setTrueRank,
    noise,
    setNoise,
    seed,
    setSeed,
    weight,
    setWeight,
  };
  const weightError = preset === 'weight' && weightW?.id === weight ? weightW.error : null;
  const isImage = preset === 'image' || preset === 'upload';
  return {
    W,
    settings,
    isImage,
    onFile,
    fileError: fileError ?? weightError,
    fileName: upload?.name ?? null,
    linkError: preset === 'matrix' ? linkError : null,
  };
}
