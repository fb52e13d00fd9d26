import { useBackend } from './useBackend';

/** Which compute backend the page runs on, and why it fell back if it did. */
export function BackendBadge() {
  const b = useBackend();
  const common = { 'data-testid': 'backend-badge', role: 'status', 'aria-label': 'Compute backend' } as const;
  if (b.status === 'loading') {
    return (
      <div className="badge" data-backend="" {...common}>
        backend: starting…
      </div>
    );
  }
  if (b.status === 'error') {
    return (
      <div className="badge badge-error" data-backend="none" {...common}>
        no backend: {b.message}
      </div>
    );
  }
  const { info } = b;
  const fellBack = !info.forced && info.skipped.length > 0 ? info.skipped[0].reason : null;
  return (
    <div className="badge" data-backend={info.name} {...common} title={info.skipped.map((s) => s.reason).join('\n')}>
      <strong>{info.name}</strong>
      {info.adapter && (
        <span className="badge-detail">
          {' '}
          · {info.adapter.vendor} {info.adapter.architecture}
        </span>
      )}
      {info.forced && <span className="badge-detail"> (set by ?backend=)</span>}
      {fellBack && <span className="badge-detail badge-why"> · {fellBack}</span>}
    </div>
  );
}
