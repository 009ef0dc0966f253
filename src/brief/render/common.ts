/**
 * What every renderer shares: a point's sentence with its numbers filled in, the sources it cites (numbered
 * in order of first citation), and the text of a source's footnote.
 */
import { type Lang, label } from '../../i18n/format.js';
import { fillText } from '../numbers.js';
import type { Brief, KeyPoint, Source } from '../types.js';

/** The sentence of a point, numbers written for the reader. */
export function pointText(p: KeyPoint, lang: Lang): string {
  return fillText(p.text[lang], p.nums, lang);
}

/** Footnote numbers: each cited source gets the next number on first citation. */
export class Citations {
  private readonly order = new Map<number, number>();

  /** The footnote numbers of the sources a point's numbers come from, in order. */
  of(p: KeyPoint): number[] {
    const sources = new Set<number>();
    for (const n of Object.values(p.nums)) {
      sources.add(n.cell.source);
      if (n.minus) sources.add(n.minus.source);
    }
    return [...sources].map((s) => {
      let k = this.order.get(s);
      if (k === undefined) {
        k = this.order.size + 1;
        this.order.set(s, k);
      }
      return k;
    });
  }

  /** Cited sources with their footnote numbers, in footnote order. */
  cited(brief: Brief): { n: number; source: Source }[] {
    return [...this.order.entries()].sort((a, b) => a[1] - b[1]).map(([s, n]) => ({ n, source: brief.sources[s]! }));
  }
}

/** The spec of a source as the JSON `tradescope query --spec` reads. */
export function specJson(s: Source): string {
  return JSON.stringify(s.spec);
}

/** The `tradescope forecast` command that re-runs a projection source. */
export function projectionCommand(s: Source): string {
  const spec = s.spec as unknown as Record<string, unknown>;
  const flags = ['reporter', 'partner', 'flow', 'measure', 'through', 'above', 'seed']
    .filter((k) => spec[k] !== undefined)
    .map((k) => `--${k} ${String(spec[k])}`);
  return `tradescope forecast --period ${String(spec.year)} ${flags.join(' ')}`;
}

/** A source's footnote: the query, the dataset and its releases, the conversions. */
export function footnoteText(s: Source, lang: Lang): { query: string; data: string } {
  if (s.kind === 'projection') {
    const rerun = projectionCommand(s);
    return lang === 'zh'
      ? {
          query: specJson(s),
          data: `全年预估，重新运行：\`${rerun}\`；数据集 ${s.dataset}；方法：${s.notes.join('；')}`,
        }
      : {
          query: specJson(s),
          data: `full-year projection, re-run with \`${rerun}\`; dataset ${s.dataset}; method and caveats: ${s.notes.join('; ')}`,
        };
  }
  const files = [...new Set(s.vintages.flatMap((v) => v.files.map((f) => f.split(/[\\/]/).pop()!)))];
  // a GAC release page names its table in its vintage source: the line says which release (publisher, table, date)
  const release = (v: Source['vintages'][number]) => /^publication date of "([^"]+)"/.exec(v.source)?.[1];
  const vintages = s.vintages.map((v) => {
    const title = release(v);
    if (title)
      return lang === 'zh'
        ? `海关总署统计快讯“${title}”，${v.vintage}发布`
        : `GAC preliminary release "${title}", published ${v.vintage}`;
    return `${v.vintage}${/ingest date/.test(v.source) ? ' (ingest date)' : ''}`;
  });
  const conv = s.conversions.length ? s.conversions.join('; ') : null;
  if (lang === 'zh') {
    return {
      query: specJson(s),
      data:
        `数据集 ${s.dataset}，版本 ${vintages.join('、') || '—'}，文件 ${files.join('、') || '—'}；` +
        (conv ? `换算：${conv}` : `${s.currency}，按原始数据，未换算`) +
        (s.flags.length ? `；标记：${s.flags.join('、')}` : ''),
    };
  }
  return {
    query: specJson(s),
    data:
      `dataset ${s.dataset}, release ${vintages.join(', ') || '—'}, file ${files.join(', ') || '—'}; ` +
      (conv ? `conversion: ${conv}` : `values in ${s.currency} as published, no conversion`) +
      (s.flags.length ? `; flags: ${s.flags.join(', ')}` : ''),
  };
}

/** Fixed words of the brief layout. */
export function words(lang: Lang) {
  return lang === 'zh'
    ? {
        draft:
          '本简报由 tradescope 根据数据自动起草，供分析人员核对和编辑。每个数字都附有脚注，注明生成该数字的查询（可用 `tradescope query --spec` 重新运行）、数据集及版本和所用换算。最近月份的数据为初步数据，海关会在以后的发布中修订。',
        keyPoints: label('keyPoints', 'zh'),
        charts: label('charts', 'zh'),
        missing: label('notCovered', 'zh'),
        changes: label('whatChanged', 'zh'),
        sources: label('sources', 'zh'),
        rerun: '重新运行：将查询保存为文件，`tradescope query --spec 文件.json`',
        noChanges: '与该版本相比，本简报中的数字没有变化。',
      }
    : {
        draft:
          'A first draft written by tradescope from the data, for an analyst to check and edit. Every number has a footnote with the query that produced it (re-run it with `tradescope query --spec`), the datasets and releases it read and the conversions used. Figures for the latest month are preliminary: customs revise months in later releases.',
        keyPoints: label('keyPoints', 'en'),
        charts: label('charts', 'en'),
        missing: label('notCovered', 'en'),
        changes: label('whatChanged', 'en'),
        sources: label('sources', 'en'),
        rerun: 'Re-run: save the query as a file and run `tradescope query --spec file.json`',
        noChanges: 'No number in this brief differs from that release.',
      };
}
