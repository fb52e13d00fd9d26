import { useId, useState, type KeyboardEvent } from 'react';
import { numberProblem, parseNumberText, stepNumber, type NumberRule } from './numberRules';
import './numberField.css';

interface NumberFieldProps {
  /** Visible label and accessible name, e.g. "steps"; also the subject of the message. */
  label: string;
  /** The value in use; null shows an empty field (e.g. a weight not yet chosen). */
  value: number | null;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  /** What ↑/↓ add (PageUp/PageDown: ten of them). Default 1. */
  step?: number;
  /** Whole numbers only. Default: when `step` is whole. */
  integer?: boolean;
  disabled?: boolean;
  /** Keep the label for screen readers only (a table column already names the field). */
  hideLabel?: boolean;
  /** Extra class on the wrapper, for the page's layout. */
  className?: string;
  /** How the value is written into the field (default: String). */
  format?: (value: number) => string;
}

/**
 * A typed number: applied as soon as the text is one the bounds allow; otherwise a message says
 * why and which value is still in use, and leaving the field puts that value back. A spinbutton
 * for assistive technology: ↑/↓ step, PageUp/PageDown step by ten, Home/End go to the bounds.
 */
export function NumberField({
  label,
  value,
  onChange,
  min = -Infinity,
  max = Infinity,
  step = 1,
  integer = Number.isInteger(step),
  disabled,
  hideLabel,
  className,
  format = String,
}: NumberFieldProps) {
  const id = useId();
  const rule: NumberRule = { min, max, integer };
  const valueText = value === null ? '' : format(value);
  const [text, setText] = useState(valueText);
  const [shown, setShown] = useState(valueText);
  if (shown !== valueText) {
    // The value changed underneath (Back, a pasted link, a step): show the new one.
    setShown(valueText);
    setText(valueText);
  }
  const problem = text === valueText ? null : numberProblem(text, label, rule);

  const apply = (v: number) => {
    const t = format(v);
    setText(t);
    setShown(t);
    onChange(v);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const from = parseNumberText(text, rule) ?? value;
    const steps = { ArrowUp: 1, ArrowDown: -1, PageUp: 10, PageDown: -10 }[e.key];
    let next: number | null = null;
    if (steps !== undefined && from !== null) next = stepNumber(from, steps, step, rule);
    else if (e.key === 'Home' && Number.isFinite(min)) next = min;
    else if (e.key === 'End' && Number.isFinite(max)) next = max;
    if (next === null) return;
    e.preventDefault();
    apply(next);
  };

  return (
    <span className={`number-field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : undefined}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        role="spinbutton"
        inputMode={integer && min >= 0 ? 'numeric' : 'decimal'}
        autoComplete="off"
        value={text}
        disabled={disabled}
        aria-valuenow={value ?? undefined}
        aria-valuemin={Number.isFinite(min) ? min : undefined}
        aria-valuemax={Number.isFinite(max) ? max : undefined}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-msg` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const v = parseNumberText(e.target.value, rule);
          if (v !== null) {
            setShown(format(v));
            onChange(v);
          }
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setText(valueText)}
      />
      {problem && (
        <span id={`${id}-msg`} role="alert" className="error field-msg">
          {problem}
          {value === null ? '.' : `; still using ${valueText}.`}
        </span>
      )}
    </span>
  );
}
