/**
 * Weighted combinations of adapters into a new one (PEFT add_weighted_adapter): "cat" stacks the
 * factors and is exact, "svd" truncates Σ wᵢ·ΔWᵢ to a chosen rank and reports the error.
 */
import { useId, useState } from 'react';
import { NumberField } from '../../components/NumberField';
import { enumCodec, numberCodec, setParams, stringCodec, useParam } from '../../urlState';
import { formatMix, nameProblem, parseMix } from './format';
import { type Workspace } from './useWorkspace';
import { errorMessage } from '../../../engine/types';

type Method = 'cat' | 'svd';

interface MixResult {
  name: string;
  method: Method;
  rank: number;
  maxError: number | null;
}

export function MixPanel({ ws }: { ws: Workspace }) {
  const { adapters } = ws.lm;
  const [mixRaw] = useParam('mix', '', stringCodec);
  const [method, setMethod] = useParam<Method>('method', 'cat', enumCodec(['cat', 'svd'] as const));
  const [rank, setRank] = useParam('rank', 4, numberCodec(1, 256));
  const [name, setName] = useState('mix');
  const [result, setResult] = useState<MixResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const chosen = parseMix(mixRaw);
  // Until the user picks, every adapter takes part with weight 1/n.
  const weights = new Map(
    adapters.map((a) => [a.name, chosen.size > 0 ? chosen.get(a.name) : 1 / adapters.length] as const),
  );
  const sources = [...weights].filter((e): e is [string, number] => e[1] !== undefined);
  const setWeight = (n: string, w: number | undefined) => {
    const next = new Map(sources);
    if (w === undefined) next.delete(n);
    else next.set(n, w);
    setParams({ mix: next.size ? formatMix(next) : null });
  };
  const catRank = sources.reduce((s, [n]) => s + (adapters.find((a) => a.name === n)?.r ?? 0), 0);
  const problem =
    sources.length < 1
      ? 'Pick at least one source adapter.'
      : sources.some(([, w]) => !Number.isFinite(w))
        ? 'Every weight must be a number.'
        : nameProblem(
            name,
            adapters.map((a) => a.name),
          );

  const create = async () => {
    setError(null);
    if (problem) return setError(problem);
    try {
      await ws.run('Mixing…', async (api) => {
        const r = Math.round(rank);
        const res = await api.workspace.mix(
          name.trim(),
          sources.map(([n, w]) => ({ name: n, weight: w })),
          method,
          method === 'svd' ? r : undefined,
        );
        setResult({ name: res.name, method, rank: method === 'svd' ? r : catRank, maxError: res.maxError });
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const disabled = ws.busy !== null || ws.lm.training || adapters.length === 0;
  return (
    <section className="panel" aria-labelledby="mix-title">
      <h2 id="mix-title">Mix adapters into a new one</h2>
      {adapters.length === 0 ? (
        <p>Mixing needs at least one adapter on the base.</p>
      ) : (
        <>
          <table className="numbers mix-table">
            <caption className="sr-only">Source adapters and their weights</caption>
            <thead>
              <tr>
                <th scope="col">source</th>
                <th scope="col">r</th>
                <th scope="col">weight</th>
              </tr>
            </thead>
            <tbody>
              {adapters.map((a) => {
                const w = weights.get(a.name);
                return (
                  <tr key={a.name}>
                    <td>
                      <label>
                        <input
                          type="checkbox"
                          checked={w !== undefined}
                          onChange={(e) => setWeight(a.name, e.target.checked ? 1 : undefined)}
                        />{' '}
                        <span className="mono">{a.name}</span>
                      </label>
                    </td>
                    <td>{a.r}</td>
                    <td>
                      <NumberField
                        label={`weight of ${a.name}`}
                        hideLabel
                        value={w ?? null}
                        step={0.1}
                        disabled={w === undefined}
                        format={(v) => String(Number(v.toFixed(4)))}
                        onChange={(v) => setWeight(a.name, v)}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="controls">
            <fieldset className="seg" aria-label="combination method">
              {(['cat', 'svd'] as const).map((m) => (
                <label key={m}>
                  <input type="radio" name={`${id}-method`} checked={method === m} onChange={() => setMethod(m)} />
                  {m === 'cat' ? `cat (exact, r = Σ rᵢ = ${catRank})` : 'svd (truncate to rank)'}
                </label>
              ))}
            </fieldset>
            {method === 'svd' && (
              <>
                <NumberField label="rank" value={Math.round(rank)} min={1} max={256} onChange={setRank} />
              </>
            )}
            <label htmlFor={`${id}-name`}>new name</label>
            <input id={`${id}-name`} className="mono short" value={name} onChange={(e) => setName(e.target.value)} />
            <button className="primary" disabled={disabled} onClick={() => void create()}>
              Create mix
            </button>
          </div>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <p role="status" className="ok" data-testid="mix-result">
          Created <span className="mono">{result.name}</span> (r = α = {result.rank}, scaling 1):{' '}
          {result.maxError === null
            ? 'exact, its ΔW equals Σ wᵢ·ΔWᵢ.'
            : `largest Frobenius error ‖Σ wᵢ·ΔWᵢ − ΔW‖ over the layers: ${result.maxError.toExponential(2)}.`}
        </p>
      )}
      <p className="soft">
        Why not PEFT’s “linear”? It adds the factors scaled by √(wᵢ·sᵢ), so B·A picks up cross terms Bᵢ·Aⱼ between
        different adapters and is not Σ wᵢ·ΔWᵢ; “cat” stacks them instead, so its product is exactly the weighted sum.
      </p>
    </section>
  );
}
