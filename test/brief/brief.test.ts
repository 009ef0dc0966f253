/**
 * The brief on the bundled data through June 2025, end to end: golden files (English and Chinese, Markdown and
 * HTML), every number re-computed through the query API, the headline against GAC's published figures, and a
 * brief with little data saying what it cannot say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrief } from '../../src/brief/compose.js';
import { projectionRow } from '../../src/brief/context.js';
import { cellText, formatNum, numValue } from '../../src/brief/numbers.js';
import { pointText } from '../../src/brief/render/common.js';
import { renderHtml } from '../../src/brief/render/html.js';
import { renderMarkdown } from '../../src/brief/render/markdown.js';
import type { Brief, CellRef } from '../../src/brief/types.js';
import { type ProjectionSpec, projectFullYear } from '../../src/forecast/projection.js';
import { query } from '../../src/query/engine.js';
import { compareGolden } from './golden.js';
import { storeWith, type TestStore } from './store.js';

describe('the brief for China, January–June 2025 (bundled data)', { timeout: 300_000 }, () => {
  let t: TestStore;
  let brief: Brief;
  beforeAll(async () => {
    t = await storeWith('all');
    brief = await buildBrief(t.store, { reporter: 'CHN', period: 'ytd:2025-06' });
  }, 300_000);
  afterAll(async () => t?.close());

  it('leads with the published headline: exports 13.00 trillion yuan, up 7.2 %', () => {
    // GAC, H1 2025: exports 13,000,388,810,000 CNY, YTD YoY +7.18 % (published)
    const md = { en: renderMarkdown(brief, 'en'), zh: renderMarkdown(brief, 'zh') };
    expect(md.en).toContain("1. China's exports reached CNY 13.00 trillion in January–June 2025, up 7.2% year on year");
    expect(md.zh).toContain('1. 2025年1—6月，中国出口13.00万亿元，同比增长7.2%');
    expect(brief.points.slice(0, 3).map((p) => p.id)).toEqual([
      'headline.exports',
      'headline.imports',
      'headline.balance',
    ]);
  });

  it('matches the golden Markdown and HTML, in English and Chinese', () => {
    const problems = [
      compareGolden('chn-ytd-2025-06.en.md', renderMarkdown(brief, 'en')),
      compareGolden('chn-ytd-2025-06.zh.md', renderMarkdown(brief, 'zh')),
      compareGolden('chn-ytd-2025-06.en.html', renderHtml(brief, 'en')),
      compareGolden('chn-ytd-2025-06.zh.html', renderHtml(brief, 'zh')),
    ].filter(Boolean);
    expect(problems).toEqual([]);
  });

  it('every number in the brief equals a fresh run of its footnoted query, and appears in the text', async () => {
    const results = new Map<number, { rows: Record<string, unknown>[] }>();
    const rerun = async (n: number) => {
      const s = brief.sources[n]!;
      if (s.kind === 'projection')
        return { rows: [projectionRow(await projectFullYear(t.store, s.spec as unknown as ProjectionSpec))] };
      return query(t.store, s.spec);
    };
    const read = (c: CellRef) => {
      const r = results.get(c.source);
      return r ? cellText(r as { rows: Record<string, string | number | null>[] }, c.match, c.column) : undefined;
    };
    let checked = 0;
    for (const p of [...brief.points, ...brief.dropped]) {
      for (const n of Object.values(p.nums)) {
        for (const c of [n.cell, ...(n.minus ? [n.minus] : [])]) {
          if (!results.has(c.source)) results.set(c.source, await rerun(c.source));
        }
        expect(numValue(n, read), `${p.id}: ${JSON.stringify(n.cell)}`).toBe(n.value);
        for (const lang of ['en', 'zh'] as const) expect(pointText(p, lang)).toContain(formatNum(n, lang));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
    // and every footnote names a query that validates and its dataset's release
    const md = renderMarkdown(brief, 'en');
    for (const m of md.matchAll(/^\[\^(\d+)\]: `(\{.*\})` — dataset (\S+), release /gm)) {
      const spec = JSON.parse(m[2]!);
      const again = await query(t.store, spec);
      expect(again.provenance.dataset).toBe(m[3]);
    }
  });

  it('says plainly what it cannot say', () => {
    const en = brief.missing.map((m) => m.text.en).join('\n');
    expect(en).toMatch(
      /No partner breakdown of the total trade of China covers January–June 2025 and the same period a year earlier/,
    );
    expect(en).toMatch(/have no product detail/);
    expect(en).toMatch(/Mirror gaps cannot be computed/);
    expect(renderMarkdown(brief, 'zh')).toContain('## 本简报无法涵盖的内容');
  });

  it('ranks by newsworthiness and keeps at most three points per detector', () => {
    const rest = brief.points.slice(3);
    expect(rest.length).toBeLessThanOrEqual(8);
    for (let i = 1; i < rest.length; i++) expect(rest[i - 1]!.score).toBeGreaterThanOrEqual(rest[i]!.score);
    const per = new Map<string, number>();
    for (const p of rest) per.set(p.detector, (per.get(p.detector) ?? 0) + 1);
    expect(Math.max(...per.values())).toBeLessThanOrEqual(3);
    expect(brief.dropped.every((d) => d.score <= rest.at(-1)!.score || (per.get(d.detector) ?? 0) >= 3)).toBe(true);
  });

  it('a reporter with little data gets a brief that says what it cannot say, and invents nothing', async () => {
    const thin = await buildBrief(t.store, { reporter: 'DEU', period: 'ytd:2025-06' });
    expect(thin.points).toHaveLength(0);
    const md = renderMarkdown(thin, 'en');
    expect(md).toContain('No totals for Germany in January–June 2025 are loaded');
    expect(md).not.toMatch(/\d+\.\d+%/);
    expect(renderMarkdown(thin, 'zh')).toContain('未载入德国2025年1—6月的贸易总值数据');
  });

  it('rejects a bad request naming the field', async () => {
    await expect(buildBrief(t.store, { reporter: 'XXX', period: 'ytd:2025-06' })).rejects.toThrow(
      /reporter: unknown code XXX/,
    );
    await expect(buildBrief(t.store, { reporter: 'CHN', period: '2025-13' })).rejects.toThrow(
      /--period: invalid period: 2025-13/,
    );
  });
});
