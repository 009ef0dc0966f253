/**
 * ECharts option builders shared by the web dashboard (rendered in the browser) and the briefs
 * (rendered server-side to SVG). Pure functions: no DOM, no Node APIs, no data access.
 *
 * Values passed in are already scaled for display (e.g. billions of US dollars, or percentages);
 * the caller chooses the unit and passes its label. Names, titles and legends are passed in the
 * chosen language; `lang` only changes number formatting (grouping, decimal marks).
 *
 * @example
 * ```ts
 * import { monthlySeriesChart } from './options.js';
 * const option = monthlySeriesChart({
 *   title: 'China exports', months: ['2025-01', '2025-02'],
 *   series: [{ name: 'Exports', values: [1200.5, 1100.2] }], unitLabel: 'billion CNY',
 * });
 * chart.setOption(option); // or echarts.init(null, null, { renderer: 'svg', ssr: true, ... })
 * ```
 */
import type { EChartsOption } from 'echarts';

export type ChartLang = 'en' | 'zh';

/** A forecast path with 80 % and 95 % intervals, one value per month. */
export interface ForecastBand {
  months: string[];
  point: number[];
  lo80: number[];
  hi80: number[];
  lo95: number[];
  hi95: number[];
}

/** A node of a treemap: leaves carry values, parents may carry their own total. */
export interface TreeNode {
  name: string;
  value: number;
  children?: TreeNode[];
  /** Optional identifier kept on the data item (e.g. an HS code) for drill-down handlers. */
  id?: string;
}

/** Fonts that cover Latin and CJK glyphs; the CJK family is installed by `fonts-noto-cjk`. */
export const CHART_FONT_FAMILY = "'DejaVu Sans', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

/** Colour palette with readable contrast on white; index 0 is used for highlights. */
export const CHART_COLORS = [
  '#c0392b',
  '#1f5fa8',
  '#2e7d32',
  '#8e5b00',
  '#6a3d9a',
  '#00838f',
  '#ad1457',
  '#4e5d6c',
  '#9e6b00',
  '#37474f',
];

const HIGHLIGHT = '#c0392b';
const MUTED = '#7b8794';

/**
 * Formats a display number for axis labels and tooltips.
 *
 * @example
 * formatChartNumber(1234.56, 'en') // "1,234.6"
 * formatChartNumber(1234.56, 'zh') // "1,234.6"
 */
export function formatChartNumber(value: number | null | undefined, lang: ChartLang = 'en', digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: Math.abs(value) >= 100 ? 0 : Math.min(digits, 1),
  }).format(value);
}

/** Axis ticks: whole numbers without decimals; ticks between whole numbers (0.2, 0.4 …) keep theirs. */
function axisNumber(v: number, lang: ChartLang): string {
  return formatChartNumber(v, lang, Number.isInteger(v) ? 0 : Math.abs(v) < 1 ? 2 : 1);
}

function base(title: string, lang: ChartLang, animation: boolean | undefined): EChartsOption {
  return {
    animation: animation ?? true,
    color: CHART_COLORS,
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    aria: { enabled: true },
    title: { text: title, left: 0, textStyle: { fontSize: 14, fontWeight: 'bold', fontFamily: CHART_FONT_FAMILY } },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => formatChartNumber(typeof v === 'number' ? v : Number(v), lang),
    },
  };
}

function unitAxisName(unitLabel: string): { name: string; nameTextStyle: { align: 'left' } } {
  return { name: unitLabel, nameTextStyle: { align: 'left' } };
}

/**
 * Monthly series (lines or bars) with an optional forecast: a dashed point path and shaded
 * 80 % / 95 % interval bands drawn as stacked areas.
 */
