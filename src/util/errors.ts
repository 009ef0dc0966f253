/**
 * Problems are data; exceptions happen only at boundaries.
 *
 * A {@link Problem} is what a reader, the validator or the query layer reports about the user's input.
 * Many problems are collected, then reported together. {@link UserError} is the single exception type for
 * user mistakes: the CLI turns it into exit code 2 with its problems, the HTTP server into a 400.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface ProblemLocation {
  file?: string;
  line?: number;
  field?: string;
  sheet?: string;
}

/**
 * Every problem code tradescope reports, in one place: user errors (the CLI exits 2, HTTP answers the status
 * {@link httpStatusOf} gives), warnings and notes. A code is stable and greppable; its parameters travel in
 * {@link Problem.params} (the field and value in `at` and `value`). `mirror-…` codes carry a caveat's own code.
 */
export type ProblemCode =
  | 'admin-disabled'
  | 'ambiguous-dataset'
  | 'ambiguous-date'
  | 'baci-iso-fallback'
  | 'bad-basket'
  | 'bad-code'
  | 'bad-date'
  | 'bad-encoding'
  | 'bad-field'
  | 'bad-flow'
  | 'bad-format'
  | 'bad-group-dir'
  | 'bad-group-file'
  | 'bad-interval'
  | 'bad-mapping'
  | 'bad-number'
  | 'bad-parameter'
  | 'bad-period'
  | 'bad-publication-date'
  | 'bad-quoting'
  | 'bad-rate-row'
  | 'bad-record'
  | 'bad-request'
  | 'bad-spec'
  | 'bad-spec-file'
  | 'bad-unit'
  | 'bad-unit-line'
  | 'bad-value'
  | 'bad-yaml'
  | 'balance-mismatch'
  | 'base'
  | 'basket'
  | 'basket-coverage'
  | 'basket-heading'
  | 'basket-release-lines'
  | 'basket-unmatched'
  | 'body-too-large'
  | 'cif-fob-valuation'
  | 'column-ignored'
  | 'comext-filtered'
  | 'comext-totals'
  | 'comext-trade-type'
  | 'composition-mismatch'
  | 'comtrade-api-error'
  | 'comtrade-breakdown'
  | 'comtrade-zero-quantity'
  | 'comtrade-zero-weight'
  | 'confidentiality'
  | 'constant-series'
  | 'converted'
  | 'currency-conversion'
  | 'custom'
  | 'customs-rates'
  | 'dataset-choice'
  | 'dated-fixed-member'
  | 'duplicate-group'
  | 'duplicate-id'
  | 'duplicate-member'
  | 'edition-assumed'
  | 'empty-part'
  | 'exclude-outside'
  | 'fetch-failed'
  | 'fetch-invalid-page'
  | 'fetch-no-attachment'
  | 'fetch-not-published'
  | 'fetch-not-the-file'
  | 'fetch-truncated'
  | 'file-name'
  | 'forecast'
  | 'group-members'
  | 'group-nested'
  | 'group-published'
  | 'growth-undefined'
  | 'hhi'
  | 'hhi-rest'
  | 'hs-code'
  | 'id-mismatch'
  | 'image-table'
  | 'independent-flows'
  | 'intermittent'
  | 'internal'
  | 'latest-period'
  | 'line-too-long'
  | 'looks-like-group'
  | 'lunar-new-year'
  | 'mapping-mismatch'
  | 'mapping-not-found'
  | 'mapping-required'
  | 'member-exceeds-group'
  | 'member-not-in-note'
  | 'members-exceed-whole'
  | 'mirror-missing'
  | 'missing-flag'
  | 'missing-sheet'
  | 'negative-value'
  | 'negative-values'
  | 'nested-group'
  | 'new-keys'
  | 'no-data'
  | 'no-directory'
  | 'no-header'
  | 'no-mapped-columns'
  | 'no-members'
  | 'no-periods'
  | 'no-publication-date'
  | 'no-rate'
  | 'no-totals'
  | 'no-unit-cells'
  | 'no-unit-line'
  | 'no-world-total'
  | 'non-canonical-code'
  | 'not-a-release'
  | 'not-eu-member'
  | 'not-found'
  | 'not-text'
  | 'note-members'
  | 'note-unknown-member'
  | 'other-unit'
  | 'overlap'
  | 'overloaded'
  | 'overlapping-membership'
  | 'partial-coverage'
  | 'partner-attribution'
  | 'preamble'
  | 'prior-year-header'
  | 'product-levels'
  | 'quantity-too-large'
  | 'query-timeout'
  | 'rca-bad-value'
  | 'rca-missing-reporter-product'
  | 'rca-missing-reporter-total'
  | 'rca-missing-world-product'
  | 'rca-missing-world-total'
  | 'rca-negative-value'
  | 'rca-part-exceeds-total'
  | 'rca-world'
  | 'rca-zero-denominator'
  | 're-exports'
  | 'region-level'
  | 'rejected'
  | 'rest-row'
  | 'revisions'
  | 'rewritten-number'
  | 'rounded'
  | 'sdmx-csv'
  | 'seasonally-adjusted'
  | 'section-contradicts-description'
  | 'series-bad-value'
  | 'series-bad-window'
  | 'series-duplicate-label'
  | 'series-empty'
  | 'series-gap'
  | 'series-not-comparable'
  | 'series-not-in-order'
  | 'several-currencies'
  | 'short-series'
  | 'structural-break'
  | 'suggestion'
  | 'superseded'
  | 'sum-mismatch'
  | 'sum-of-partners'
  | 'timing'
  | 'too-many-rows'
  | 'total-ignored'
  | 'total-trade-not-staged'
  | 'trade-system'
  | 'truncated-record'
  | 'unauthorized'
  | 'unchanged'
  | 'unexpected-value'
  | 'unit-changed'
  | 'unit-contradicts-title'
  | 'unit-differs'
  | 'unit-mismatch'
  | 'unit-value-currency'
  | 'unknown-area'
  | 'unknown-basket'
  | 'unknown-code'
  | 'unknown-column'
  | 'unknown-dataset'
  | 'unknown-edition'
  | 'unknown-flag'
  | 'unknown-group'
  | 'unknown-hs-code'
  | 'unknown-key'
  | 'unknown-line'
  | 'unknown-member'
  | 'unknown-partner'
  | 'unknown-rate-series'
  | 'unknown-region'
  | 'unknown-reporter'
  | 'unknown-trade-mode'
  | 'unknown-unit'
  | 'unmapped-column'
  | 'unmapped-product'
  | 'unmapped-value'
  | 'unreadable'
  | 'unreadable-row'
  | 'unterminated-quote'
  | 'user-error'
  | 'viewer-only'
  | 'weight-too-large'
  | 'without-quantity'
  | 'wrong-column-count'
  | 'wrong-edition'
  | 'yoy-check'
  | 'zeros'
  | `mirror-${string}`;

