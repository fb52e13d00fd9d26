import { formatBytes } from '../../../../engine/format/bytes';
import { checkpointSizes, type CheckpointDtype } from '../../../../engine/learn/memory';

/** Checkpoint size of one adapter vs one full copy, and of 100 of each. */
export function CheckpointTable({
  base,
  trainable,
  dtype,
}: {
  base: number;
  trainable: number;
  dtype: CheckpointDtype;
}) {
  const c = checkpointSizes(base, trainable, dtype, 100);
  const rows: [string, string, number][] = [
    ['one LoRA adapter', 'ckpt-adapter', c.adapter],
    ['one full fine-tuned copy', 'ckpt-full', c.full],
    ['100 adapters', 'ckpt-adapters', c.adapters],
    ['100 full copies', 'ckpt-fulls', c.fulls],
    ['one base + 100 adapters', 'ckpt-base-adapters', c.baseAndAdapters],
  ];
  return (
    <table className="numbers">
      <caption>Checkpoint sizes ({dtype}, tensors only)</caption>
      <thead>
        <tr>
          <th scope="col">stored</th>
          <th scope="col">size</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, id, bytes]) => (
          <tr key={id}>
            <th scope="row">{label}</th>
            <td data-testid={id}>{formatBytes(bytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
