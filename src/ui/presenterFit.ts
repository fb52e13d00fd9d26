/**
 * Presenter mode's zoom: the step's figure (the element with `data-present="<name>"`) is scaled
 * and shifted with a CSS transform until it fills the screen above the presenter bar, and the
 * rest of the page is hidden. A transform leaves the layout alone, so charts keep their size and
 * nothing reflows; the fit is redone whenever the figure, the bar or the window changes size.
 */
import { useEffect } from 'react';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Fit {
  scale: number;
  /** Shift in px, applied before the scale (transform-origin 0 0). */
  x: number;
  y: number;
}

/** The largest scale (at most `maxScale`) and the shift that centre `box` inside `area`. */
export function fitBox(box: Box, area: Box, maxScale = 2.5): Fit {
  if (!(box.width > 0 && box.height > 0 && area.width > 0 && area.height > 0)) return { scale: 1, x: 0, y: 0 };
  const scale = Math.min(maxScale, area.width / box.width, area.height / box.height);
  return {
    scale,
    x: area.left + (area.width - scale * box.width) / 2 - box.left,
    y: area.top + (area.height - scale * box.height) / 2 - box.top,
  };
}

/** The untransformed box of an element that carries the transform `fit` (origin 0 0). */
export function untransformed(rect: Box, fit: Fit): Box {
  return {
    left: rect.left - fit.x,
    top: rect.top - fit.y,
    width: rect.width / fit.scale,
    height: rect.height / fit.scale,
  };
}

/** The screen above the presenter bar, less a margin: where a figure may go. */
export function stageArea(): Box {
  const w = document.documentElement.clientWidth;
  const bar = document.querySelector('.presenter-bar')?.getBoundingClientRect();
  const bottom = bar ? bar.top : window.innerHeight;
  const pad = Math.max(8, Math.round(w * 0.012));
  return { left: pad, top: pad, width: w - 2 * pad, height: bottom - 2 * pad };
}

const ACTIVE = 'data-present-active';
const IDENTITY: Fit = { scale: 1, x: 0, y: 0 };

/**
 * While `name` is set, zoom the element `[data-present=name]` to fill the stage; it may appear
 * late (lazy pages, models still loading), so the DOM is watched until it does.
 */
export function usePresenterFocus(name: string | undefined): void {
  useEffect(() => {
    if (!name) return;
    const root = document.documentElement;
    let el: HTMLElement | null = null;
    let current = IDENTITY;
    let frame = 0;

    const fit = () => {
      if (!el) return;
      const natural = untransformed(el.getBoundingClientRect(), current);
      current = fitBox(natural, stageArea());
      el.style.transformOrigin = '0 0';
      el.style.transform = `translate(${current.x}px, ${current.y}px) scale(${current.scale})`;
    };
    const release = () => {
      if (!el) return;
      el.removeAttribute(ACTIVE);
      el.style.transform = '';
      el.style.transformOrigin = '';
      sizes.unobserve(el);
      el = null;
      current = IDENTITY;
    };
    const sizes = new ResizeObserver(() => fit());
    const attach = () => {
      frame = 0;
      const found = document.querySelector<HTMLElement>(`[data-present="${CSS.escape(name)}"]`);
      if (found !== el) {
        release();
        el = found;
        if (el) {
          el.setAttribute(ACTIVE, '');
          sizes.observe(el);
        }
        root.classList.toggle('present-focus', el !== null);
      }
      fit();
    };
    // Content above the figure may change (and move it) without the figure changing size.
    const dom = new MutationObserver(() => {
      if (!frame) frame = requestAnimationFrame(attach);
    });
    dom.observe(document.body, { childList: true, subtree: true, characterData: true });
    const bar = document.querySelector('.presenter-bar');
    if (bar) sizes.observe(bar);
    // Late fonts (KaTeX) move the figure without any change to the DOM.
    sizes.observe(document.body);
    document.fonts?.addEventListener('loadingdone', fit);
    window.addEventListener('resize', fit);
    window.addEventListener('scroll', fit);
    attach();
    return () => {
      if (frame) cancelAnimationFrame(frame);
      dom.disconnect();
      release();
      sizes.disconnect();
      window.removeEventListener('resize', fit);
      window.removeEventListener('scroll', fit);
      document.fonts?.removeEventListener('loadingdone', fit);
      root.classList.remove('present-focus');
    };
  }, [name]);
}
