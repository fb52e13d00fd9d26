import { mergedCost, unmergedCost } from '../../../../engine/linalg/counts';
import { formatInt, formatPercent } from '../../../../engine/linalg/format';
import { ScrollBox } from '../../../components/ScrollBox';

function Row({ label, dOut, dIn, r }: { label: string; dOut: number; dIn: number; r: number }) {
  const mc = mergedCost(dOut, dIn);
  const uc = unmergedCost(dOut, dIn, r);
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{formatInt(mc.flops)}</td>
      <td>
        {formatInt(uc.flops)}
        <br />
        <span className="note">(+{formatPercent(uc.flops / mc.flops - 1)})</span>
      </td>
      <td>{formatInt(mc.stored)}</td>
      <td>
        {formatInt(uc.stored)}
        <br />
        <span className="note">(+{formatPercent(uc.stored / mc.stored - 1)})</span>
      </td>
    </tr>
  );
}

/** FLOPs per input vector and numbers stored, merged vs unmerged, for this layer and an LLM-size one. */
export function CostTable({ dOut, dIn, r }: { dOut: number; dIn: number; r: number }) {
  return (
    <ScrollBox label="Merged versus unmerged costs">
      <table className="numbers" aria-label="Merged versus unmerged: FLOPs per input and numbers stored">
        <thead>
          <tr>
            <th scope="col">layer</th>
            <th scope="col">FLOPs, merged</th>
            <th scope="col">FLOPs, unmerged</th>
            <th scope="col">stored, merged</th>
            <th scope="col">stored, unmerged</th>
          </tr>
        </thead>
        <tbody>
          <Row label={`this layer, ${dOut}×${dIn}, r = ${r}`} dOut={dOut} dIn={dIn} r={r} />
          <Row label="4096×4096, r = 8" dOut={4096} dIn={4096} r={8} />
        </tbody>
      </table>
      <p className="note">
        FLOPs per input vector, a multiply-add counted as 2. Unmerged adds A·x (2·r·d<sub>in</sub>), B·(A·x) (2·d
        <sub>out</sub>·r), the scaling and the sum (2·d<sub>out</sub>).
      </p>
    </ScrollBox>
  );
}
