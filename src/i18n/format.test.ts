import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatPercent,
  formatPp,
  LABEL_KEYS,
  label,
  monthLabel,
  monthTick,
  periodText,
} from './format.js';

describe('formatMoney', () => {
  it('writes English amounts in trillion / billion with the currency', () => {
    // GAC H1 2025 exports: 13,000,388,810,000 CNY
    expect(formatMoney('13000388810000', 'CNY', 'en')).toBe('CNY 13.00 trillion');
    expect(formatMoney('3540000000000', 'USD', 'en')).toBe('US$3.54 trillion');
    expect(formatMoney('582760000000', 'USD', 'en')).toBe('US$582.8 billion');
    expect(formatMoney('45250000', 'EUR', 'en')).toBe('EUR 45.3 million');
    expect(formatMoney('12345', 'USD', 'en')).toBe('US$12,345');
    expect(formatMoney('-4212370850000', 'CNY', 'en')).toBe('-CNY 4.21 trillion');
  });

  it('writes Chinese amounts in 万亿 / 亿 / 万', () => {
    expect(formatMoney('13000388810000', 'CNY', 'zh')).toBe('13.00万亿元');
    expect(formatMoney('3540000000000', 'USD', 'zh')).toBe('3.54万亿美元');
    expect(formatMoney('582760000000', 'USD', 'zh')).toBe('5827.6亿美元');
    expect(formatMoney('876500', 'CNY', 'zh')).toBe('87.7万元');
    expect(formatMoney('12', 'CNY', 'zh')).toBe('12元');
  });

  it('rounds half away from zero on the decimal text, not via floats', () => {
    // 1.005 trillion: as a float 1.005e12/1e12 = 1.00499999…; the decimal text rounds up
    expect(formatMoney('1005000000000', 'USD', 'en')).toBe('US$1.01 trillion');
    expect(formatMoney('-1005000000000', 'USD', 'en')).toBe('-US$1.01 trillion');
    expect(formatMoney('1004999999999.9999', 'USD', 'en')).toBe('US$1.00 trillion');
    expect(formatMoney('582750000000', 'USD', 'en')).toBe('US$582.8 billion');
  });

  it('carries into the next unit when rounding reaches it', () => {
    expect(formatMoney('999960000000', 'USD', 'en')).toBe('US$1.00 trillion');
    expect(formatMoney('999999999999', 'CNY', 'zh')).toBe('1.00万亿元');
    expect(formatMoney('99999', 'CNY', 'zh')).toBe('10.0万元');
  });

  it('honours digits and accepts numbers', () => {
    expect(formatMoney('13000388810000', 'CNY', 'en', { digits: 3 })).toBe('CNY 13.000 trillion');
    expect(formatMoney(2.5e11, 'USD', 'en')).toBe('US$250.0 billion');
    expect(() => formatMoney('12,3', 'USD', 'en')).toThrow(/invalid value: 12,3/);
  });
});

describe('formatPercent', () => {
  it('rounds the ratio as written', () => {
    expect(formatPercent(0.0718, 'en')).toBe('7.2%');
    expect(formatPercent(0.0718, 'en', { signed: true })).toBe('+7.2%');
    expect(formatPercent(-0.0278, 'zh', { signed: true })).toBe('-2.8%');
    expect(formatPercent('0.00125', 'en', { digits: 2 })).toBe('0.13%');
    expect(formatPercent(0.00125, 'en', { digits: 2 })).toBe('0.13%');
    expect(formatPercent(-0.0004, 'en', { signed: true })).toBe('0.0%');
    expect(formatPercent(1e-7, 'en', { digits: 6 })).toBe('0.000010%');
  });
});

describe('formatPp', () => {
  it('signs or words the change', () => {
    expect(formatPp(1.2, 'en')).toBe('+1.2 percentage points');
    expect(formatPp(-2.44, 'en')).toBe('-2.4 percentage points');
    expect(formatPp(1.2, 'zh')).toBe('1.2个百分点');
    expect(formatPp(-1.25, 'zh')).toBe('-1.3个百分点');
    expect(formatPp(-2.4, 'en', { words: true })).toBe('down 2.4 percentage points');
    expect(formatPp(2.4, 'zh', { words: true })).toBe('提高2.4个百分点');
    expect(formatPp(0.01, 'zh', { words: true })).toBe('持平');
  });
});

describe('months and periods', () => {
  it('names months', () => {
    expect(monthLabel('2025-06', 'en')).toBe('June 2025');
    expect(monthLabel('2025-06', 'zh')).toBe('2025年6月');
    expect(monthLabel(202501, 'en', { short: true })).toBe('Jan 2025');
    expect(monthTick('2025-06', 'en', false)).toBe('Jun');
    expect(() => monthLabel('2025-13', 'en')).toThrow(/invalid month: 2025-13/);
  });

  it('writes periods as each audience expects', () => {
    const cases: [string, string, string][] = [
      ['ytd:2025-06', 'January–June 2025', '2025年1—6月'],
      ['ytd:2025-01', 'January 2025', '2025年1月'],
      ['2025-H1', 'the first half of 2025', '2025年上半年'],
      ['2025-H2', 'the second half of 2025', '2025年下半年'],
      ['2025-Q3', 'the third quarter of 2025', '2025年三季度'],
      ['2025-01+02', 'January–February 2025', '2025年1—2月'],
      ['2024', '2024', '2024年'],
      ['2025-06', 'June 2025', '2025年6月'],
      ['r12:2025-06', 'the 12 months to June 2025', '截至2025年6月的12个月'],
      ['2024-11..2025-02', 'November 2024–February 2025', '2024年11月—2025年2月'],
      ['2017..2024', '2017–2024', '2017—2024年'],
    ];
    for (const [p, en, zh] of cases) {
      expect(periodText(p, 'en')).toBe(en);
      expect(periodText(p, 'zh')).toBe(zh);
    }
    expect(periodText('ytd:2025-06', 'zh', { ytd: 'count' })).toBe('2025年前6个月');
    expect(() => periodText('2025-Q5', 'en')).toThrow(/invalid period/);
  });
});

describe('label', () => {
  it('has both languages for every key', () => {
    expect(label('exports', 'zh')).toBe('出口');
    expect(label('surplus', 'zh')).toBe('顺差');
    expect(label('deficit', 'en')).toBe('deficit');
    for (const k of LABEL_KEYS) {
      expect(label(k, 'en').length).toBeGreaterThan(0);
      expect(label(k, 'zh')).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
