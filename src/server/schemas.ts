/**
 * Response schemas for the OpenAPI description (requests are described by the schemas that validate them).
 */
import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    code: z.string().openapi({ example: 'bad-period' }),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string().openapi({ example: 'period: unknown period 2025-13' }),
    at: z
      .object({
        file: z.string().optional(),
        line: z.number().optional(),
        field: z.string().optional(),
        sheet: z.string().optional(),
      })
      .optional(),
    value: z.string().optional(),
  })
  .openapi('Problem');

export const ErrorSchema = z.object({ error: z.string(), problems: z.array(ProblemSchema) }).openapi('Error');

const CellSchema = z.union([z.string(), z.number(), z.null()]);

export const QueryResultSchema = z
  .object({
    spec: z.record(z.string(), z.unknown()),
    provenance: z.record(z.string(), z.unknown()).openapi({
      description: 'dataset, currency, base, windows, vintages and conversions behind the numbers',
    }),
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), CellSchema)).openapi({
      description: 'one object per row; money as exact decimal text in base units of the currency',
    }),
    notes: z.array(ProblemSchema),
  })
  .openapi('QueryResult');

/** Loose JSON object for listings whose shape follows the library's types. */
export const JsonObject = z.record(z.string(), z.unknown()).openapi('JsonObject');
export const JsonList = z.array(z.record(z.string(), z.unknown()));

/** The error responses every data route may give. */
export const errorResponses = {
  400: {
    description: 'invalid request: the problems name each field',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'not found', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const limitResponses = {
  408: {
    description: 'the query took longer than the limit',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  413: {
    description: 'the request or the result is larger than the limit',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  503: {
    description: 'the server is busy (its queue of queries is full): retry after the Retry-After seconds',
    content: { 'application/json': { schema: ErrorSchema } },
  },
} as const;
