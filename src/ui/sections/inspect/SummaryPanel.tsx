/** The headline facts: format and why, the base family and whether it loads here, sizes, time. */
import type { InspectResult } from '../../../worker/inspectWorkerApi';
import { bytesBinary, num, seconds } from './format';

export function SummaryPanel({ result }: { result: InspectResult }) {
  const r = result.report;
  const scalings = [...new Set(r.modules.map((m) => m.scalingRule))];
  return (
    <section className="panel" aria-labelledby="inspect-summary-title" data-testid="inspect-summary">
      <h2 id="inspect-summary-title">Summary</h2>
      <dl className="inspect-facts">
        <dt>Format</dt>
        <dd>
          <strong data-testid="inspect-format">{r.formatLabel}</strong>
          <ul className="inspect-reasons" aria-label="why this format">
            {r.reasons.map((why) => (
              <li key={why}>{why}</li>
            ))}
          </ul>
        </dd>
        <dt>Made for</dt>
        <dd>
          <strong data-testid="inspect-family">{r.family.label}</strong>, from {r.family.evidence}
          {r.baseModel && (
            <>
              {' '}
              (base: <span className="mono">{r.baseModel}</span>)
            </>
          )}
        </dd>
        <dt>Loads here</dt>
        <dd data-testid="inspect-loadable" className={r.family.loadable ? 'ok' : undefined}>
          {r.family.loadable ? 'Yes' : 'No'}: {r.family.loadableWhy}.
        </dd>
        <dt>Modules</dt>
        <dd>
          {r.totals.modules} adapted, rank r = {r.totals.ranks.join(', ')}, {r.totals.params.toLocaleString('en-US')}{' '}
          trained numbers
        </dd>
        <dt>Scaling</dt>
        <dd>
          {scalings.slice(0, 3).join('; ')}
          {scalings.length > 3 && ` and ${scalings.length - 3} more`} (s in ΔW = s·B·A, as this format applies it)
        </dd>
        <dt>Files</dt>
        <dd>
          <ul className="inspect-files" aria-label="files read">
            {r.files.map((f) => (
              <li key={f.path}>
                <span className="mono">{f.path}</span>, {bytesBinary(f.bytes)}: {f.role}
              </li>
            ))}
          </ul>
        </dd>
        <dt>Time</dt>
        <dd data-testid="inspect-time" data-ms={Math.round(result.totalMs)}>
          {seconds(result.totalMs)} in all ({seconds(result.readMs)} opening, {seconds(r.analyseMs)} analysing{' '}
          {r.totals.modules} spectra, each module’s factors read from the file as it is analysed)
        </dd>
      </dl>
      {Object.keys(r.metadata).length > 0 && (
        <details>
          <summary>File metadata</summary>
          <ul>
            {Object.entries(r.metadata).map(([k, v]) => (
              <li key={k}>
                <span className="mono">{k}</span> = {v}
              </li>
            ))}
          </ul>
        </details>
      )}
      {r.extras.length > 0 && (
        <p className="soft">
          Also in the file, not analysed: {r.extras.length} tensor{r.extras.length > 1 ? 's' : ''} that are not LoRA
          factors (e.g. <span className="mono">{r.extras[0].key}</span> [{r.extras[0].shape.join(', ')}]).
        </p>
      )}
      <p className="soft">
        Largest ‖ΔW‖_F: {num(Math.max(0, ...r.modules.map((m) => m.frobenius).filter(Number.isFinite)))}.
      </p>
    </section>
  );
}
