import { withCommas } from '../../../../engine/peftLine';
import type { TargetOption } from '../../../../engine/paramCount';

interface Props {
  options: TargetOption[];
  selected: string[];
  r: number;
  onChange: (targets: string[]) => void;
}

/** target_modules as checkboxes, each with the modules it hits (PEFT suffix matching) and its count at r. */
export function TargetPicker({ options, selected, r, onChange }: Props) {
  const toggle = (entry: string, on: boolean) => {
    const next = options.map((o) => o.entry).filter((e) => (e === entry ? on : selected.includes(e)));
    onChange(next);
  };
  return (
    <fieldset className="target-picker">
      <legend>target_modules</legend>
      {options.map((o) => (
        <label key={o.entry} className="target-option">
          <input
            type="checkbox"
            checked={selected.includes(o.entry)}
            onChange={(e) => toggle(o.entry, e.target.checked)}
          />
          <code className="target-entry">{o.entry}</code>
          <span className="target-hits">
            {o.hits.map((h) => `${h.path} ${h.dIn}→${h.dOut} ×${h.count}`).join(' + ')}
          </span>
          <span className="target-count mono">+{withCommas(r * o.perRank)}</span>
        </label>
      ))}
    </fieldset>
  );
}
