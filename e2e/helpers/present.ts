import type { Page } from '@playwright/test';

export interface FigureFit {
  /** The data-present name of the zoomed figure, or null when none is. */
  name: string | null;
  /** The figure's box and the stage above the presenter bar, in viewport px. */
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
  viewportWidth: number;
  barTop: number;
}

/** Where presenter mode's zoomed figure is on screen (evaluated from a string: the CSP forbids eval). */
export async function figureFit(page: Page): Promise<FigureFit> {
  return (await page.evaluate(`(() => {
    const e = document.querySelector('[data-present-active]');
    const bar = document.querySelector('.presenter-bar');
    const r = e ? e.getBoundingClientRect() : { left: 0, top: 0, right: 0, bottom: 0, width: 0, height: 0 };
    return {
      name: e ? e.getAttribute('data-present') : null,
      left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height,
      viewportWidth: document.documentElement.clientWidth,
      barTop: bar ? bar.getBoundingClientRect().top : innerHeight,
    };
  })()`)) as FigureFit;
}

/**
 * What is wrong with a figure's fit, or '' when it is right: wholly on screen and above the bar,
 * and as large as the stage allows in at least one direction (zoomed, not left at page size).
 */
export function fitProblem(f: FigureFit, name: string): string {
  if (f.name !== name) return `figure ${f.name} instead of ${name}`;
  const eps = 1;
  if (f.left < -eps || f.top < -eps || f.right > f.viewportWidth + eps) return `off screen: ${JSON.stringify(f)}`;
  if (f.bottom > f.barTop + eps) return `under the bar: bottom ${f.bottom} > bar ${f.barTop}`;
  const fill = Math.max(f.width / f.viewportWidth, f.height / f.barTop);
  if (fill < 0.85) return `too small: fills ${(100 * fill).toFixed(0)} %`;
  return '';
}
