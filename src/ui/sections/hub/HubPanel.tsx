/**
 * "Get a model from the Hugging Face Hub": a short list of small bases with size and memory
 * estimate, any repo id with a revision, a progress bar with cancel and resume, and the models
 * kept on this device. Self-contained: mount it anywhere and receive the files through
 * `onModelReady` (after a download, or when a stored model is picked). Nothing is requested from
 * the Hub until the person presses Download or Look up.
 */
import { useEffect, useRef } from 'react';
import type { HubModelFiles } from '../../../engine/hub/files';
import { DEFAULT_SHAPE, type TrainingShape } from '../../../engine/hub/memoryEstimate';
import { DeviceModels } from './DeviceModels';
import { hubState, readySeq, refreshDevice } from './hubState';
import { JobStatus } from './JobStatus';
import { RepoLookup } from './RepoLookup';
import { ShortList } from './ShortList';
import { DOWNLOAD_HOSTS_TEXT } from './statement';
import './hub.css';

export interface HubPanelProps {
  /** Called with the files of a model once it is downloaded, or picked from this device. */
  onModelReady: (files: HubModelFiles) => void;
  /** The batch, sequence length and rank the memory estimates assume (default 8 × 128, r = 8). */
  shape?: TrainingShape;
  /** The panel's heading (an h2; an h3 when embedded). */
  title?: string;
  /** Shown inside another panel (no panel frame of its own). */
  embedded?: boolean;
}

export function HubPanel({
  onModelReady,
  shape = DEFAULT_SHAPE,
  title = 'Get a model from the Hugging Face Hub',
  embedded = false,
}: HubPanelProps) {
  const { job, ready } = hubState.use();
  // Hand on only models made ready while this panel is mounted, each once.
  const seen = useRef(readySeq());
  const callback = useRef(onModelReady);
  useEffect(() => {
    callback.current = onModelReady;
  }, [onModelReady]);
  useEffect(() => {
    void refreshDevice();
  }, []);
  useEffect(() => {
    if (ready && ready.seq > seen.current) {
      seen.current = ready.seq;
      callback.current(ready.files);
    }
  }, [ready]);
  const busy = job?.phase === 'looking' || job?.phase === 'downloading';
  return (
    <section className={embedded ? 'hub-panel hub-embedded' : 'panel hub-panel'} aria-labelledby="hub-title">
      {embedded ? <h3 id="hub-title">{title}</h3> : <h2 id="hub-title">{title}</h2>}
      <p className="soft">
        Nothing is fetched until you press Download or Look up. Then this page asks only huggingface.co and the
        Hub&apos;s download hosts ({DOWNLOAD_HOSTS_TEXT}) for the model&apos;s public files, with no token and no
        cookies; nothing about you or your data is sent. The files are kept in this browser, so the model loads offline
        next time.
      </p>
      <ShortList shape={shape} busy={busy} />
      <h3>Any model on the Hub</h3>
      <RepoLookup shape={shape} busy={busy} />
      <JobStatus />
      <DeviceModels busy={busy} />
    </section>
  );
}
