/**
 * The dashboard's own words in English and Chinese (common words come from src/i18n/format.ts).
 */
import type { Lang } from '../../src/i18n/format.js';

const WORDS = {
  title: { en: "tradescope — China's trade at a glance", zh: 'tradescope — 中国外贸一览' },
  reporter: { en: 'Reporter', zh: '申报方' },
  currency: { en: 'Currency', zh: '币种' },
  language: { en: 'Language', zh: '语言' },
  loading: { en: 'Loading…', zh: '加载中…' },
  ready: { en: 'Data loaded from the store.', zh: '数据已从数据库载入。' },
  latestMonth: { en: 'Latest month', zh: '最新月份' },
  ytdExports: { en: 'Exports, year to date', zh: '出口（年初至今）' },
  ytdImports: { en: 'Imports, year to date', zh: '进口（年初至今）' },
  ytdBalance: { en: 'Trade balance, year to date', zh: '贸易顺差（年初至今）' },
  records: { en: 'Records and milestones', zh: '纪录与里程碑' },
  projection: { en: 'Where {year} is heading: full-year projection', zh: '{year}年全年预估' },
  interval80: { en: '80% interval', zh: '80%区间' },
  chanceAbove: {
    en: 'chance that {year} exports beat {prev}’s {value}: {p}',
    zh: '{year}年出口超过{prev}年（{value}）的概率：{p}',
  },
  throughMonth: { en: 'from the months to {month}', zh: '基于截至{month}的数据' },
  vsYearEarlier: { en: 'year on year', zh: '同比' },
  sectionSeries: { en: 'The monthly series', zh: '月度走势' },
  sectionPartners: { en: 'Who it is with: partners', zh: '贸易伙伴' },
  sectionProducts: { en: 'What it is made of: products', zh: '商品构成' },
  sectionMore: { en: 'Mirror data and regions', zh: '镜像数据与地区' },
  sectionReleases: { en: "GAC's release tables", zh: '海关总署统计快讯' },
  releaseBrief: { en: 'brief of this release', zh: '本期简报' },
  published: { en: 'published', zh: '发布于' },
  monthly: { en: 'Monthly exports, imports and balance', zh: '月度进出口及顺差' },
  ytd: { en: 'Exports year to date, this year against last', zh: '年初至今出口：今年与去年对比' },
  forecast: { en: 'Exports: forecast with 80% and 95% intervals', zh: '出口预测（80%与95%区间）' },
  forecastMissing: { en: 'The forecast is unavailable in this build or for this series.', zh: '此版本或此序列暂无预测。' },
  ranking: { en: 'Largest export markets', zh: '主要出口市场' },
  shares: { en: 'Shares of exports over time', zh: '出口份额变化' },
  groups: { en: 'Partner groups: share of exports', zh: '伙伴集团占出口比重' },
  partnerTree: { en: 'Exports by partner', zh: '按贸易伙伴的出口' },
  partnerDetail: { en: 'Exports to the selected partner', zh: '对所选伙伴的出口' },
  drillHint: { en: 'Choose a partner to drill down:', zh: '选择贸易伙伴查看明细：' },
  hsTree: { en: 'Exports by HS section, chapter and heading', zh: '按HS类、章、品目的出口' },
  baskets: { en: 'New Three against labour-intensive products', zh: '“新三样”与劳动密集型产品' },
  basketYoy: { en: 'Year-on-year growth of each part', zh: '各部分同比增速' },
  partnerProducts: { en: 'Monthly exports by destination', zh: '按目的地的月度出口' },
  mirror: { en: 'Mirror: reported exports against partners’ imports', zh: '镜像对比：申报出口与伙伴进口' },
  partnerReported: { en: 'Trade with the reporter as the partners report it (imports from it)', zh: '伙伴方申报的自该国进口' },
  regions: { en: 'Exports by region, year to date', zh: '各地区出口（年初至今）' },
  cities: { en: 'Exports by city, year to date', zh: '各城市出口（年初至今）' },
  cityHint: { en: 'Show the cities of:', zh: '查看下辖城市：' },
  csv: { en: 'Download data (CSV)', zh: '下载数据（CSV）' },
  brief: { en: 'Written brief', zh: '简报' },
  source: { en: 'Source', zh: '来源' },
  usShare: { en: 'US share', zh: '美国占比' },
  noData: { en: 'The loaded data has nothing for this view', zh: '已载入的数据不支持此视图' },
  failed: { en: 'This view could not be drawn', zh: '此视图无法绘制' },
  highlighted: { en: 'highlighted', zh: '突出显示' },
  exportsTo: { en: 'exports to', zh: '出口至' },
  rest: { en: 'others', zh: '其他' },
  thisYear: { en: 'this year', zh: '今年' },
  lastYear: { en: 'last year', zh: '去年' },
  productsOther: {
    en: 'No HS product detail for this reporter in the store; this treemap shows {reporter} ({dataset}, {year}).',
    zh: '数据库中没有该申报方的HS商品明细；此树图显示{reporter}（{dataset}，{year}年）。',
  },
  noLabour: {
    en: 'Labour-intensive products: the loaded data has no product detail for this reporter’s labour-intensive goods.',
    zh: '劳动密集型产品：已载入数据中没有该申报方的相关商品明细。',
  },
  partsOnly: { en: 'only {parts} in the loaded data', zh: '已载入数据中仅含{parts}' },
  partsMissing: { en: 'Parts without data: {parts}.', zh: '无数据的部分：{parts}。' },
  annualOnly: { en: 'Partner detail is annual and ends in {year}.', zh: '伙伴明细为年度数据，截至{year}年。' },
  footer: { en: 'Exact figures from the store; charts round for display.', zh: '数据库中的精确数值；图表按显示需要取整。' },
  regionNote: { en: 'Regions the source publishes; the rest of the country is one bar.', zh: '来源公布的地区；其余地区合为一项。' },
  mirrorNote: { en: 'Partners’ imports are valued CIF, exports FOB: a small gap is expected.', zh: '伙伴进口按到岸价、出口按离岸价计，存在小幅差异属正常。' },
} as const satisfies Record<string, Record<Lang, string>>;

export type WordKey = keyof typeof WORDS;

export function w(key: WordKey, lang: Lang, vars: Record<string, string | number> = {}): string {
  return WORDS[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}
