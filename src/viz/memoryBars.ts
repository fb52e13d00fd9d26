/**
 * Stacked horizontal bars of training memory (weights, master copy, gradients, Adam m and v)
 * for several set-ups, on one shared byte axis. Parts are told apart by colour and by label.
 */
import * as d3 from 'd3';
import { byteTicks, drawAxis, drawAxisTitle } from './axes';

export interface MemoryPart {
  key: string;
  label: string;
  bytes: number;
}

export interface MemoryBar {
  label: string;
  parts: MemoryPart[];
}

export interface MemoryBarsOptions {
  width: number;
  format: (bytes: number) => string;
  colors: Record<string, string>;
}

export function renderMemoryBars(svgEl: SVGSVGElement, bars: MemoryBar[], o: MemoryBarsOptions): void {
  const barH = 38;
  const gap = 22;
  const m = { top: 8, right: 110, bottom: 76, left: 200 };
  const w = o.width - m.left - m.right;
  const h = bars.length * (barH + gap);
  const height = h + m.top + m.bottom;
  const svg = d3.select(svgEl).attr('viewBox', `0 0 ${o.width} ${height}`).classed('viz-memory', true);
  const totals = bars.map((b) => d3.sum(b.parts, (p) => p.bytes));
  const bytes = byteTicks(d3.max(totals) ?? 0);
  const x = d3.scaleLinear().domain(bytes.domain).range([0, w]);
  const g = svg
    .selectAll<SVGGElement, null>('g.plot')
    .data([null])
    .join('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${m.left},${m.top})`);
  const xAxis = d3
    .axisBottom(x)
    .tickValues(bytes.ticks)
    .tickFormat((v) => bytes.format(Number(v)));
  drawAxis(g, 'x-axis axis', xAxis, `translate(0,${h - gap + 6})`);
  drawAxisTitle(g, {
    className: 'x-label axis-label',
    text: 'training memory (weights + gradients + optimizer state; activations not included)',
    x: w / 2,
    y: h + 30,
  });

  const rows = g
    .selectAll<SVGGElement, MemoryBar>('g.bar')
    .data(bars, (b) => b.label)
    .join('g')
    .attr('class', 'bar')
    .attr('transform', (_, i) => `translate(0,${i * (barH + gap)})`);
  rows
    .selectAll('text.bar-label')
    .data((b) => [b.label])
    .join('text')
    .attr('class', 'bar-label')
    .attr('x', -10)
    .attr('y', barH / 2 + 5)
    .attr('text-anchor', 'end')
    .text((t) => t);
  rows
    .selectAll('rect')
    .data((b) => {
      let acc = 0;
      return b.parts.filter((p) => p.bytes > 0).map((p) => ({ p, x0: (acc += p.bytes) - p.bytes }));
    })
    .join('rect')
    .attr('x', (d) => x(d.x0))
    .attr('width', (d) => Math.max(0.5, x(d.x0 + d.p.bytes) - x(d.x0)))
    .attr('height', barH)
    .attr('fill', (d) => o.colors[d.p.key] ?? '#999')
    .attr('stroke', 'var(--bg)')
    .attr('stroke-width', 1)
    .selectAll('title')
    .data((d) => [d])
    .join('title')
    .text((d) => `${d.p.label}: ${o.format(d.p.bytes)}`);
  rows
    .selectAll('text.total')
    .data((b) => [d3.sum(b.parts, (p) => p.bytes)])
    .join('text')
    .attr('class', 'total')
    .attr('x', (t) => x(t) + 8)
    .attr('y', barH / 2 + 5)
    .text((t) => o.format(t));

  const keys = [
    ...new Map(
      bars
        .flatMap((b) => b.parts)
        .filter((p) => p.bytes > 0)
        .map((p) => [p.key, p.label]),
    ).entries(),
  ];
  const offsets = keys.map((_, i) => keys.slice(0, i).reduce((a, k) => a + 40 + 9 * k[1].length, 0));
  const legend = svg
    .selectAll<SVGGElement, null>('g.legend')
    .data([null])
    .join('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${m.left},${h + m.top + 46})`);
  const item = legend
    .selectAll<SVGGElement, [string, string]>('g.item')
    .data(keys, (k) => k[0])
    .join('g')
    .attr('class', 'item')
    .attr('transform', (_, i) => `translate(${offsets[i]},0)`);
  item
    .selectAll('rect')
    .data((k) => [k])
    .join('rect')
    .attr('width', 16)
    .attr('height', 16)
    .attr('fill', (k) => o.colors[k[0]] ?? '#999');
  item
    .selectAll('text')
    .data((k) => [k])
    .join('text')
    .attr('x', 22)
    .attr('y', 13)
    .attr('class', 'legend-label')
    .text((k) => k[1]);
}
