import { useEffect, useRef, useState } from 'react';
import { figureOf, goToStep, setPresenting, setSequence, stepIndexOf, usePresenter, type Step } from './presenter';
import { usePresenterFocus } from './presenterFit';
import { findSection } from './sectionMeta';
import { useHash } from './urlState';

const NEXT = new Set(['ArrowRight', 'PageDown', ' ', 'Spacebar']);
const PREV = new Set(['ArrowLeft', 'PageUp']);

/** Keys typed into a control belong to the control (a focused slider moves with ←/→). */
function ownsKeys(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable;
}

/**
 * The presenter's bar: step n of m, previous/next, speaker notes, the figure or the whole page,
 * and the sequence tools (record the current view, copy a link, back to the default). Keyboard:
 * → space PageDown next, ← PageUp previous, Home first step, N notes, F figure/whole page,
 * Escape leaves presenter mode.
 */
export function PresenterBar() {
  const { steps, custom } = usePresenter();
  const { route, params } = useHash();
  const paramText = params.toString();
  const index = stepIndexOf(steps, route, paramText);
  const step = index >= 0 ? steps[index] : undefined;
  const [copied, setCopied] = useState('');
  const menu = useRef<HTMLDetailsElement>(null);
  const [notesOn, setNotesOn] = useState(false);
  // The whole page instead of the figure, for this step only.
  const [wholePageAt, setWholePageAt] = useState(-1);
  const wholePage = wholePageAt === index;
  const figure = step && !wholePage ? figureOf(step) : undefined;
  usePresenterFocus(figure);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.altKey || e.ctrlKey || e.metaKey || ownsKeys(e.target)) return;
      // From a view that is not in the sequence, "next" resumes at the first step.
      if (NEXT.has(e.key)) {
        e.preventDefault();
        goToStep(steps[Math.min(steps.length - 1, index + 1)]);
      } else if (PREV.has(e.key)) {
        e.preventDefault();
        goToStep(steps[Math.max(0, index - 1)]);
      } else if (e.key === 'Home') {
        e.preventDefault();
        goToStep(steps[0]);
      } else if (e.key === 'n' || e.key === 'N') {
        setNotesOn((on) => !on);
      } else if (e.key === 'f' || e.key === 'F') {
        setWholePageAt((at) => (at === index ? -1 : index));
      } else if (e.key === 'Escape') {
        setPresenting(false);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [steps, index]);

  function record() {
    if (menu.current) menu.current.open = false;
    const title = findSection(route)?.title ?? route;
    const recorded: Step = { route, params: paramText, title: paramText ? `${title} (${paramText})` : title };
    setSequence([...(custom ? steps : []), recorded]);
  }

  async function share() {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Link copied');
    } catch {
      setCopied(url);
    }
  }

  return (
    <div className="presenter-bar" role="region" aria-label="Presenter">
      {notesOn && (
        <p className="presenter-notes" data-testid="presenter-notes">
          {step?.notes ?? 'No notes for this view.'}
        </p>
      )}
      <div className="presenter-controls">
        <button
          onClick={() => goToStep(steps[Math.max(0, index - 1)])}
          disabled={index <= 0}
          aria-label="Previous step"
        >
          ←
        </button>
        <span className="presenter-step" aria-live="polite" data-testid="presenter-step">
          {step ? `Step ${index + 1} of ${steps.length}: ${step.title}` : `Not in the sequence (${steps.length} steps)`}
        </span>
        <button
          onClick={() => goToStep(steps[Math.min(steps.length - 1, index + 1)])}
          disabled={index >= steps.length - 1}
          aria-label="Next step"
        >
          →
        </button>
        <button aria-pressed={notesOn} onClick={() => setNotesOn(!notesOn)} title="Speaker notes (N)">
          Notes
        </button>
        {step && figureOf(step) && step.card === undefined && (
          <button
            aria-pressed={wholePage}
            onClick={() => setWholePageAt(wholePage ? -1 : index)}
            title="Show the whole page instead of the figure (F)"
          >
            Whole page
          </button>
        )}
        <details className="presenter-more" ref={menu}>
          <summary>Sequence</summary>
          <div className="presenter-menu">
            <button onClick={record} title="Append the current view (section and its settings) to your own sequence">
              {custom ? 'Add this view' : 'Start my sequence here'}
            </button>
            {custom && (
              <button
                onClick={() => {
                  if (menu.current) menu.current.open = false;
                  setSequence(null);
                }}
              >
                Use the default sequence
              </button>
            )}
            <button onClick={share}>Copy link</button>
            {copied && <span className="presenter-copied">{copied}</span>}
          </div>
        </details>
        <button onClick={() => setPresenting(false)}>Exit presenter</button>
      </div>
    </div>
  );
}
