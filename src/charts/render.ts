/**
 * Server-side chart rendering: the dashboard's ECharts options ({@link ./options.ts}) drawn to SVG with
 * ECharts' own server-side renderer, and SVG to PNG with resvg. The same option builders serve the browser
 * and the briefs, so a brief's chart is the dashboard's chart.
 *
 * Fonts: DejaVu Sans for Latin text and Noto Sans CJK for Chinese, read from the system font folders
 * (Debian's `fonts-dejavu-core` and `fonts-noto-cjk`); {@link chartFonts} says which were found.
 *
 * @example
 * ```ts
 * const svg = renderChartSvg(monthlySeriesChart({ title: 'Exports', months, series, unitLabel: 'CNY bn' }));
 * const png = renderChartPng(svg); // a Buffer
 * ```
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { EChartsOption } from 'echarts';
import * as echarts from 'echarts';

/** Size of a rendered chart in CSS pixels. */
export interface ChartSize {
  width: number;
  height: number;
}

/** The default size: fits an A4 page's text width at 96 dpi with margins. */
export const DEFAULT_CHART_SIZE: ChartSize = { width: 640, height: 320 };

/**
 * Renders an ECharts option to a standalone SVG string, without animation. The output is deterministic: the
 * renderer's global class counters (`zr3-cls-17`) are renumbered per chart under `idPrefix`, which also keeps
 * the styles of several charts inlined in one HTML page apart.
 * @example renderChartSvg(rankingBarChart({ title: 'Top partners', items, unitLabel: 'US$ bn' }))
 */
export function renderChartSvg(
  option: EChartsOption,
  size: ChartSize = DEFAULT_CHART_SIZE,
  opts: { idPrefix?: string } = {},
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  let svg: string;
  try {
    chart.setOption({ ...option, animation: false });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const prefix = (opts.idPrefix ?? 'chart').replace(/[^A-Za-z0-9_-]/g, '-');
  const names = new Map<string, string>();
  return svg.replace(/\bzr\d+-cls-\d+\b/g, (name) => {
    let n = names.get(name);
    if (!n) {
      n = `${prefix}-c${names.size}`;
      names.set(name, n);
    }
    return n;
  });
}

/** Font files found for chart text, and which families they cover. */
export interface ChartFonts {
  files: string[];
  latin?: string;
  cjk?: string;
}

const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts'];
const LATIN_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
const CJK_FILES = ['NotoSansCJK-Regular.ttc', 'NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Regular.otf'];

let cachedFonts: ChartFonts | undefined;

/**
 * The DejaVu Sans and Noto Sans CJK files in the system font folders (`TRADESCOPE_FONT_DIRS`, colon-separated,
 * overrides them). Missing fonts are reported by {@link renderChartPng}'s caller through `latin`/`cjk` being unset.
 */
export function chartFonts(): ChartFonts {
  if (cachedFonts) return cachedFonts;
  const dirs = process.env.TRADESCOPE_FONT_DIRS?.split(':').filter(Boolean) ?? FONT_DIRS;
  const found = new Map<string, string>();
  const walk = (dir: string, depth: number): void => {
    if (depth > 4 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if ([...LATIN_FILES, ...CJK_FILES].includes(entry.name) && !found.has(entry.name))
        found.set(entry.name, path);
    }
  };
  for (const d of dirs) walk(d, 0);
  const latin = LATIN_FILES.map((f) => found.get(f)).find(Boolean);
  const cjk = CJK_FILES.map((f) => found.get(f)).find(Boolean);
  cachedFonts = { files: [...found.values()], ...(latin ? { latin } : {}), ...(cjk ? { cjk } : {}) };
  return cachedFonts;
}

/**
 * Renders an SVG to PNG with resvg, with DejaVu Sans and Noto Sans CJK loaded (system fonts are not scanned,
 * so the output does not depend on what else is installed).
 * @param scale pixels per CSS pixel (2 for print)
 */
export function renderChartPng(svg: string, opts: { scale?: number; fonts?: ChartFonts } = {}): Buffer {
  const fonts = opts.fonts ?? chartFonts();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: opts.scale ?? 1 },
    background: '#ffffff',
    font: {
      fontFiles: fonts.files,
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}
