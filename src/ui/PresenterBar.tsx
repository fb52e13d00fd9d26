import { useEffect, useState } from 'react';
import { goToStep, setPresenting, setSequence, stepIndexOf, usePresenter, type Step } from './presenter';
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
 * The presenter's bar: step n of m, previous/next, record the current view into the sequence,
 * copy a link to the sequence, exit. Keyboard: → space PageDown next, ← PageUp previous,
 * Home first step, Escape leaves presenter mode.
 */
export function PresenterBar() {
  const { steps, custom } = usePresenter();
  const { route, params } = useHash();
  const paramText = params.toString();
  const index = stepIndexOf(steps, route, paramText);
  const [copied, setCopied] = useState('');

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
      } else if (e.key === 'Escape') {
        setPresenting(false);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [steps, index]);

  function record() {
    const title = findSection(route)?.title ?? route;
    const step: Step = { route, params: paramText, title: paramText ? `${title} (${paramText})` : title };
    setSequence([...(custom ? steps : []), step]);
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
      <button onClick={() => goToStep(steps[Math.max(0, index - 1)])} disabled={index <= 0} aria-label="Previous step">
        ←
      </button>
      <span className="presenter-step" aria-live="polite" data-testid="presenter-step">
        {index >= 0
          ? `Step ${index + 1} of ${steps.length}: ${steps[index].title}`
          : `Not in the sequence (${steps.length} steps)`}
      </span>
      <button
        onClick={() => goToStep(steps[Math.min(steps.length - 1, index + 1)])}
        disabled={index >= steps.length - 1}
        aria-label="Next step"
      >
        →
      </button>
      <button onClick={record} title="Append the current view (section and its settings) to your own sequence">
        {custom ? 'Add this view' : 'Start my sequence here'}
      </button>
      {custom && <button onClick={() => setSequence(null)}>Use the default sequence</button>}
      <button onClick={share}>Copy link</button>
      {copied && <span className="presenter-copied">{copied}</span>}
      <button onClick={() => setPresenting(false)}>Exit presenter</button>
    </div>
  );
}
