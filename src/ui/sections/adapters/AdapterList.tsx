/**
 * The adapters on the loaded base: activate one (a pointer change in the Worker, no reload of the
 * base), base model only, rename inline, delete after a confirmation.
 */
import { useState } from 'react';
import type { AdapterInfo } from '../../../engine/session/types';
import { type Workspace } from './useWorkspace';
import { formatBytes, nameProblem, shortTargets, withCommas } from './format';
import { errorMessage } from '../../../engine/types';

function RenameForm({
  adapter,
  taken,
  ws,
  onDone,
}: {
  adapter: AdapterInfo;
  taken: string[];
  ws: Workspace;
  onDone: () => void;
}) {
  const [value, setValue] = useState(adapter.name);
  const [error, setError] = useState<string | null>(null);
  const problem = nameProblem(value, taken, adapter.name);
  const submit = async () => {
    const to = value.trim();
    if (problem) return setError(problem);
    if (to === adapter.name) return onDone();
    try {
      await ws.run(`Renaming ${adapter.name}…`, async (api) => {
        await api.workspace.renameAdapter(adapter.name, to);
        await ws.storageRename(adapter.name, to);
      });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form
      className="rename"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <input
        aria-label={`New name for ${adapter.name}`}
        value={value}
        autoFocus
        aria-invalid={problem !== null}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => e.key === 'Escape' && onDone()}
      />
      <button type="submit" disabled={ws.busy !== null}>
        Save name
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      {(error ?? problem) && (
        <span role="alert" className="error">
          {error ?? problem}
        </span>
      )}
    </form>
  );
}

export function AdapterList({ ws }: { ws: Workspace }) {
  const { adapters } = ws.lm;
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [swapMs, setSwapMs] = useState<number | null>(null);
  // The radio a click chose, shown checked until the Worker confirms (undefined: none pending).
  const [pending, setPending] = useState<string | null | undefined>(undefined);
  const disabled = ws.busy !== null || ws.lm.training;
  const names = adapters.map((a) => a.name);

  const activate = async (name: string | null) => {
    setError(null);
    setPending(name);
    try {
      await ws.run(name ? `Activating ${name}…` : 'Disabling adapters…', async (api) => {
        const t0 = performance.now();
        await api.workspace.activate(name);
        setSwapMs(performance.now() - t0);
      });
    } catch (e) {
      setError(errorMessage(e));
    }
    setPending(undefined);
  };
  const remove = async (name: string) => {
    setError(null);
    try {
      await ws.run(`Deleting ${name}…`, async (api) => {
        await api.workspace.deleteAdapter(name);
        await ws.storageRemove(name);
      });
    } catch (e) {
      setError(errorMessage(e));
    }
    setConfirming(null);
  };

  const isChecked = (a: AdapterInfo) => (pending !== undefined ? pending === a.name : a.active);
  const noneActive = pending !== undefined ? pending === null : !adapters.some((a) => a.active);
  return (
    <section className="panel adapters-list" aria-labelledby="list-title">
      <h2 id="list-title">Adapters on {ws.lm.model?.name ?? 'the base'}</h2>
      {adapters.length === 0 ? (
        <p>
          No adapters yet. Train one on the <a href="#/train">Train</a> page, or import a PEFT adapter below.
        </p>
      ) : (
        <table className="numbers adapters-table">
          <caption className="sr-only">Adapters on the loaded base model</caption>
          <thead>
            <tr>
              <th scope="col">active</th>
              <th scope="col" className="left">
                name
              </th>
              <th scope="col">r</th>
              <th scope="col">α</th>
              <th scope="col" className="left">
                targets
              </th>
              <th scope="col">parameters</th>
              <th scope="col">bytes (fp32)</th>
              <th scope="col">state</th>
              <th scope="col">
                <span className="sr-only">actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {adapters.map((a) => (
              <tr key={a.name} className={a.active ? 'is-active' : undefined} data-testid={`adapter-row-${a.name}`}>
                <td className="active-cell">
                  <input
                    type="radio"
                    name="active-adapter"
                    aria-label={`Activate ${a.name}`}
                    checked={isChecked(a)}
                    disabled={disabled}
                    onChange={() => void activate(a.name)}
                  />
                </td>
                <td className="name-cell">
                  {renaming === a.name ? (
                    <RenameForm adapter={a} taken={names} ws={ws} onDone={() => setRenaming(null)} />
                  ) : (
                    <span className="mono">{a.name}</span>
                  )}
                </td>
                <td data-label="r">{a.r}</td>
                <td data-label="α">
                  {a.alpha}
                  {a.useRslora && <span title="rsLoRA: s = α/√r"> (rs)</span>}
                </td>
                <td className="targets" data-label="targets" title={a.targets.join(', ')}>
                  {shortTargets(a.targets).join(', ')} <span className="soft">({a.modules} layers)</span>
                </td>
                <td data-label="parameters">{withCommas(a.params)}</td>
                <td data-label="bytes (fp32)">{formatBytes(a.bytes)}</td>
                <td data-label="state">{a.merged ? 'merged into W' : a.active ? 'active' : '—'}</td>
                <td className="actions">
                  {confirming === a.name ? (
                    <span className="confirm" role="group" aria-label={`Confirm deleting ${a.name}`}>
                      Delete {a.name} here and from browser storage?{' '}
                      <button className="danger" disabled={disabled} onClick={() => void remove(a.name)}>
                        Yes, delete
                      </button>{' '}
                      <button onClick={() => setConfirming(null)}>Keep</button>
                    </span>
                  ) : (
                    <>
                      <button disabled={disabled} onClick={() => setRenaming(a.name)} aria-label={`Rename ${a.name}`}>
                        Rename
                      </button>{' '}
                      <button disabled={disabled} onClick={() => setConfirming(a.name)} aria-label={`Delete ${a.name}`}>
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="controls">
        <label className="radio-inline">
          <input
            type="radio"
            name="active-adapter"
            checked={noneActive}
            disabled={disabled || adapters.length === 0}
            onChange={() => void activate(null)}
          />
          Base model only (no adapter)
        </label>
        {swapMs !== null && (
          <span className="soft" role="status">
            Last swap took {swapMs.toFixed(1)} ms, round trip to the Worker included: the base stayed loaded, only which
            A and B the layers add changed.
          </span>
        )}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
