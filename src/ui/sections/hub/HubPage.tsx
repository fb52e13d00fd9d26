/**
 * #/hub: the Hub panel on its own page, until it moves onto the Train and Adapters pages. It also
 * shows what the panel handed on (each file's size and SHA-256), which the e2e test compares with
 * the files it served.
 */
import { useState } from 'react';
import { useSection } from '../../currentSection';
import type { HubModelFiles } from '../../../engine/hub/files';
import { formatBytes } from '../../../engine/format/bytes';
import { HubPanel } from './HubPanel';

interface ReadyLine {
  name: string;
  size: number;
  sha256: string;
}

/** Hashing reads the whole file into memory, so only files up to this size get one. */
const HASH_LIMIT = 64 * 2 ** 20;

async function describe(files: HubModelFiles): Promise<ReadyLine[]> {
  const texts: [string, string | undefined][] = [
    ['config.json', files.config],
    ['tokenizer.json', files.tokenizer],
    ['tokenizer_config.json', files.tokenizerConfig],
    ['generation_config.json', files.generationConfig],
    ['model.safetensors.index.json', files.weightIndex],
  ];
  const blobs: [string, Blob][] = [
    ...texts
      .filter((t): t is [string, string] => t[1] !== undefined)
      .map(([n, t]): [string, Blob] => [n, new Blob([t])]),
    ...files.weights,
  ];
  const out: ReadyLine[] = [];
  for (const [name, blob] of blobs) {
    let sha256 = 'not hashed';
    if (blob.size <= HASH_LIMIT) {
      const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
      sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    }
    out.push({ name, size: blob.size, sha256 });
  }
  return out;
}

export default function HubPage() {
  const section = useSection();
  const [ready, setReady] = useState<{ files: HubModelFiles; lines: ReadyLine[] } | null>(null);
  const onModelReady = (files: HubModelFiles) => {
    void describe(files).then((lines) => setReady({ files, lines }));
  };
  return (
    <section aria-labelledby="section-title">
      <h1 id="section-title">{section?.title ?? 'Hub models'}</h1>
      <p className="lede">{section?.summary}</p>
      <HubPanel onModelReady={onModelReady} />
      {ready && (
        <section className="panel" aria-labelledby="hub-ready-title">
          <h2 id="hub-ready-title">Ready to load</h2>
          <p>
            <span className="mono">
              {ready.files.repo}@{ready.files.revision}
            </span>
            {ready.files.commit && <span className="mono soft"> (commit {ready.files.commit.slice(0, 10)})</span>}:
            these files go to the trainer.
          </p>
          <ul className="hub-ready" data-testid="hub-ready">
            {ready.lines.map((l) => (
              <li key={l.name} className="mono">
                {l.name} {l.size} bytes ({formatBytes(l.size)}) sha256 {l.sha256}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
