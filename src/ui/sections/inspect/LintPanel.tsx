/** What is wrong or worth knowing about the files, each with its fix. */
import type { Lint } from '../../../engine/formats/types';

const LABEL = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

export function LintPanel({ lints }: { lints: Lint[] }) {
  return (
    <section className="panel" aria-labelledby="inspect-lints-title">
      <h2 id="inspect-lints-title">Checks</h2>
      {lints.length === 0 ? (
        <p className="ok" data-testid="inspect-no-lints">
          No problems found: names, config and tensors agree, and every value is finite.
        </p>
      ) : (
        <ul className="inspect-lints" aria-label="problems and fixes">
          {lints.map((l, i) => (
            <li key={i} className={`lint lint-${l.severity}`} data-lint={l.id}>
              <strong>{LABEL[l.severity]}:</strong> {l.message}.
              <br />
              <span className="lint-fix">Fix: {l.fix}.</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
