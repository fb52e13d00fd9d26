/** Any repo id with a revision: look it up (a few small requests), see exactly what it fetches, then download. */
import { useState, type FormEvent } from 'react';
import { describeHubArch } from '../../../engine/hub/hubArch';
import { estimateTrainingMemory, type TrainingShape } from '../../../engine/hub/memoryEstimate';
import { formatBytes } from '../../../engine/format/bytes';
import { download, hubState, lookUp } from './hubState';
import { planStatement, shortCount } from './statement';

export function RepoLookup({ shape, busy }: { shape: TrainingShape; busy: boolean }) {
  const [repo, setRepo] = useState('');
  const [revision, setRevision] = useState('main');
  const { job } = hubState.use();
  const plan = job?.phase === 'planned' || job?.phase === 'downloading' ? job.plan : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void lookUp(repo, revision);
  };
  let arch = null;
  try {
    arch = plan ? describeHubArch(plan.config) : null;
  } catch {
    arch = null; // a config the estimate cannot read: the download can still go ahead
  }
  return (
    <div className="hub-lookup">
      <form className="controls" onSubmit={submit}>
        <label>
          Model id
          <input
            className="mono"
            value={repo}
            placeholder="owner/name"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setRepo(e.target.value)}
          />
        </label>
        <label>
          Revision
          <input
            className="mono hub-rev"
            value={revision}
            spellCheck={false}
            onChange={(e) => setRevision(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy || repo.trim() === ''}>
          Look up on huggingface.co
        </button>
      </form>
      <p className="soft">
        Looking up asks huggingface.co for the model&apos;s commit, its file list, config.json and (for sharded weights)
        the shard index: a few KiB, before anything large is fetched.
      </p>
      {plan && job?.phase === 'planned' && (
        <div className="callout hub-plan" data-testid="hub-plan">
          <p>
            <strong className="mono">
              {plan.repo}@{plan.revision}
            </strong>
            {plan.commit && <span className="soft mono"> (commit {plan.commit.slice(0, 10)})</span>}: {plan.modelType}
            {arch && (
              <>
                , {shortCount(arch.params)} parameters, ≈ {formatBytes(estimateTrainingMemory(arch, shape).total)} to
                train at batch {shape.batch} × {shape.seq}
              </>
            )}
            .
          </p>
          <p>{planStatement(plan)}</p>
          <button className="primary" disabled={busy} onClick={() => void download(plan.repo, plan.revision)}>
            Download {formatBytes(plan.totalBytes)}
          </button>
        </div>
      )}
    </div>
  );
}
