/**
 * The one exception type of the HTTP layer, and how every error becomes a JSON response.
 *
 * Bodies are `{ error, problems }`, the same {@link Problem} shape the CLI prints: a user mistake
 * (`UserError`, a failed schema) is a 400 naming the field and value; limits give 413 or 408; only a broken
 * invariant gives a 500, with no internals in the body.
 *
 * @example throw new HttpError(413, 'result too large', [{ code: 'too-many-rows', severity: 'error', message: '…' }])
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { httpStatusOf, type Problem, UserError } from '../util/errors.js';

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly problems: readonly Problem[] = [],
    /** Response headers the error carries (`Retry-After` of a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The JSON body of an error response. */
export interface ErrorBody {
  error: string;
  problems: Problem[];
}

/** Problems from a failed zod parse, one per issue, naming the field (or query parameter). */
export function zodProblems(error: ZodError, where: 'query' | 'body' | 'path'): Problem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || (where === 'body' ? '(body)' : '(parameters)');
    const keys = (issue as { keys?: string[] }).keys;
    const message =
      issue.code === 'unrecognized_keys' && keys
        ? `unknown ${where === 'query' ? 'parameter' : 'field'}${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}`
        : `${field}: ${issue.message}`;
    return { code: where === 'body' ? 'bad-spec' : 'bad-parameter', severity: 'error', message, at: { field } };
  });
}

/** Turns any thrown value into a response; `log` receives unexpected errors. */
export function errorResponse(c: Context, e: unknown, log: (e: unknown) => void): Response {
  if (e instanceof HttpError)
    return c.json({ error: e.message, problems: [...e.problems] } satisfies ErrorBody, e.status, e.headers);
  if (e instanceof UserError) {
    const problems: Problem[] = e.problems.length
      ? [...e.problems]
      : [{ code: 'bad-request', severity: 'error', message: e.message }];
    return c.json({ error: e.message, problems } satisfies ErrorBody, httpStatusOf(problems));
  }
  if (e instanceof HTTPException) {
    const message = e.status === 400 ? `malformed request: ${e.message}` : e.message;
    return c.json(
      { error: message, problems: [{ code: 'bad-request', severity: 'error', message }] } satisfies ErrorBody,
      e.status as ContentfulStatusCode,
    );
  }
  log(e);
  return c.json(
    {
      error: 'internal error (logged by the server)',
      problems: [{ code: 'internal', severity: 'error', message: 'internal error' }],
    } satisfies ErrorBody,
    500,
  );
}
