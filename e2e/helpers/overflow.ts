import type { Page } from '@playwright/test';

/**
 * The accessible names and values of the text boxes inside `scope` whose content is wider than the
 * box (scrollWidth > clientWidth): what a reader sees clipped. Evaluated from a string (the app's
 * CSP forbids eval, and tsx-compiled functions may not serialise).
 */
export async function clippedInputs(page: Page, scope: string): Promise<string[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(`${scope} input[type=text]`)})]` +
      `.filter((e) => e.scrollWidth > e.clientWidth)` +
      `.map((e) => (e.getAttribute('aria-label') || '?') + ' = ' + e.value)`,
  )) as string[];
}

/** Legend entries of the charts inside `scope` that reach outside their own <svg> (or the window). */
export async function legendsOutside(page: Page, scope: string): Promise<string[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(`${scope} svg g.legend`)})].filter((g) => {` +
      `const s = g.ownerSVGElement.getBoundingClientRect(); const r = g.getBoundingClientRect();` +
      `return r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.right > innerWidth;` +
      `}).map((g) => g.textContent + ' (svg ' + Math.round(g.ownerSVGElement.getBoundingClientRect().width) + ' px)')`,
  )) as string[];
}

/** How far the page scrolls sideways: scrollWidth − innerWidth (≤ 0 means no horizontal overflow). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return (await page.evaluate('document.scrollingElement.scrollWidth - innerWidth')) as number;
}
