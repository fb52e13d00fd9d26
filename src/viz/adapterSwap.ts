/**
 * One base, many adapters: the frozen base W0 loaded once, a row of task adapters, and the one
 * in use plugged in beside W0 (unmerged: h = W0·x + s·B·(A·x)) or folded into it (merged:
 * h = (W0 + s·B·A)·x). Colour marks which adapter is active, and its name is written out too.
 */
import * as d3 from 'd3';
import { fitText } from './fitText';

export interface SwapAdapter {
  id: string;
  label: string;
  color: string;
}

export interface AdapterSwapData {
  adapters: SwapAdapter[];
  activeId: string | null;
  merged: boolean;
  /** e.g. "475 MiB, loaded once". */
  baseText: string;
  /** e.g. "1.13 MiB each". */
  adapterText: string;
}

const CHIP_PAD = 12;

export function renderAdapterSwap(svgEl: SVGSVGElement, d: AdapterSwapData, o: { width: number }): void {
  const W = o.width;
  const H = 300;
  const svg = d3.select(svgEl).attr('viewBox', `0 0 ${W} ${H}`).classed('viz-swap', true);
  const active = d.adapters.find((a) => a.id === d.activeId) ?? null;

  // Base block.
  const base = { x: 90, y: 20, w: 300, h: 120 };
  const g = svg.selectAll<SVGGElement, null>('g.diagram').data([null]).join('g').attr('class', 'diagram');
  g.selectAll('text.x-in')
    .data([null])
    .join('text')
    .attr('class', 'x-in big')
    .attr('x', 20)
    .attr('y', base.y + base.h / 2 + 6)
    .text('x →');
  g.selectAll('rect.base')
    .data([null])
    .join('rect')
    .attr('class', 'base')
    .attr('x', base.x)
    .attr('y', base.y)
    .attr('width', base.w)
    .attr('height', base.h)
    .attr('rx', 10)
    .attr('fill', 'var(--bg-soft)')
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 2);
  g.selectAll('rect.merge-tint')
    .data([null])
    .join('rect')
    .attr('class', 'merge-tint')
    .attr('x', base.x + 4)
    .attr('y', base.y + base.h - 18)
    .attr('height', 14)
    .attr('rx', 4)
    .attr('fill', active?.color ?? 'transparent')
    .attr('width', d.merged && active ? base.w - 8 : 0);
  g.selectAll('text.base-title')
    .data([null])
    .join('text')
    .attr('class', 'base-title big')
    .attr('x', base.x + 16)
    .attr('y', base.y + 36)
    .text(d.merged && active ? `W0 + s·B·A (${active.label})` : 'W0: frozen base');
  g.selectAll('text.base-size')
    .data([null])
    .join('text')
    .attr('class', 'base-size')
    .attr('x', base.x + 16)
    .attr('y', base.y + 66)
    .text(d.baseText);
  g.selectAll('text.base-note')
    .data([null])
    .join('text')
    .attr('class', 'base-note')
    .attr('x', base.x + 16)
    .attr('y', base.y + 90)
    .text(d.merged ? 'merged: one matmul, no extra latency' : 'shared by every adapter');

  // Adapter slot beside the base (unmerged path).
  const slot = { x: 440, y: 20, w: 250, h: 120 };
  g.selectAll('rect.slot')
    .data([null])
    .join('rect')
    .attr('class', 'slot')
    .attr('x', slot.x)
    .attr('y', slot.y)
    .attr('width', slot.w)
    .attr('height', slot.h)
    .attr('rx', 10)
    .attr('fill', 'none')
    .attr('stroke', 'currentColor')
    .attr('stroke-dasharray', '6 5')
    .attr('stroke-width', 2);
  const inSlot = !d.merged && active;
  g.selectAll('rect.slot-b')
    .data([null])
    .join('rect')
    .attr('class', 'slot-b')
    .attr('x', slot.x + 20)
    .attr('y', slot.y + 14)
    .attr('width', 24)
    .attr('height', 60)
    .attr('rx', 3)
    .attr('fill', active?.color ?? 'none')
    .attr('stroke', 'currentColor')
    .attr('opacity', inSlot ? 1 : 0);
  g.selectAll('rect.slot-a')
    .data([null])
    .join('rect')
    .attr('class', 'slot-a')
    .attr('x', slot.x + 52)
    .attr('y', slot.y + 14)
    .attr('width', 60)
    .attr('height', 24)
    .attr('rx', 3)
    .attr('fill', active?.color ?? 'none')
    .attr('stroke', 'currentColor')
    .attr('opacity', inSlot ? 1 : 0);
  g.selectAll('text.slot-ab')
    .data([null])
    .join('text')
    .attr('class', 'slot-ab')
    .attr('x', slot.x + 124)
    .attr('y', slot.y + 32)
    .text(inSlot ? 'B · A' : '');
  g.selectAll('text.slot-label')
    .data([null])
    .join('text')
    .attr('class', 'slot-label')
    .attr('x', slot.x + 52)
    .attr('y', slot.y + 64)
    .text(inSlot ? 's·B·(A·x)' : d.merged && active ? 'folded into W0' : 'no adapter');
  g.selectAll('text.slot-name')
    .data([null])
    .join('text')
    .attr('class', 'slot-name')
    .attr('x', slot.x + 20)
    .attr('y', slot.y + 100)
    .attr('font-weight', 700)
    .text(inSlot ? active.label : d.merged && active ? '' : 'base only');
  g.selectAll('text.plus')
    .data([null])
    .join('text')
    .attr('class', 'plus big')
    .attr('x', 406)
    .attr('y', base.y + base.h / 2 + 8)
    .text('+');
  g.selectAll('text.h-out')
    .data([null])
    .join('text')
    .attr('class', 'h-out big')
    .attr('x', slot.x + slot.w + 14)
    .attr('y', base.y + base.h / 2 + 6)
    .text('→ h');

  // The shelf: every adapter kept in memory (or on disk), small next to the base.
  const shelfY = 196;
  const chipH = 64;
  g.selectAll('text.shelf-title')
    .data([null])
    .join('text')
    .attr('class', 'shelf-title')
    .attr('x', 20)
    .attr('y', shelfY + chipH + 28)
    .text(`Adapters in memory (${d.adapterText})`);
  const chipW = Math.min(170, (W - 40) / Math.max(1, d.adapters.length) - 12);
  const chips = g
    .selectAll<SVGGElement, SwapAdapter>('g.chip')
    .data(d.adapters, (a) => a.id)
    .join('g')
    .attr('class', 'chip')
    .attr('transform', (_, i) => `translate(${20 + i * (chipW + 12)},${shelfY})`);
  chips
    .selectAll('rect')
    .data((a) => [a])
    .join('rect')
    .attr('width', chipW)
    .attr('height', chipH)
    .attr('rx', 8)
    .attr('fill', (a) => a.color)
    .attr('fill-opacity', (a) => (a.id === d.activeId ? 1 : 0.35))
    .attr('stroke', 'currentColor')
    .attr('stroke-width', (a) => (a.id === d.activeId ? 4 : 1));
  chips
    .selectAll('text.chip-label')
    .data((a) => [a])
    .join('text')
    .attr('x', CHIP_PAD)
    .attr('y', 28)
    .attr('class', 'chip-label')
    .text((a) => a.label);
  chips
    .selectAll('text.chip-state')
    .data((a) => [a])
    .join('text')
    .attr('x', CHIP_PAD)
    .attr('y', 50)
    .attr('class', 'chip-state')
    .attr('font-weight', 700)
    .text((a) => (a.id === d.activeId ? (d.merged ? 'in use (merged)' : 'in use') : ''));

  // Every label inside its box, with the same margin on both sides.
  g.selectAll<SVGTextElement, unknown>('text.base-title, text.base-size, text.base-note').each(function () {
    fitText(this, base.w - 32);
  });
  g.selectAll<SVGTextElement, unknown>('text.slot-ab, text.slot-label, text.slot-name').each(function () {
    fitText(this, slot.x + slot.w - 16 - Number(this.getAttribute('x')));
  });
  chips.selectAll<SVGTextElement, unknown>('text').each(function () {
    fitText(this, chipW - 2 * CHIP_PAD);
  });

  // A link from the active chip up to where it acts (slot, or the base when merged).
  const idx = d.adapters.findIndex((a) => a.id === d.activeId);
  const from: [number, number] = [20 + idx * (chipW + 12) + chipW / 2, shelfY];
  const to: [number, number] = d.merged
    ? [base.x + base.w / 2, base.y + base.h]
    : [slot.x + slot.w / 2, slot.y + slot.h];
  g.selectAll('path.link')
    .data([null])
    .join('path')
    .attr('class', 'link')
    .attr('fill', 'none')
    .attr('stroke', 'currentColor')
    .attr('stroke-width', 2.5)

    .attr(
      'd',
      idx >= 0
        ? `M${from[0]},${from[1]} C${from[0]},${from[1] - 40} ${to[0]},${to[1] + 30} ${to[0]},${to[1] + 2}`
        : 'M0,0',
    )
    .attr('opacity', idx >= 0 ? 1 : 0);
}
