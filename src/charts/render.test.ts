import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { monthlySeriesChart, rankingBarChart } from './options.js';
import { chartFonts, renderChartPng, renderChartSvg } from './render.js';

/** Pixels of a text rendered by resvg with the given font files. */
function textPixels(text: string, files: string[]): Uint8Array {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40"><text x="4" y="30" font-size="24" font-family="'DejaVu Sans', 'Noto Sans CJK SC', sans-serif">${text}</text></svg>`;
  return new Resvg(svg, {
    background: '#fff',
    font: { fontFiles: files, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  }).render().pixels as unknown as Uint8Array;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe('server-side chart rendering', () => {
  it('finds DejaVu Sans and Noto Sans CJK in the system font folders', () => {
    const f = chartFonts();
    expect(f.latin).toMatch(/DejaVuSans\.ttf$/);
    expect(f.cjk).toMatch(/NotoSansCJK/);
  });

  it('draws Chinese glyphs, not missing-glyph boxes', () => {
    const f = chartFonts();
    // with DejaVu alone every CJK character is the same .notdef box: two different words look the same
    expect(same(textPixels('出口', [f.latin!]), textPixels('进口', [f.latin!]))).toBe(true);
    // with Noto Sans CJK loaded they are drawn as themselves
    expect(same(textPixels('出口', f.files), textPixels('进口', f.files))).toBe(false);
  });

  it('renders the dashboard builders to SVG with drawn marks, deterministically', () => {
    const option = rankingBarChart({
      title: '各地区对出口增长的拉动',
      items: [
        { name: '浙江省', value: 1.41 },
        { name: '上海市', value: 0.79 },
      ],
      unitLabel: '个百分点',
      lang: 'zh',
    });
    const svg = renderChartSvg(option, { width: 400, height: 200 });
    expect(svg).toMatch(/^<svg [^>]*width="400" height="200"/);
    // two bars in the series colours, and the labels as text
    expect(svg.match(/<path d="M[^"]+Z" fill="#(1f5fa8|c0392b)"/g)?.length).toBe(2);
    expect(svg).toContain('浙江省');
    expect(renderChartSvg(option, { width: 400, height: 200 })).toBe(svg);
  });

  it('renders a chart to PNG with resvg', () => {
    const svg = renderChartSvg(
      monthlySeriesChart({
        title: 'Exports',
        months: ['2025-01', '2025-02'],
        series: [{ name: 'Exports', values: [2335.5, 1545.7], kind: 'bar' }],
        unitLabel: 'CNY bn',
      }),
    );
    const png = renderChartPng(svg, { scale: 2 });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // 640 × 320 at scale 2
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBe(640);
  });
});
