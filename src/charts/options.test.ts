import * as echarts from 'echarts';
import { describe, expect, it } from 'vitest';
import { mirrorChart, monthlySeriesChart, rankingBarChart, shareLinesChart, treemapChart } from './options.js';

type Series = { name: string; type: string; data: (number | null | { value: number })[]; stack?: string };

function svgOf(option: object): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 });
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

describe('chart options', () => {
  it('monthly series: history and forecast on one month axis, the fan as stacked bands (lower, then width)', () => {
    const o = monthlySeriesChart({
      title: 'exports',
      months: ['2025-05', '2025-06'],
      series: [{ name: 'exports', values: [2276.7, 2339.7] }],
      forecast: {
        name: 'forecast',
        months: ['2025-07'],
        point: [2291],
        lo80: [2014],
        hi80: [2558],
        lo95: [1832],
        hi95: [2700],
      },
      unitLabel: 'CNY billion',
      animation: false,
    }) as { xAxis: { data: string[] }; series: Series[]; animation: boolean; textStyle: { fontFamily: string } };
    expect(o.animation).toBe(false);
    expect(o.textStyle.fontFamily).toContain('Noto Sans CJK SC');
    expect(o.xAxis.data).toEqual(['2025-05', '2025-06', '2025-07']);
    const byName = (n: string) => o.series.filter((s) => s.name === n);
    expect(byName('exports')[0]!.data).toEqual([2276.7, 2339.7, null]);
    expect(byName('forecast')[0]!.data).toEqual([null, null, 2291]);
    // 95 %: lower 1832, then the width 2700 − 1832 = 868 stacked on it
    expect(o.series.filter((s) => s.stack === 'fan95').map((s) => s.data[2])).toEqual([1832, 868]);
    expect(o.series.filter((s) => s.stack === 'fan80').map((s) => s.data[2])).toEqual([2014, 544]);
    expect((svgOf(o).match(/<path/g) ?? []).length).toBeGreaterThan(10);
  });

  it('ranking: largest first, highlighted items in the accent colour', () => {
    const o = rankingBarChart({
      title: '2022',
      items: [
        { name: 'Japan', value: 172.9 },
        { name: 'United States', value: 582.8, highlight: true },
      ],
      unitLabel: 'US$ billion',
    }) as { yAxis: { data: string[] }; series: { data: { value: number; itemStyle: { color: string } }[] }[] };
    expect(o.yAxis.data).toEqual(['United States', 'Japan']);
    expect(o.series[0]!.data[0]!.itemStyle.color).not.toBe(o.series[0]!.data[1]!.itemStyle.color);
  });

  it('shares, treemap and mirror render marks server-side (SVG) with Chinese labels', () => {
    const shares = shareLinesChart({
      title: '份额',
      periods: ['2019', '2020'],
      series: [{ name: '美国', values: [16.8, 17.4], highlight: true }],
      lang: 'zh',
    });
    expect(svgOf(shares)).toContain('美国');
    const tree = treemapChart({
      title: 'HS',
      tree: [{ name: 'XVI', value: 3, children: [{ name: '85', value: 3 }] }],
      unitLabel: '亿美元',
      lang: 'zh',
    });
    expect((svgOf(tree).match(/<path/g) ?? []).length).toBeGreaterThan(0);
    const mirror = mirrorChart({
      title: '2022',
      partners: ['美国'],
      reported: [5827.6],
      mirror: [5756.9],
      unitLabel: '亿美元',
      lang: 'zh',
    });
    const svg = svgOf(mirror);
    expect(svg).toContain('镜像数据');
    expect(svg).toContain('美国');
  });
});
