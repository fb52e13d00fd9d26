/** "Models on this device": each one's size, Use/Resume, Delete; the storage quota; ask to keep them. */
import { deviceBytes } from '../../../engine/hub/deviceList';
import { formatBytes } from '../../../engine/format/bytes';
import { askPersist, download, hubState, removeStored, pickStored } from './hubState';

export function DeviceModels({ busy }: { busy: boolean }) {
  const { device, estimate, persisted, persistAnswer, storeKind, storageError } = hubState.use();
  const where =
    storeKind === 'opfs' ? 'the Origin Private File System' : storeKind === 'cache' ? 'Cache Storage' : null;
  return (
    <section className="hub-device" aria-labelledby="hub-device-title">
      <h3 id="hub-device-title">Models on this device</h3>
      {storeKind === 'none' && (
        <p className="error">This browser offers no storage for models here, so downloads cannot be kept.</p>
      )}
      {device.length === 0 ? (
        <p className="soft">None yet.</p>
      ) : (
        <table className="numbers hub-table" data-testid="hub-device-list">
          <thead>
            <tr>
              <th scope="col">model</th>
              <th scope="col">family</th>
              <th scope="col">stored</th>
              <th scope="col">
                <span className="sr-only">actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {device.map((d) => {
              const name = `${d.repo}@${d.revision}`;
              return (
                <tr key={name}>
                  <td className="mono">{name}</td>
                  <td data-label="family">{d.modelType}</td>
                  <td data-label="stored">
                    {d.complete
                      ? formatBytes(d.total)
                      : `${formatBytes(d.stored)} of ${formatBytes(d.total)} (partial)`}
                  </td>
                  <td className="hub-actions">
                    {d.complete ? (
                      <button aria-label={`Use ${name}`} onClick={() => void pickStored(d.repo, d.revision)}>
                        Use
                      </button>
                    ) : (
                      <button
                        aria-label={`Resume ${name}`}
                        disabled={busy}
                        onClick={() => void download(d.repo, d.revision)}
                      >
                        Resume
                      </button>
                    )}
                    <button
                      aria-label={`Delete ${name}`}
                      disabled={busy}
                      onClick={() => void removeStored(d.repo, d.revision)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {storageError && (
        <p role="alert" className="error">
          {storageError}
        </p>
      )}
      <p className="soft" data-testid="hub-quota">
        {formatBytes(deviceBytes(device))} of models
        {where ? ` in ${where}` : ''}.{' '}
        {estimate && estimate.quota > 0
          ? `This site uses ${formatBytes(estimate.usage)} of the ${formatBytes(estimate.quota)} the browser allows it.`
          : 'The browser does not say how much space is left.'}{' '}
        {persisted
          ? 'The browser has agreed to keep this data.'
          : 'Under storage pressure the browser may delete it unless asked to keep it.'}
      </p>
      {!persisted && <button onClick={() => void askPersist()}>Ask the browser to keep downloaded models</button>}
      {persistAnswer === false && (
        <p className="soft">The browser did not agree (it decides from how the site is used).</p>
      )}
    </section>
  );
}
