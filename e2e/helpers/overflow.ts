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
