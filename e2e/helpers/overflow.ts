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

/** Text boxes inside `scope` whose placeholder is wider than the box (measured in the box's own font). */
export async function clippedPlaceholders(page: Page, scope: string): Promise<string[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(`${scope} input[placeholder]`)})].filter((e) => {` +
      `const cs = getComputedStyle(e); const c = document.createElement('canvas').getContext('2d');` +
      `c.font = cs.font; const room = e.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);` +
      `return c.measureText(e.placeholder).width > room + 0.5; }).map((e) => e.placeholder)`,
  )) as string[];
}

/**
 * Labels of the adapter diagram that reach within 3 px of their box's edge or past it: each chip's
 * texts against its rectangle, the base's against rect.base, the slot's against rect.slot.
 */
export async function labelsTouchingBoxes(page: Page): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const svg = document.querySelector('svg.viz-swap');
    if (!svg) return ['no diagram'];
    const groups = [
      ...[...svg.querySelectorAll('g.chip')].map((g) => [g.querySelector('rect'), [...g.querySelectorAll('text')]]),
      [svg.querySelector('rect.base'), [...svg.querySelectorAll('text[class^="base-"]')]],
      [svg.querySelector('rect.slot'), [...svg.querySelectorAll('text[class^="slot-"]')]],
    ];
    const bad = [];
    for (const [rect, texts] of groups) {
      const r = rect.getBoundingClientRect();
      for (const t of texts) {
        if (!t.textContent) continue;
        const b = t.getBoundingClientRect();
        if (b.left < r.left + 3 || b.right > r.right - 3) bad.push(t.textContent + ' [' + Math.round(b.left - r.left) + ', ' + Math.round(r.right - b.right) + ']');
      }
    }
    return bad;
  })()`)) as string[];
}
