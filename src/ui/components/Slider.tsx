import { useId } from 'react';

interface SliderProps {
  /** Accessible name and visible label, e.g. "rank r". */
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange: (value: number) => void;
  /** How the current value is printed beside the slider (default: the number). */
  format?: (value: number) => string;
}

/** A labelled, keyboard-operable range input that prints its value. */
export function Slider({ label, value, min, max, step = 1, onChange, format }: SliderProps) {
  const id = useId();
  return (
    <span className="slider">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-valuetext={format ? format(value) : String(value)}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <output htmlFor={id} className="mono">
        {format ? format(value) : value}
      </output>
    </span>
  );
}
