/**
 * Convert the inspected adapter to PEFT or MLX (same ΔW, scalings mapped), or shrink it to rank k
 * by truncated SVD with the error per module, and download the result as a zip.
 */
import { useId, useState } from 'react';
import type { InspectReport } from '../../../engine/inspect/inspect';
import { errorMessage } from '../../../engine/types';
import type { ConvertedZip, ShrinkOutcome } from '../../../worker/inspectWorkerApi';
import { NumberField } from '../../components/NumberField';
import { downloadFile } from '../../download';
import { numberCodec, useParam } from '../../urlState';
import { bytesBinary, num } from './format';
import { inspectWorker } from './inspectClient';

type Done = { what: string; out: ConvertedZip | ShrinkOutcome };

export function ConvertPanel({ report }: { report: InspectReport }) {
  const id = useId();
  const maxR = Math.max(...report.totals.ranks);
  const [rank, setRank] = useParam('rank', Math.max(1, Math.floor(maxR / 2)), numberCodec(1, 1024));
  const [heads, setHeads] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<string | null>(null);
  const needsHeads =
    report.format === 'gguf' &&
    report.architecture === 'llama' &&
    report.modules.some((m) => /self_attn\.[qk]_proj$/.test(m.name));
  const sd = report.format === 'kohya';
  const headCount = heads.trim() === '' ? undefined : Number(heads);

  const act = async (what: string, job: () => Promise<ConvertedZip | ShrinkOutcome>) => {
    setBusy(what);
    setError(null);
    setDone(null);
    try {
      setDone({ what, out: await job() });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const api = inspectWorker();
  const shrink = done && 'modules' in done.out ? (done.out as ShrinkOutcome) : null;
  const worst = shrink ? [...shrink.modules].sort((a, b) => b.relative - a.relative).slice(0, 8) : [];

  return (
    <section className="panel" aria-labelledby="inspect-convert-title">
      <h2 id="inspect-convert-title">Convert or shrink</h2>
      {sd ? (
        <p>Stable Diffusion LoRAs are inspected here but not converted: this product works with language models.</p>
      ) : (
        <>
          <p>
            Conversions copy the factors unchanged and set r and α (or MLX’s scale) so that ΔW = s·B·A is exactly the
            update this file applies. Shrinking replaces each ΔW by its best rank-k approximation (Eckart–Young) and
            writes PEFT files with r = α = k.
          </p>
          {needsHeads && (
            <div className="controls">
              <label htmlFor={`${id}-heads`}>attention heads of the base</label>
              <input
                id={`${id}-heads`}
                className="short"
                inputMode="numeric"
                value={heads}
                onChange={(e) => setHeads(e.target.value)}
                placeholder="e.g. 32"
              />
              <span className="soft">llama.cpp stores q_proj and k_proj rows in its own rotary order</span>
            </div>
          )}
          <div className="controls">
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => void act('PEFT', () => api.convert('peft', headCount))}
            >
              Convert to PEFT
            </button>
            <button
              type="button"
              disabled={busy !== null || report.format === 'mlx'}
              onClick={() => void act('MLX', () => api.convert('mlx', headCount))}
            >
              Convert to MLX
            </button>
            <NumberField label="new rank k" className="short" min={1} max={1024} value={rank} onChange={setRank} />
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => void act(`rank ${rank}`, () => api.shrink(rank, headCount))}
            >
              Shrink to rank {rank}
            </button>
          </div>
        </>
      )}
      {busy && (
        <p role="status" aria-live="polite">
          Writing the {busy} files…
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {done && (
        <div role="status" data-testid="inspect-converted">
          <p className="ok">
            Ready: <span className="mono">{done.out.fileName}</span> ({bytesBinary(done.out.zip.length)}).{' '}
            <button type="button" className="primary" onClick={() => downloadFile(done.out.fileName, done.out.zip)}>
              Download {done.out.fileName}
            </button>
          </p>
          {done.out.notes.length > 0 && (
            <ul aria-label="conversion notes">
              {done.out.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          {shrink && (
            <>
              <p data-testid="inspect-shrink-total">
                Relative error over the whole adapter: {num(100 * shrink.relativeTotal)} % of ‖ΔW‖_F.
              </p>
              <table className="numbers">
                <caption>Modules with the largest error</caption>
                <thead>
                  <tr>
                    <th scope="col">module</th>
                    <th scope="col">r → k</th>
                    <th scope="col">‖ΔW − ΔW_k‖_F</th>
                    <th scope="col">of ‖ΔW‖_F</th>
                  </tr>
                </thead>
                <tbody>
                  {worst.map((m) => (
                    <tr key={m.name}>
                      <td className="mono">{m.name}</td>
                      <td>
                        {m.fromRank} → {m.toRank}
                      </td>
                      <td>{num(m.error)}</td>
                      <td>{num(100 * m.relative)} %</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </section>
  );
}
