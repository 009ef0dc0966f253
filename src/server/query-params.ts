/**
 * `GET /api/query` parameters: the same names as the `tradescope query` flags (`reporter`, `period`, `by`,
 * `measure`, `fx-series`, `as-of` …), each a string as typed on the command line, mapped to a query spec that
 * the engine validates (so a bad period or unknown code gets the same problems as on the CLI).
 *
 * @example GET /api/query?reporter=CHN&period=ytd:2025-06&compare=yoy
 * @example GET /api/query?reporter=CHN&period=2022&flow=X&by=partner&measure=value,share&top=5&format=csv
 */
import { z } from '@hono/zod-openapi';
import { specFromParams as specFromQueryParams } from '../query/params.js';
import type { QuerySpecInput } from '../query/spec.js';

const text = (description: string, example?: string) =>
  z
    .string()
    .max(200)
    .optional()
    .openapi({ description, ...(example ? { example } : {}) });

export const queryParamsSchema = z
  .strictObject({
    reporter: text('reporter in any scheme the store knows (CHN, 156, CN)', 'CHN'),
    partner: text('partner or partner group (EU, ASEAN …; default World)'),
    region: text('sub-national region, e.g. 330000 or 浙江省'),
    'region-level': text('province or city: every region one level below region (or the provinces), and the rest'),
    flow: text('X or M, or X,M (default both)'),
    period: text(
      '2025, 2025-06, 2025-Q1, 2025-H1, 2025-01..2025-06, ytd:2025-06, r12:2025-06, 2025-01+02',
      'ytd:2025-06',
    ),
    by: text('comma-separated: month, quarter or year; and partner, product, hs2, hs4, hs6, region, flow'),
    product: text('an HS code at any level (8541.43, 85) or a basket (new-three, new-three/pv-cells)'),
    currency: text('show values in USD, CNY … converted month by month (default: the source currency)'),
    'fx-series': text('exchange-rate series for currency (default fed-h10-monthly)'),
    measure: text(
      'value, balance, total, ytd, share, contribution, revision, mirror, records … (comma-separated; default: the headline — value, balance and total with YoY)',
    ),
    compare: text('yoy, mom or prev'),
    base: text('first-published (default) or revised'),
    top: text('keep the n largest members of the drilldown, the others as one (rest) row'),
    dataset: text('read this dataset (needed when several describe the same cells)'),
    'as-of': text('read the data as released on this date, YYYY-MM-DD'),
    format: z
      .enum(['json', 'csv', 'sdmx-csv'])
      .optional()
      .openapi({ description: 'json (default), csv, or sdmx-csv (SDMX-CSV 2.0)' }),
  })
  .openapi('QueryParameters');

export type QueryParams = z.infer<typeof queryParamsSchema>;

/** The spec the parameters describe: the CLI's own mapping (`query/params.ts`), so both give the same answer. */
export function specFromParams(p: QueryParams): QuerySpecInput {
  const { format: _format, ...values } = p;
  return specFromQueryParams(values);
}
