/**
 * Merge the active adapter into the base (W ← W + s·B·A) and unmerge it (W ← W − s·B·A), measuring
 * the same greedy sample and the NLL of a fixed text in each state: merged must equal unmerged.
 */
import { useId, useState } from 'react';
import type { LmRemote } from '../../lm/lmClient';
import { stringCodec, useParam } from '../../urlState';
import { formatBytes, nats, tiny } from './format';
import { activeAdapter, type Workspace } from './useWorkspace';
import { errorMessage } from '../../../engine/types';

interface Measurement {
  state: 'unmerged' | 'merged' | 'unmerged again';
  adapter: string;
  sample: string;
  nll: number;
  /** Adapter weights a forward pass reads besides W (0 once folded in). */
  extraBytes: number;
  /** All tensors the backend holds (tf.memory). */
  tensorBytes: number;
}

async function measure(
  api: LmRemote,
  prompt: string,
  text: string,
): Promise<Omit<Measurement, 'state' | 'adapter' | 'extraBytes'>> {
  const [sample] = await api.samples([prompt], { maxNewTokens: 16, temperature: 0, seed: 0, useAdapter: true });
  const { nll } = await api.score(text, true);
  const { numBytes } = await api.memory();
  return { sample: sample.text, nll, tensorBytes: numBytes };
}

export function MergePanel({ ws }: { ws: Workspace }) {
  const active = activeAdapter(ws.lm.adapters);
  const [prompt] = useParam('prompt', 'Mar', stringCodec);
  const [text, setText] = useParam('text', 'Margaret', stringCodec);
  const [rows, setRows] = useState<Measurement[]>([]);
  const [error, setError] = useState<string | null>(null);
  const textId = useId();
  const disabled = ws.busy !== null || ws.lm.training || !active;

  const toggle = async (merge: boolean) => {
    if (!active) return;
    setError(null);
    try {
      await ws.run(merge ? `Merging ${active.name}…` : `Unmerging ${active.name}…`, async (api) => {
        // Unmerging continues the table of the same adapter's merge; merging starts a new one.
        const out: Measurement[] = !merge && rows[0]?.adapter === active.name ? [...rows] : [];
        if (merge)
          out.push({
            state: 'unmerged',
            adapter: active.name,
            extraBytes: active.bytes,
            ...(await measure(api, prompt, text)),
          });
        if (merge) await api.workspace.merge(active.name);
        else await api.workspace.unmerge(active.name);
        const state: Measurement['state'] = merge ? 'merged' : 'unmerged again';
        out.push({
          state,
          adapter: active.name,
          extraBytes: merge ? 0 : active.bytes,
          ...(await measure(api, prompt, text)),
        });
        setRows(out);
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const ref = rows[0];
  const maxDiff = rows.length > 1 ? Math.max(...rows.slice(1).map((r) => Math.abs(r.nll - ref.nll))) : null;
  const samplesMatch = rows.length > 1 && rows.every((r) => r.sample === ref.sample);
  return (
    <section className="panel" aria-labelledby="merge-title">
      <h2 id="merge-title">Merge and unmerge</h2>
      <p className="soft">
        Merging folds ΔW = s·B·A into W, so a forward pass reads no extra weights and costs nothing extra. Unmerging
        subtracts it again. The outputs must not change: same greedy sample, same NLL up to fp32 rounding.
      </p>
      <div className="controls">
        <label htmlFor={textId}>fixed text to score</label>
        <input
          id={textId}
          className="mono short"
          value={text}
          maxLength={32}
          onChange={(e) => setText(e.target.value)}
        />
        {active?.merged ? (
          <button className="primary" disabled={disabled} onClick={() => void toggle(false)}>
            Unmerge {active.name}
          </button>
        ) : (
          <button className="primary" disabled={disabled} onClick={() => void toggle(true)}>
            Merge {active ? active.name : 'the active adapter'} into W
          </button>
        )}
        {!active && <span className="soft">Activate an adapter in the list first.</span>}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {rows.length > 0 && (
        <>
          <p className="soft">
            Greedy sample of “{prompt}” (16 tokens) and the NLL of “{text}” with{' '}
            <span className="mono">{ref.adapter}</span>; “extra weights” are what a forward pass reads besides W, “all
            tensors” what the backend holds.
          </p>
          <table className="numbers merge-table" data-testid="merge-result">
            <caption className="sr-only">Outputs of {ref.adapter} before and after merging</caption>
            <thead>
              <tr>
                <th scope="col">state</th>
                <th scope="col">greedy sample</th>
                <th scope="col">NLL (nats/token)</th>
                <th scope="col">extra weights</th>
                <th scope="col">all tensors</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  <td>{r.state}</td>
                  <td className="mono">{r.sample}</td>
                  <td className="mono">{nats(r.nll)}</td>
                  <td>{r.extraBytes === 0 ? '0 B (in W)' : formatBytes(r.extraBytes)}</td>
                  <td>{formatBytes(r.tensorBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {maxDiff !== null && (
            <p role="status" className={samplesMatch && maxDiff < 1e-4 ? 'ok' : 'error'}>
              {samplesMatch ? 'Greedy samples identical' : 'Greedy samples differ'}; max |ΔNLL| ={' '}
              <span className="mono">{tiny(maxDiff)}</span>
              {samplesMatch && maxDiff < 1e-4 ? ' (fp32 rounding).' : '.'}
            </p>
          )}
          <p className="soft">
            While merged, A and B stay in memory only so that unmerge can subtract them; W itself is replaced in place,
            so the backend holds the same number of bytes.
          </p>
        </>
      )}
    </section>
  );
}