export function monthlySeriesChart(input: {
  title: string;
  months: string[];
  series: { name: string; values: (number | null)[]; kind?: 'line' | 'bar' }[];
  forecast?: ForecastBand & { name: string };
  unitLabel: string;
  lang?: ChartLang;
  animation?: boolean;
}): EChartsOption {
  const lang = input.lang ?? 'en';
  const months = [...new Set([...input.months, ...(input.forecast?.months ?? [])])].sort();
  const index = new Map(months.map((m, i) => [m, i]));
  const align = (ms: string[], values: (number | null)[]): (number | null)[] => {
    const out: (number | null)[] = months.map(() => null);
    ms.forEach((m, i) => {
      const at = index.get(m);
      if (at !== undefined) out[at] = values[i] ?? null;
    });
    return out;
  };
  const series: Record<string, unknown>[] = input.series.map((s) => ({
    name: s.name,
    type: s.kind ?? 'line',
    data: align(input.months, s.values),
    showSymbol: (s.kind ?? 'line') === 'line' && input.months.length <= 24,
    symbolSize: 5,
    connectNulls: false,
  }));
  const legend: string[] = input.series.map((s) => s.name);
  const f = input.forecast;
  if (f) {
    const band = (lo: number[], hi: number[], stack: string, name: string, opacity: number) => [
      {
        name: `${name} lo`,
        type: 'line',
        stack,
        stackStrategy: 'all',
        data: align(f.months, lo),
        lineStyle: { opacity: 0 },
        showSymbol: false,
        silent: true,
        tooltip: { show: false },
      },
      {
        name,
        type: 'line',
        stack,
        stackStrategy: 'all',
        data: align(
          f.months,
          hi.map((h, i) => h - (lo[i] ?? h)),
        ),
        lineStyle: { opacity: 0 },
        itemStyle: { color: HIGHLIGHT, opacity: opacity * 3 },
        areaStyle: { color: HIGHLIGHT, opacity },
        showSymbol: false,
        silent: true,
        tooltip: { show: false },
      },
    ];
    const name95 = lang === 'zh' ? '95%区间' : '95% interval';
    const name80 = lang === 'zh' ? '80%区间' : '80% interval';
    series.push(...band(f.lo95, f.hi95, 'fan95', name95, 0.12), ...band(f.lo80, f.hi80, 'fan80', name80, 0.22));
    series.push({
      name: f.name,
      type: 'line',
      data: align(f.months, f.point),
      lineStyle: { type: 'dashed', width: 2, color: HIGHLIGHT },
      itemStyle: { color: HIGHLIGHT },
      showSymbol: true,
      symbolSize: 4,
    });
    legend.push(f.name, name80, name95);
  }
  return {
    ...base(input.title, lang, input.animation),
    legend: { data: legend, top: 24, type: 'scroll' },
    grid: { left: 8, right: 16, top: 72, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months, boundaryGap: input.series.some((s) => s.kind === 'bar') },
    yAxis: {
      type: 'value',
      ...unitAxisName(input.unitLabel),
      axisLabel: { formatter: (v: number) => axisNumber(v, lang) },
    },
    series,
  } as EChartsOption;
}

/** Horizontal ranking bars, largest first; `highlight` items are drawn in the accent colour. */
export function rankingBarChart(input: {
  title: string;
  items: { name: string; value: number; highlight?: boolean }[];
  unitLabel: string;
  lang?: ChartLang;
  animation?: boolean;
}): EChartsOption {
  const lang = input.lang ?? 'en';
  const items = [...input.items].sort((a, b) => b.value - a.value);
  return {
    ...base(input.title, lang, input.animation),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => `${formatChartNumber(Number(v), lang)} ${input.unitLabel}`,
    },
    grid: { left: 8, right: 48, top: 40, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      ...unitAxisName(input.unitLabel),
      axisLabel: { formatter: (v: number) => axisNumber(v, lang) },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: items.map((i) => i.name),
      axisLabel: { width: 120, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: input.unitLabel,
        data: items.map((i) => ({ value: i.value, itemStyle: { color: i.highlight ? HIGHLIGHT : '#1f5fa8' } })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: unknown }) => formatChartNumber(Number(p.value), lang),
        },
      },
    ],
  } as EChartsOption;
}

/** Shares over time (values in percent, e.g. 14.7 for 14.7 %); highlighted series are drawn thicker. */
export function shareLinesChart(input: {
  title: string;
  periods: string[];
  series: { name: string; values: (number | null)[]; highlight?: boolean }[];
  lang?: ChartLang;
  animation?: boolean;
}): EChartsOption {
  const lang = input.lang ?? 'en';
  return {
    ...base(input.title, lang, input.animation),
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => `${formatChartNumber(Number(v), lang)}%`,
    },
    legend: { data: input.series.map((s) => s.name), top: 24, type: 'scroll' },
    grid: { left: 8, right: 16, top: 72, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: input.periods, boundaryGap: false },
    yAxis: { type: 'value', name: '%', axisLabel: { formatter: (v: number) => `${formatChartNumber(v, lang, 0)}%` } },
    series: input.series.map((s) => ({
      name: s.name,
      type: 'line',
      data: s.values,
      showSymbol: input.periods.length <= 30,
      symbolSize: s.highlight ? 7 : 4,
      lineStyle: { width: s.highlight ? 4 : 1.5 },
      emphasis: { focus: 'series' },
      z: s.highlight ? 5 : 2,
      ...(s.highlight ? { color: HIGHLIGHT } : {}),
    })),
  } as EChartsOption;
}

