/**
 * Lunar New Year: the holiday falls between 21 January and 20 February, so January and February trade moves
 * between the two months from year to year. GAC publishes the two months combined in several years; a
 * forecast is comparable only for the Jan+Feb total.
 *
 * {@link averageJanFeb} replaces each year's January and February by half their sum, so a monthly model sees
 * the combined unit (the source's own convention) and its January + February forecasts add up to a Jan+Feb
 * forecast. `npm run backtest:series` compares this with forecasting the raw months (docs/backtests.md).
 *
 * @example
 * lunarNewYear(2025)                       // '2025-01-29'
 * averageJanFeb([10, 30, 5], 1)            // [20, 20, 5]   (series starting in January)
 */

/** First day of the lunar year (Gregorian), 1980–2035. */
const LNY: Record<number, string> = {
  1980: '02-16',
  1981: '02-05',
  1982: '01-25',
  1983: '02-13',
  1984: '02-02',
  1985: '02-20',
  1986: '02-09',
  1987: '01-29',
  1988: '02-17',
  1989: '02-06',
  1990: '01-27',
  1991: '02-15',
  1992: '02-04',
  1993: '01-23',
  1994: '02-10',
  1995: '01-31',
  1996: '02-19',
  1997: '02-07',
  1998: '01-28',
  1999: '02-16',
  2000: '02-05',
  2001: '01-24',
  2002: '02-12',
  2003: '02-01',
  2004: '01-22',
  2005: '02-09',
  2006: '01-29',
  2007: '02-18',
  2008: '02-07',
  2009: '01-26',
  2010: '02-14',
  2011: '02-03',
  2012: '01-23',
  2013: '02-10',
  2014: '01-31',
  2015: '02-19',
  2016: '02-08',
  2017: '01-28',
  2018: '02-16',
  2019: '02-05',
  2020: '01-25',
  2021: '02-12',
  2022: '02-01',
  2023: '01-22',
  2024: '02-10',
  2025: '01-29',
  2026: '02-17',
  2027: '02-06',
  2028: '01-26',
  2029: '02-13',
  2030: '02-03',
  2031: '01-23',
  2032: '02-11',
  2033: '01-31',
  2034: '02-19',
  2035: '02-08',
};

/** The date of Lunar New Year in `year`, or undefined outside 1980–2035. */
export function lunarNewYear(year: number): string | undefined {
  const d = LNY[year];
  return d ? `${year}-${d}` : undefined;
}

/**
 * Replaces January and February of each year by their mean. `firstMonth` is the calendar month (1–12) of
 * `values[0]`. A January without its February (or the reverse) at either end is left as it is.
 */
export function averageJanFeb(values: readonly number[], firstMonth: number): number[] {
  const out = values.slice();
  for (let t = 0; t + 1 < values.length; t++) {
    const month = ((firstMonth - 1 + t) % 12) + 1;
    if (month === 1) {
      const mean = (values[t]! + values[t + 1]!) / 2;
      out[t] = mean;
      out[t + 1] = mean;
    }
  }
  return out;
}
