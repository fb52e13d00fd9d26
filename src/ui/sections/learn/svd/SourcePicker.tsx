import { useState, type DragEvent } from 'react';
import { Slider } from '../../../components/Slider';
import { WEIGHT_SOURCES } from './weightSources';
import type { Preset, SourceSettings } from './useSvdSource';

const LABELS: Record<Preset, string> = {
  lowrank: 'Random low rank + noise',
  image: 'Built-in picture (64×64)',
  upload: 'Your image',
  matrix: 'The matrix from Rank',
  weight: 'A weight matrix of the shipped tiny GPT-2',
};

interface Props {
  s: SourceSettings;
  onFile: (file: File) => void;
  fileError: string | null;
  fileName: string | null;
}

/** Which matrix to decompose, and the knobs of that preset. */
export function SourcePicker({ s, onFile, fileError, fileName }: Props) {
  const [over, setOver] = useState(false);
  function drop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) onFile(f);
  }
  return (
    <>
      <fieldset className="svd-sources">
        <legend>Matrix</legend>
        {(Object.keys(LABELS) as Preset[]).map((p) => (
          <label key={p}>
            <input type="radio" name="svd-preset" checked={s.preset === p} onChange={() => s.setPreset(p)} />
            {LABELS[p]}
          </label>
        ))}
      </fieldset>
      {s.preset === 'lowrank' && (
        <div className="controls">
          <Slider
            label="size"
            value={s.size}
            min={8}
            max={64}
            step={8}
            onChange={s.setSize}
            format={(v) => `${v}×${v}`}
          />
          <Slider label="true rank" value={s.trueRank} min={1} max={16} onChange={s.setTrueRank} />
          <Slider
            label="noise"
            value={s.noise}
            min={0}
            max={1}
            step={0.05}
            onChange={s.setNoise}
            format={(v) => v.toFixed(2)}
          />
          <Slider label="random seed" value={s.seed} min={1} max={99} onChange={s.setSeed} />
        </div>
      )}
      {s.preset === 'weight' && (
        <div className="controls">
          <label>
            layer{' '}
            <select value={s.weight} onChange={(e) => s.setWeight(e.target.value)}>
              {WEIGHT_SOURCES.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
          <span className="note">
            W₀ = [d_out, d_in], up to 96×96. Pretrained weights are full rank, but their spectrum decays.
          </span>
          {fileError && (
            <p className="error" role="alert">
              {fileError}
            </p>
          )}
        </div>
      )}
      {s.preset === 'upload' && (
        <div
          className={`svd-drop${over ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={drop}
        >
          <label>
            Pick an image, or drop one here:{' '}
            <input type="file" accept="image/*" onChange={(e) => e.target.files?.[0] && onFile(e.target.files[0])} />
          </label>
          <p className="note" style={{ margin: '0.4rem 0 0' }}>
            {fileName ? `Using “${fileName}”, ` : ''}downsampled to at most 96×96 and made grayscale. It stays on this
            page: images are not put in the link.
          </p>
          {fileError && (
            <p className="error" role="alert">
              {fileError}
            </p>
          )}
        </div>
      )}
    </>
  );
}