/** A nested treemap (e.g. HS section → chapter → heading); clicking a node zooms into it. */
export function treemapChart(input: {
  title: string;
  tree: TreeNode[];
  unitLabel: string;
  lang?: ChartLang;
  animation?: boolean;
}): EChartsOption {
  const lang = input.lang ?? 'en';
  return {
    ...base(input.title, lang, input.animation),
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const item = p as { name?: string; value?: unknown; treePathInfo?: { name: string }[] };
        const path = (item.treePathInfo ?? [])
          .map((n) => n.name)
          .filter((n) => n)
          .join(' › ');
        return `${escapeHtml(path || item.name || '')}<br/>${formatChartNumber(Number(item.value), lang)} ${escapeHtml(input.unitLabel)}`;
      },
    },
    series: [
      {
        type: 'treemap',
        name: input.title,
        data: input.tree as unknown as Record<string, unknown>[],
        top: 40,
        left: 0,
        right: 0,
        bottom: 28,
        roam: false,
        nodeClick: 'zoomToNode',
        leafDepth: 1,
        breadcrumb: { show: true, bottom: 0 },
        label: { show: true, formatter: '{b}', overflow: 'truncate' },
        upperLabel: { show: true, height: 20 },
        levels: [
          { itemStyle: { borderColor: '#fff', borderWidth: 2, gapWidth: 2 }, upperLabel: { show: false } },
          { itemStyle: { borderColor: '#fff', borderWidth: 1, gapWidth: 1 }, colorSaturation: [0.35, 0.6] },
          { itemStyle: { borderColorSaturation: 0.7, gapWidth: 1 }, colorSaturation: [0.3, 0.5] },
        ],
      },
    ],
  } as EChartsOption;
}

/** Reported trade against the partners' mirror figures, one pair of bars per partner. */
export function mirrorChart(input: {
  title: string;
  partners: string[];
  reported: number[];
  mirror: number[];
  unitLabel: string;
  lang?: ChartLang;
  animation?: boolean;
  /** Legend names for the two bars (defaults: "Reported" / "Mirror (partner-reported)"). */
  names?: [string, string];
}): EChartsOption {
  const lang = input.lang ?? 'en';
  const [reportedName, mirrorName] =
    input.names ?? (lang === 'zh' ? ['申报数据', '镜像数据（伙伴申报）'] : ['Reported', 'Mirror (partner-reported)']);
  return {
    ...base(input.title, lang, input.animation),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => `${formatChartNumber(Number(v), lang)} ${input.unitLabel}`,
    },
    legend: { data: [reportedName, mirrorName], top: 24 },
    grid: { left: 8, right: 16, top: 64, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: input.partners,
      axisLabel: { interval: 0, rotate: input.partners.length > 6 ? 30 : 0 },
    },
    yAxis: {
      type: 'value',
      ...unitAxisName(input.unitLabel),
      axisLabel: { formatter: (v: number) => axisNumber(v, lang) },
    },
    series: [
      { name: reportedName, type: 'bar', data: input.reported, itemStyle: { color: '#1f5fa8' } },
      { name: mirrorName, type: 'bar', data: input.mirror, itemStyle: { color: MUTED } },
    ],
  } as EChartsOption;
}

/** Several series over periods as lines (e.g. basket values over time, or YoY per basket part). */
export function multiLineChart(input: {
  title: string;
  periods: string[];
  series: { name: string; values: (number | null)[] }[];
  unitLabel: string;
  lang?: ChartLang;
  animation?: boolean;
}): EChartsOption {
  const lang = input.lang ?? 'en';
  return {
    ...base(input.title, lang, input.animation),
    legend: { data: input.series.map((s) => s.name), top: 24, type: 'scroll' },
    grid: { left: 8, right: 16, top: 72, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: input.periods, boundaryGap: false },
    yAxis: {
      type: 'value',
      ...unitAxisName(input.unitLabel),
      axisLabel: { formatter: (v: number) => axisNumber(v, lang) },
    },
    series: input.series.map((s) => ({
      name: s.name,
      type: 'line',
      data: s.values,
      showSymbol: input.periods.length <= 30,
    })),
  } as EChartsOption;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
