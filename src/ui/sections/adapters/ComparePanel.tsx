/**
 * Two adapters (or the base) side by side on the same prompt and the same seeds: the Worker
 * activates one, samples, activates the other, samples, then puts back whatever was active.
 */
import { useId, useState } from 'react';
import type { Sample } from '../../../engine/session/types';
import { NumberField } from '../../components/NumberField';
import { numberCodec, setParams, stringCodec, useParam } from '../../urlState';
import { activeAdapter, type Workspace } from './useWorkspace';
import { errorMessage } from '../../../engine/types';

/** Stands for "no adapter" in the URL; adapter names cannot contain "~". */
export const BASE_CHOICE = '~base';

interface Column {
  choice: string;
  swapMs: number;
  samples: Sample[];
}

const label = (choice: string) => (choice === BASE_CHOICE ? 'base model only' : choice);

export function ComparePanel({ ws }: { ws: Workspace }) {
  const names = ws.lm.adapters.map((a) => a.name);
  const [compare] = useParam('compare', '', stringCodec);
  const [prompt, setPrompt] = useParam('prompt', 'Mar', stringCodec);
  const [seed, setSeed] = useParam('seed', 7, numberCodec(0, 1e9));
  const [count, setCount] = useParam('n', 4, numberCodec(1, 8));
  const [columns, setColumns] = useState<Column[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const ids = ['left', 'right', 'prompt'].map((k) => `${id}-${k}`);

  const options = [...names, BASE_CHOICE];
  const picked = compare.split(',');
  const valid = (c: string | undefined) => (c !== undefined && options.includes(c) ? c : undefined);
  const left = valid(picked[0]) ?? names[0] ?? BASE_CHOICE;
  const right = valid(picked[1]) ?? names.find((n) => n !== left) ?? BASE_CHOICE;
  const setPair = (a: string, b: string) => setParams({ compare: `${a},${b}` });
  const n = Math.round(count);

  const runCompare = async () => {
    setError(null);
    try {
      await ws.run('Comparing…', async (api) => {
        const before = activeAdapter(await api.workspace.adapters())?.name ?? null;
        const out: Column[] = [];
        try {
          for (const choice of [left, right]) {
            const t0 = performance.now();
            await api.workspace.activate(choice === BASE_CHOICE ? null : choice);
            const swapMs = performance.now() - t0;
            const prompts = Array.from({ length: n }, () => prompt);
            const samples = await api.samples(prompts, {
              maxNewTokens: 16,
              temperature: 0.8,
              seed: Math.round(seed),
              useAdapter: choice !== BASE_CHOICE,
            });
            out.push({ choice, swapMs, samples });
          }
        } finally {
          await api.workspace.activate(before);
        }
        setColumns(out);
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const disabled = ws.busy !== null || ws.lm.training || !ws.lm.model;
  return (
    <section className="panel" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare two</h2>
      <p className="soft">
        Same prompt, same seeds (temperature 0.8): any difference comes from the adapter. Swapping changes which A and B
        the layers add; the base weights stay where they are.
      </p>
      <div className="controls">
        <label htmlFor={ids[0]}>left</label>
        <select id={ids[0]} value={left} onChange={(e) => setPair(e.target.value, right)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {label(o)}
            </option>
          ))}
        </select>
        <label htmlFor={ids[1]}>right</label>
        <select id={ids[1]} value={right} onChange={(e) => setPair(left, e.target.value)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {label(o)}
            </option>
          ))}
        </select>
        <label htmlFor={ids[2]}>prompt</label>
        <input
          id={ids[2]}
          className="mono short"
          value={prompt}
          maxLength={24}
          onChange={(e) => setPrompt(e.target.value)}
        />
        <NumberField label="seed" value={Math.round(seed)} min={0} max={1e9} onChange={setSeed} />
        <NumberField label="samples" value={n} min={1} max={8} onChange={setCount} />
        <button className="primary" disabled={disabled} onClick={() => void runCompare()}>
          Compare
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {columns && (
        <div className="compare-grid" data-testid="compare-result">
          {columns.map((c, ci) => (
            <figure key={ci} className="compare-col">
              <figcaption>
                <strong className="mono">{label(c.choice)}</strong>{' '}
                <span className="soft">(swap {c.swapMs.toFixed(1)} ms)</span>
              </figcaption>
              <ol className="samples" aria-label={`samples from ${label(c.choice)}`}>
                {c.samples.map((s, i) => {
                  const other = columns[1 - ci]?.samples[i]?.text;
                  return (
                    <li key={i} className={other !== undefined && other !== s.text ? 'differs' : undefined}>
                      <span className="mono">{s.text || '∅'}</span>
                    </li>
                  );
                })}
              </ol>
            </figure>
          ))}
          <p className="soft compare-summary">
            {columns[0].samples.filter((s, i) => s.text !== columns[1]?.samples[i]?.text).length} of{' '}
            {columns[0].samples.length} samples differ (marked with a bar).
          </p>
        </div>
      )}
    </section>
  );
}
