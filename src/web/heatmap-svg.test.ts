import { describe, expect, it } from 'vitest';
import type { CoverageCell } from './coverage.js';
import { renderHeatmapSvg } from './heatmap-svg.js';

function cell(date: string, status: CoverageCell['status'], reason = ''): CoverageCell {
  return { date, status, rows: 5, expected: 10, ratio: 0.5, vendors: { alpaca: 5 }, reason };
}

function rects(svg: string): { x: number; y: number; date: string; status: string }[] {
  return [...svg.matchAll(/<rect class="cell" x="(\d+)" y="(\d+)"[^>]*data-date="([^"]+)" data-status="([^"]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), date: m[3] as string, status: m[4] as string }));
}

describe('renderHeatmapSvg', () => {
  it('places each session by week (column) and weekday (row)', () => {
    // Fri 2026-11-13, Mon 2026-11-16, Tue 2026-11-17.
    const svg = renderHeatmapSvg([cell('2026-11-13', 'GREEN'), cell('2026-11-16', 'AMBER'), cell('2026-11-17', 'RED')], { title: 't' });
    const placed = rects(svg);
    expect(placed.map((r) => r.status)).toEqual(['GREEN', 'AMBER', 'RED']);
    const [fri, mon, tue] = placed as [(typeof placed)[0], (typeof placed)[0], (typeof placed)[0]];
    expect(mon.x).toBeGreaterThan(fri.x);
    expect(tue.x).toBe(mon.x);
    expect(mon.y).toBeLessThan(tue.y);
    expect(fri.y).toBeGreaterThan(tue.y);
  });

  it('escapes reasons in attributes and tooltips', () => {
    const svg = renderHeatmapSvg([cell('2026-11-16', 'AMBER', 'missing <AAA> & "BBB"')], { title: 't' });
    expect(svg).toContain('data-reason="missing &lt;AAA&gt; &amp; &quot;BBB&quot;"');
    expect(svg).toContain('<title>2026-11-16 AMBER: 5/10 rows (alpaca:5) — missing &lt;AAA&gt; &amp; &quot;BBB&quot;</title>');
    expect(svg).not.toContain('<AAA>');
  });

  it('labels months without overlapping a month that starts right after', () => {
    const svg = renderHeatmapSvg([cell('2026-08-31', 'GREEN'), cell('2026-09-01', 'GREEN'), cell('2026-10-01', 'GREEN')], { title: 't' });
    const labels = [...svg.matchAll(/<text x="\d+" y="\d+">(\d{4}-\d{2})<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['2026-09', '2026-10']);
  });

  it('starts at `from` so bands of several datasets share their columns, and names its dataset', () => {
    const alone = rects(renderHeatmapSvg([cell('2026-11-16', 'GREEN')], { title: 't' }));
    const svg = renderHeatmapSvg([cell('2026-11-16', 'GREEN')], { title: 't', dataset: 'options_chain', from: '2026-11-02' });
    expect(svg).toMatch(/^<svg [^>]*class="heatmap" data-dataset="options_chain"/);
    expect((rects(svg)[0] as { x: number }).x - (alone[0] as { x: number }).x).toBe(2 * 14); // two weeks later, 12 px cells + 2 px gaps
    // A `from` after the first cell does not cut cells off.
    expect(rects(renderHeatmapSvg([cell('2026-11-16', 'GREEN')], { title: 't', from: '2026-12-01' }))[0]?.x).toBe(alone[0]?.x);
  });

  it('says so when there is no ledger', () => {
    expect(renderHeatmapSvg([], { title: 't' })).toContain('no ledger rows');
  });
});
