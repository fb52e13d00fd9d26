/**
 * What keeping these adapters costs: the base counted once plus each adapter's bytes, against a
 * full fine-tuned copy of the model per task. Also what this site keeps in browser storage.
 */
import { formatBytes, withCommas } from './format';
import type { Workspace } from './useWorkspace';

interface Bar {
  label: string;
  parts: { key: 'base' | 'adapters' | 'copies'; bytes: number; text: string }[];
}

export function MemoryPanel({ ws }: { ws: Workspace }) {
  const { model, adapters } = ws.lm;
  const { storage } = ws;
  if (!model) return null;
  const baseBytes = model.baseParams * 4; // fp32, as loaded
  const adapterBytes = adapters.reduce((s, a) => s + a.bytes, 0);
  const k = Math.max(1, adapters.length);
  const bars: Bar[] = [
    {
      label: `one base + ${adapters.length} adapter${adapters.length === 1 ? '' : 's'}`,
      parts: [
        { key: 'base', bytes: baseBytes, text: `base ${formatBytes(baseBytes)}` },
        { key: 'adapters', bytes: adapterBytes, text: `adapters ${formatBytes(adapterBytes)}` },
      ],
    },
    {
      label: `${k} full fine-tuned cop${k === 1 ? 'y' : 'ies'}`,
      parts: [{ key: 'copies', bytes: k * baseBytes, text: `${k} × ${formatBytes(baseBytes)}` }],
    },
  ];
  const max = Math.max(...bars.map((b) => b.parts.reduce((s, p) => s + p.bytes, 0)));
  const use = storage.use;
  return (
    <section className="panel" aria-labelledby="memory-title">
      <h2 id="memory-title">Memory</h2>
      <p className="soft">
        {model.name}: {withCommas(model.baseParams)} parameters, {formatBytes(baseBytes)} in fp32, loaded once. Each
        adapter adds only its A and B.
      </p>
      <div
        className="membars"
        role="img"
        aria-label={bars.map((b) => `${b.label}: ${formatBytes(b.parts.reduce((s, p) => s + p.bytes, 0))}`).join('; ')}
      >
        {bars.map((b) => {
          const total = b.parts.reduce((s, p) => s + p.bytes, 0);
          return (
            <div className="membar-row" key={b.label}>
              <span className="membar-label">{b.label}</span>
              <span className="membar-track">
                {b.parts.map((p) => (
                  <span
                    key={p.key}
                    className={`membar-part part-${p.key}`}
                    style={{ width: `${(100 * p.bytes) / max}%` }}
                    title={p.text}
                  />
                ))}
              </span>
              <span className="membar-total mono">{formatBytes(total)}</span>
            </div>
          );
        })}
      </div>
      <p className="legend soft">
        <span className="swatch part-base" /> base <span className="swatch part-adapters" /> adapters (
        {adapters.length ? adapters.map((a) => `${a.name} ${formatBytes(a.bytes)}`).join(', ') : 'none yet'}){' '}
        <span className="swatch part-copies" /> full copies
      </p>
      <h3>Browser storage</h3>
      <p data-testid="storage-use">
        {storage.kept} adapter{storage.kept === 1 ? '' : 's'} of {model.name} kept in this browser (IndexedDB).{' '}
        {use
          ? `This site uses ${formatBytes(use.usage)} of ${formatBytes(use.quota)} allowed.`
          : 'The browser does not say how much space is left.'}
      </p>
      {storage.full && (
        <p role="alert" className="error">
          {storage.full}
        </p>
      )}
      {storage.problems.map((p, i) => (
        <p key={i} role="alert" className="error">
          {p}
        </p>
      ))}
    </section>
  );
}