export interface Problem {
  /** Stable, greppable code such as `bad-number` or `unknown-partner`. */
  code: ProblemCode;
  severity: Severity;
  message: string;
  at?: ProblemLocation;
  /** The raw value as it stood in the input, when there is one. */
  value?: string;
  /** The code's parameters (the dataset, the codes, the months …), for a program to read without parsing text. */
  params?: Record<string, string | number | boolean | string[]>;
}

/**
 * A mistake the user can fix: bad flag, unreadable file, unknown code. Lowercase, specific messages. It always
 * carries its problems: one of code `user-error` with the message when the thrower named none.
 */
export class UserError extends Error {
  readonly problems: readonly Problem[];
  constructor(message: string, problems: readonly Problem[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
    this.problems = problems.length ? problems : [{ code: 'user-error', severity: 'error', message }];
  }
}

/** A user error of one code, with its parameters. */
export function userError(
  code: ProblemCode,
  message: string,
  params?: Problem['params'],
  at?: ProblemLocation,
  value?: string,
): UserError {
  return new UserError(message, [
    {
      code,
      severity: 'error',
      message,
      ...(params ? { params } : {}),
      ...(at ? { at } : {}),
      ...(value !== undefined ? { value } : {}),
    },
  ]);
}

/** Codes of user errors that name something the store does not have (HTTP 404). */
const NOT_FOUND: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'not-found',
  'no-data',
  'unknown-dataset',
  'unknown-rate-series',
  'no-periods',
]);
/** Codes of requests over a limit (HTTP 413) and of limits in time (HTTP 408). */
const TOO_LARGE: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['too-many-rows', 'body-too-large']);

/** The HTTP status of a user error with these problems: 404 for what is not there, 413, 408, else 400. */
export function httpStatusOf(problems: readonly Problem[]): 400 | 404 | 408 | 413 {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.some((p) => p.code === 'query-timeout')) return 408;
  if (errors.some((p) => TOO_LARGE.has(p.code))) return 413;
  if (errors.length && errors.every((p) => NOT_FOUND.has(p.code))) return 404;
  return 400;
}

/** Formats a location as `file:line (sheet) field`. */
export function formatLocation(at: ProblemLocation | undefined): string {
  if (!at) return '';
  const parts: string[] = [];
  if (at.file) parts.push(at.line !== undefined ? `${at.file}:${at.line}` : at.file);
  else if (at.line !== undefined) parts.push(`line ${at.line}`);
  if (at.sheet) parts.push(`sheet ${at.sheet}`);
  if (at.field) parts.push(`field ${at.field}`);
  return parts.join(' ');
}

export function formatProblem(p: Problem): string {
  const where = formatLocation(p.at);
  const value = p.value !== undefined ? ` (value: ${JSON.stringify(p.value)})` : '';
  return `${p.severity}: ${where ? `${where}: ` : ''}${p.message}${value}`;
}
