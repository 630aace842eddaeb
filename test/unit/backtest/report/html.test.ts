import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../../src/backtest/report/html.js';
import type { ClosedTrade } from '../../../../src/model/types.js';
import { DAY, HOSTILE, T0, TRADES, longResult, makeResult } from './fixture.js';

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(makeResult());

  it('is one self-contained document: no scripts, links or remote resources', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/src="http/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).toContain('<style>');
  });

  it('draws the equity and drawdown charts as inline SVG', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('class="equity-line"');
    expect(html).toContain('class="underwater-area"');
  });

  it('escapes hostile text from params, symbols and messages', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('note=&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('BRK,&quot;A&quot;');
    const hostile = renderHtmlReport(makeResult({ config: { ...makeResult().config, strategy: '</title><script>x()</script>' } }));
    expect(hostile).not.toMatch(/<script/i);
    expect(hostile).toContain('&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;');
  });

  it('lists every trade with signed P&L colouring', () => {
    expect(html).toContain('<td>NVDA</td><td>long</td><td>100</td><td>2024-01-03</td><td>101.25</td>');
    expect(html).toContain('<td class="p">15,000.00</td>');
    expect(html).toContain('<td class="n">-2,654.32</td>');
  });

  it('shows metric cards, the monthly heat-map, open positions, rejections and config', () => {
    expect(html).toContain('112,345.68');
    expect(html).toContain('12.35%');
    expect(html).toMatch(/<table class="heat">.*<td>2023<\/td>/);
    expect(html).toContain('>12.3%</td>');
    expect(html).toContain('AAPL');
    expect(html).toContain('MAX_POSITION × 1');
    expect(html).toContain('per-share:0.005');
  });

  it('omits the rejections section when risk refused nothing', () => {
    expect(renderHtmlReport(makeResult({ rejections: [] }))).not.toContain('id="rejections"');
  });

  it('shows the first and last 1,000 trades of a long list, with a note', () => {
    const [t] = TRADES;
    if (t === undefined) throw new Error('fixture has trades');
    const trades: ClosedTrade[] = Array.from({ length: 2500 }, (_, i) => ({ ...t, entryTime: T0 + i * DAY, exitTime: T0 + (i + 1) * DAY }));
    const page = renderHtmlReport(makeResult({ trades }));
    const rows = page.slice(page.indexOf('<table class="trades">')).split('</table>')[0]?.match(/<tr>/g) ?? [];
    expect(rows).toHaveLength(1 + 2000); // header + shown trades
    expect(page).toContain('500 trades not shown');
    expect(page).toContain('<tr><td>1000</td>');
    expect(page).toContain('<tr><td>1501</td>');
    expect(page).not.toContain('<tr><td>1001</td>');
  });

  it('stays under 1 MB for a 1M-bar run', () => {
    const page = renderHtmlReport(longResult(1_000_000));
    expect(Buffer.byteLength(page)).toBeLessThan(1_000_000);
    expect(page).toContain('<svg ');
  });

  it('renders an empty run without failing', () => {
    const empty = makeResult({ times: new Float64Array(0), equity: Float64Array.of(100_000), trades: [], monthlyReturns: [] });
    const page = renderHtmlReport(empty);
    expect(page).toContain('No data');
    expect(page).toContain('No closed trades.');
  });
});
