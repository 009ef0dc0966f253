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

export interface Problem {
  /** Stable, greppable code such as `bad-number` or `unknown-partner`. */
  code: string;
  severity: Severity;
  message: string;
  at?: ProblemLocation;
  /** The raw value as it stood in the input, when there is one. */
  value?: string;
}

/** A mistake the user can fix: bad flag, unreadable file, unknown code. Lowercase, specific messages. */
export class UserError extends Error {
  readonly problems: readonly Problem[];
  constructor(message: string, problems: readonly Problem[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
    this.problems = problems;
  }
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
