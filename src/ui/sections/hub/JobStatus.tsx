/** The download in progress (bytes, speed, time left, cancel), or why it stopped (and Resume). */
import { formatDuration } from '../../../engine/hub/progress';
import { formatBytes } from '../../../engine/format/bytes';
import { cancel, download, hubState } from './hubState';

export function JobStatus() {
  const { job } = hubState.use();
  if (!job || job.phase === 'planned') return null;
  const p = job.progress;
  const name = `${job.repo}@${job.revision}`;
  return (
    <div className="hub-job" aria-live="polite">
      {job.phase === 'looking' && <p role="status">Looking up {name} on huggingface.co…</p>}
      {job.phase === 'downloading' && (
        <>
          <p role="status">
            Downloading <span className="mono">{name}</span>
            {p ? (
              <>
                : <span className="mono">{p.file}</span>
              </>
            ) : (
              '…'
            )}
          </p>
          <progress
            className="hub-progress"
            aria-label={`Download of ${name}`}
            max={p?.total ?? 1}
            value={p?.done ?? 0}
          />
          <p className="mono hub-numbers" data-testid="hub-progress-text">
            {p
              ? `${formatBytes(p.done)} of ${formatBytes(p.total)} · ${
                  p.bytesPerSecond === null ? '–' : `${formatBytes(p.bytesPerSecond)}/s`
                } · ${formatDuration(p.secondsLeft)} left`
              : 'starting…'}
          </p>
          <button onClick={cancel}>Cancel</button>
        </>
      )}
      {job.phase === 'done' && (
        <p role="status" className="ok">
          {name} is stored on this device and ready.
        </p>
      )}
      {job.phase === 'failed' && job.error && (
        <div role="alert" className="hub-error">
          <p className="error">{job.error.message}</p>
          {job.error.resumable && (
            <button className="primary" onClick={() => void download(job.repo, job.revision)}>
              Resume {name}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
