/** The short list of small bases: size and memory estimate shown before anything is fetched. */
import { findDeviceModel } from '../../../engine/hub/deviceList';
import { estimateTrainingMemory, type TrainingShape } from '../../../engine/hub/memoryEstimate';
import { formatBytes } from '../../../engine/format/bytes';
import { SHORT_LIST, shortListArch } from '../../../engine/hub/shortList';
import { download, hubState, pickStored } from './hubState';
import { shortCount, shortListStatement } from './statement';

export function ShortList({ shape, busy }: { shape: TrainingShape; busy: boolean }) {
  const { device } = hubState.use();
  return (
    <div className="hub-shortlist">
      <table className="numbers hub-table">
        <caption className="sr-only">Small base models on the Hugging Face Hub</caption>
        <thead>
          <tr>
            <th scope="col">model</th>
            <th scope="col">family</th>
            <th scope="col">parameters</th>
            <th scope="col">download</th>
            <th scope="col">memory to train</th>
            <th scope="col">
              <span className="sr-only">action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {SHORT_LIST.map((m) => {
            const arch = shortListArch(m);
            const mem = estimateTrainingMemory(arch, shape);
            const kept = findDeviceModel(device, m.repo, 'main');
            return (
              <tr key={m.repo}>
                <td>
                  <span className="mono">{m.repo}</span>
                  <br />
                  <span className="soft">{m.blurb}</span>
                </td>
                <td data-label="family">{arch.family}</td>
                <td data-label="parameters">{shortCount(arch.params)}</td>
                <td data-label="download">
                  {formatBytes(m.safetensorsBytes)} <span className="soft">{m.dtype}</span>
                </td>
                <td data-label="memory to train">≈ {formatBytes(mem.total)}</td>
                <td className="hub-action">
                  {kept?.complete ? (
                    <button
                      aria-label={`Use ${m.repo} (on this device)`}
                      onClick={() => void pickStored(m.repo, 'main')}
                    >
                      Use
                    </button>
                  ) : (
                    <button
                      className="primary"
                      disabled={busy}
                      aria-label={`${kept ? 'Resume' : 'Download'} ${m.repo}`}
                      title={shortListStatement(m)}
                      onClick={() => void download(m.repo, 'main')}
                    >
                      {kept ? 'Resume' : 'Download'}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="soft">
        Download sizes are the Hub&apos;s. Memory: weights in float32, LoRA r = {shape.rank} on the default targets with
        gradients and Adam, and activations for batch {shape.batch} × {shape.seq} tokens. Each Download fetches
        config.json, tokenizer.json (and tokenizer_config.json, generation_config.json where the repo has them) and
        model.safetensors from huggingface.co.
      </p>
    </div>
  );
}
