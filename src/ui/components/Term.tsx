import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { GLOSSARY, type TermId } from '../glossary';
import './term.css';

/**
 * A word with its definition one step away: shown while the word is hovered or focused, and
 * toggled by a click or a tap (touch has no hover), hidden again with Escape. The definition is
 * the button's description, so screen readers read it with the word.
 */
export function Term({ id, children }: { id: TermId; children?: ReactNode }) {
  const entry = GLOSSARY[id];
  const defId = useId();
  const [pinned, setPinned] = useState(false);
  const [hover, setHover] = useState(false);
  const [focus, setFocus] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const shown = (pinned || hover || focus) && !dismissed;
  const box = useRef<HTMLSpanElement>(null);
  const [shift, setShift] = useState(0);

  // Keep the definition on screen: shift it left when it would run past the window's edge.
  useLayoutEffect(() => {
    if (!shown || !box.current) return;
    const r = box.current.getBoundingClientRect();
    const over = r.right - shift - (document.documentElement.clientWidth - 8);
    setShift(Math.max(0, over));
  }, [shown]); // eslint-disable-line react-hooks/exhaustive-deps -- measure once per showing

  return (
    <span
      className="term"
      onMouseEnter={() => {
        setDismissed(false);
        setHover(true);
      }}
      onMouseLeave={() => setHover(false)}
    >
      <button
        type="button"
        className="term-word"
        aria-describedby={defId}
        aria-expanded={shown}
        // A tap or click pins it open; the next one closes it, even while hovered or focused.
        onClick={() => {
          setDismissed(pinned);
          setPinned(!pinned);
        }}
        onFocus={() => {
          setDismissed(false);
          setFocus(true);
        }}
        onBlur={() => {
          setFocus(false);
          setPinned(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && shown) {
            e.stopPropagation();
            setDismissed(true);
            setPinned(false);
          }
        }}
      >
        {children ?? entry.term}
      </button>
      <span
        ref={box}
        id={defId}
        role="tooltip"
        className="term-def"
        hidden={!shown}
        style={shift ? { transform: `translateX(-${shift}px)` } : undefined}
      >
        <strong>{entry.term}:</strong> {entry.definition}
      </span>
    </span>
  );
}

/** `text` with the first occurrence of each listed term's word turned into a <Term>. */
export function withTerms(text: string, ids: TermId[]): ReactNode {
  let parts: ReactNode[] = [text];
  for (const id of ids) {
    const word = GLOSSARY[id].term;
    parts = parts.flatMap((p) => {
      if (typeof p !== 'string' || !p.includes(word)) return [p];
      const at = p.indexOf(word);
      return [p.slice(0, at), <Term key={id} id={id} />, p.slice(at + word.length)];
    });
  }
  return parts;
}
