/**
 * A chart panel: title, the chart (ECharts, SVG renderer), a note on the data, a CSV download of exactly the
 * data drawn, and, when the data lacks the view's dimension, a plain statement of what is missing instead of
 * an empty chart.
 */
import { BarChart, LineChart, TreemapChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

echarts.use([LineChart, BarChart, TreemapChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, AriaComponent, SVGRenderer]);

export type Csv = { headers: string[]; rows: (string | number | null | undefined)[][] };

export interface Panel {
  el: HTMLElement;
  chart: echarts.ECharts | null;
  draw(option: EChartsOption, csv: Csv, note?: string): echarts.ECharts;
  missing(text: string, note?: string): void;
  addNote(text: string): void;
  body: HTMLElement;
}

const live = new Set<echarts.ECharts>();
let observer: ResizeObserver | undefined;

export function disposeCharts(): void {
  for (const c of live) c.dispose();
  live.clear();
}

export function panel(parent: HTMLElement, id: string, title: string, opts: { wide?: boolean; tall?: boolean } = {}): Panel {
  const el = document.createElement('section');
  el.className = `panel${opts.wide ? ' wide' : ''}${opts.tall ? ' tall' : ''}`;
  el.id = `panel-${id}`;
  el.setAttribute('aria-labelledby', `h-${id}`);
  const h = document.createElement('h3');
  h.id = `h-${id}`;
  h.textContent = title;
  const body = document.createElement('div');
  el.append(h, body);
  parent.append(el);
  const p: Panel = {
    el,
    body,
    chart: null,
    draw(option, csv, note) {
      body.replaceChildren();
      const div = document.createElement('div');
      div.className = 'chart';
      div.setAttribute('role', 'img');
      div.setAttribute('aria-label', title);
      div.dataset.rows = String(csv.rows.length);
      body.append(div);
      const chart = echarts.init(div, null, { renderer: 'svg' });
      chart.setOption(option);
      live.add(chart);
      observer ??= new ResizeObserver(() => {
        for (const c of live) c.resize();
      });
      observer.observe(div);
      p.chart = chart;
      if (note) p.addNote(note);
      const actions = document.createElement('div');
      actions.className = 'actions';
      const a = document.createElement('a');
      a.className = 'csv';
      a.textContent = document.documentElement.lang.startsWith('zh') ? '下载数据（CSV）' : 'Download data (CSV)';
      a.download = `${id}.csv`;
      a.href = URL.createObjectURL(new Blob([csvText(csv)], { type: 'text/csv;charset=utf-8' }));
      // XLSX beside CSV: the same data, built in the browser by the product's workbook writer (loaded on click)
      const x = document.createElement('a');
      x.className = 'xlsx';
      x.textContent = document.documentElement.lang.startsWith('zh') ? '下载数据（XLSX）' : 'Download data (XLSX)';
      x.download = `${id}.xlsx`;
      x.href = '#';
      x.addEventListener('click', async (ev) => {
        if (x.dataset.ready) return;
        ev.preventDefault();
        const { xlsxBytes } = await import('../../src/export/xlsx-workbook.js');
        const bytes = await xlsxBytes(xlsxTable(title, csv, note));
        x.href = URL.createObjectURL(
          new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
        );
        x.dataset.ready = '1';
        x.click();
      });
      actions.append(a, x);
      body.append(actions);
      return chart;
    },
    missing(text, note) {
      body.replaceChildren();
      el.classList.add('is-missing');
      const m = document.createElement('p');
      m.className = 'missing';
      m.textContent = text;
      body.append(m);
      if (note) p.addNote(note);
    },
    addNote(text) {
      const n = document.createElement('p');
      n.className = 'note';
      n.textContent = text;
      body.append(n);
    },
  };
  return p;
}

/** A panel's data as the workbook writer's table: numeric columns are those holding numbers only. */
export function xlsxTable(title: string, csv: Csv, note?: string) {
  const columns = csv.headers;
  const rows = csv.rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
  const numeric = columns.filter((_, i) => csv.rows.some((r) => typeof r[i] === 'number') && csv.rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === 'number'));
  return {
    columns,
    rows,
    numeric,
    provenance: [
      ['panel', title],
      ['page', typeof location === 'undefined' ? '' : location.href],
    ] as [string, string][],
    notes: note ? [note] : [],
  };
}

export function csvText(csv: Csv): string {
  const cell = (c: string | number | null | undefined) => {
    const s = c === null || c === undefined ? "" : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[csv.headers, ...csv.rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function sectionTitle(parent: HTMLElement, text: string, id: string): void {
  const h = document.createElement('h2');
  h.className = 'section-title';
  h.id = id;
  h.textContent = text;
  parent.append(h);
}
