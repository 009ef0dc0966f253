/**
 * Reference data: dimensions and their members, HS lookup and search, baskets, partner groups, countries and
 * regions. None of it depends on the store, so every answer is cached.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { basketById, baskets, expandBasket } from '../../classify/baskets.js';
import { groups, membersAt, requireGroup } from '../../classify/groups.js';
import {
  HS_EDITIONS,
  type HsEdition,
  hsChildren,
  hsCodes,
  hsLookup,
  hsSearch,
} from '../../classify/hs-nomenclature.js';
import { areas } from '../../model/areas.js';
import { regions } from '../../model/regions.js';
import { DRILLDOWNS, MEASURES } from '../../query/spec.js';
import type { ProblemCode } from '../../util/errors.js';
import { cached, router, type ServerContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { errorResponses, JsonList, JsonObject } from '../schemas.js';

const ok = (description: string, schema: z.ZodType = JsonObject) => ({
  200: { description, content: { 'application/json': { schema } } },
  304: { description: 'not modified' },
  ...errorResponses,
});

const edition = z.enum(HS_EDITIONS).optional().openapi({ description: 'HS edition (default HS2022)' });

const DIMENSIONS = ['reporter', 'partner', 'region', 'flow', 'product', 'period', 'measure', 'by'] as const;

const routes = {
  dimensions: createRoute({
    method: 'get',
    path: '/api/dimensions',
    summary: 'The dimensions a query can cut or drill down by, and the measures',
    responses: ok('dimensions, drilldowns and measures'),
  }),
  members: createRoute({
    method: 'get',
    path: '/api/dimensions/{name}/members',
    summary: 'Members of a dimension (partners, regions, flows, HS chapters, measures, drilldowns)',
    request: {
      params: z.object({ name: z.enum(DIMENSIONS) }),
      query: z.strictObject({ edition }),
    },
    responses: ok('the members', JsonList),
  }),
  hsSearch: createRoute({
    method: 'get',
    path: '/api/hs',
    summary: 'Search the HS nomenclature by code or words',
    request: {
      query: z.strictObject({
        q: z.string().min(1).max(100).openapi({ example: 'solar cells' }),
        edition,
        limit: z.coerce.number().int().min(1).max(100).optional(),
      }),
    },
    responses: ok('hits, best first', JsonList),
  }),
  hsCode: createRoute({
    method: 'get',
    path: '/api/hs/{code}',
    summary: 'One HS code (section, chapter, heading or subheading) with its parents and children',
    request: {
      params: z.object({ code: z.string().min(1).max(12).openapi({ example: '8541.43' }) }),
      query: z.strictObject({ edition }),
    },
    responses: ok('the node'),
  }),
  baskets: createRoute({
    method: 'get',
    path: '/api/baskets',
    summary: 'Product baskets (New Three, labour-intensive products …)',
    responses: ok('the baskets', JsonList),
  }),
  basket: createRoute({
    method: 'get',
    path: '/api/baskets/{id}',
    summary: 'One basket with its parts and HS codes',
    request: {
      params: z.object({ id: z.string().min(1).max(64).openapi({ example: 'new-three' }) }),
      query: z.strictObject({ edition }),
    },
    responses: ok('the basket'),
  }),
  groups: createRoute({
    method: 'get',
    path: '/api/groups',
    summary: 'Partner groups (EU, ASEAN, BRICS, G7 …)',
    responses: ok('the groups', JsonList),
  }),
  group: createRoute({
    method: 'get',
    path: '/api/groups/{id}',
    summary: 'One group and its members on a date',
    request: {
      params: z.object({ id: z.string().min(1).max(64).openapi({ example: 'EU' }) }),
      query: z.strictObject({
        at: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
          .optional(),
      }),
    },
    responses: ok('the group'),
  }),
  countries: createRoute({
    method: 'get',
    path: '/api/countries',
    summary: 'Countries and areas with their English and Chinese names',
    responses: ok('areas', JsonList),
  }),
  regions: createRoute({
    method: 'get',
    path: '/api/regions',
    summary: "China's provinces and cities (GB/T 2260) with English and Chinese names",
    responses: ok('regions', JsonList),
  }),
};

/** A lazy JSON body: computed only on a cache miss. */
const json = (make: () => unknown) => async () => JSON.stringify(make());
const REFERENCE = 'public, max-age=3600';

export function catalogRoutes(ctx: ServerContext) {
  const app = router();
  app.openapi(
    routes.dimensions,
    (c) =>
      cached(
        c,
        ctx,
        ['dimensions'],
        async () =>
          JSON.stringify({
            dimensions: DIMENSIONS,
            drilldowns: DRILLDOWNS,
            measures: MEASURES,
            flows: ['X', 'M', 'RX', 'RM'],
            compare: ['yoy', 'mom', 'prev'],
            base: ['first-published', 'revised'],
          }),
        REFERENCE,
      ) as never,
  );
  app.openapi(routes.members, (c) => {
    const { name } = c.req.valid('param');
    const ed = (c.req.valid('query').edition ?? 'HS2022') as HsEdition;
    return cached(c, ctx, ['members', name, ed], async () => JSON.stringify(members(name, ed)), REFERENCE) as never;
  });
  app.openapi(routes.hsSearch, (c) => {
    const q = c.req.valid('query');
    const ed = (q.edition ?? 'HS2022') as HsEdition;
    return cached(
      c,
      ctx,
      ['hs-search', q],
      json(() => hsSearch(q.q, ed, q.limit ?? 20)),
      REFERENCE,
    ) as never;
  });
  app.openapi(routes.hsCode, (c) => {
    const { code } = c.req.valid('param');
    const ed = (c.req.valid('query').edition ?? 'HS2022') as HsEdition;
    const node = hsLookup(code, ed);
    if (!node) throw notFound('hs-code', `unknown HS code in ${ed}: ${code}`, code, 'search with /api/hs?q=…');
    return cached(
      c,
      ctx,
      ['hs', node.code, ed],
      json(() => ({ ...node, children: hsChildren(node.code, ed) })),
      REFERENCE,
    ) as never;
  });
  app.openapi(
    routes.baskets,
    (c) =>
      cached(
        c,
        ctx,
        ['baskets'],
        json(() =>
          baskets().map((b) => ({
            id: b.id,
            name: b.name,
            edition: b.edition,
            parts: b.parts.map((p) => ({ id: p.id, name: p.name })),
            source: b.source,
          })),
        ),
        REFERENCE,
      ) as never,
  );
  app.openapi(routes.basket, (c) => {
    const { id } = c.req.valid('param');
    const b = basketById(id);
    if (!b) throw notFound('unknown-basket', `unknown basket: ${id}`, id, 'list them with /api/baskets');
    const ed = (c.req.valid('query').edition ?? b.edition) as HsEdition;
    const { file: _file, ...rest } = b;
    return cached(
      c,
      ctx,
      ['basket', id, ed],
      json(() => ({ ...rest, expanded: expandBasket(b, ed) })),
      REFERENCE,
    ) as never;
  });
  app.openapi(
    routes.groups,
    (c) =>
      cached(
        c,
        ctx,
        ['groups'],
        json(() =>
          groups().map((g) => ({ id: g.id, names: g.names, kind: g.kind, category: g.category, areaCode: g.areaCode })),
        ),
        REFERENCE,
      ) as never,
  );
  app.openapi(routes.group, (c) => {
    const { id } = c.req.valid('param');
    const at = c.req.valid('query').at ?? new Date().toISOString().slice(0, 10);
    const g = requireGroup(id);
    return cached(
      c,
      ctx,
      ['group', g.id, at],
      json(() => ({
        id: g.id,
        names: g.names,
        kind: g.kind,
        category: g.category,
        at,
        members: membersAt(g.id, at),
        notes: g.notes,
      })),
      REFERENCE,
    ) as never;
  });
  app.openapi(
    routes.countries,
    (c) =>
      cached(
        c,
        ctx,
        ['countries'],
        json(() =>
          areas().map((a) => ({
            code: a.code,
            kind: a.kind,
            iso2: a.iso2,
            name_en: a.nameEn,
            name_zh: a.nameZh ?? null,
          })),
        ),
        REFERENCE,
      ) as never,
  );
  app.openapi(
    routes.regions,
    (c) =>
      cached(
        c,
        ctx,
        ['regions'],
        json(() => regions()),
        REFERENCE,
      ) as never,
  );
  return app;
}

function members(name: (typeof DIMENSIONS)[number], edition: HsEdition): Record<string, unknown>[] {
  switch (name) {
    case 'reporter':
    case 'partner':
      return areas().map((a) => ({ code: a.code, kind: a.kind, name_en: a.nameEn, name_zh: a.nameZh ?? null }));
    case 'region':
      return regions().map((r) => ({
        code: r.code,
        level: r.level,
        parent: r.parent,
        name_en: r.nameEn,
        name_zh: r.nameZh,
      }));
    case 'flow':
      return [
        { code: 'X', name_en: 'exports', name_zh: '出口' },
        { code: 'M', name_en: 'imports', name_zh: '进口' },
        { code: 'RX', name_en: 're-exports', name_zh: '复出口' },
        { code: 'RM', name_en: 're-imports', name_zh: '复进口' },
      ];
    case 'product':
      return hsCodes(edition, 'chapter').map((code) => {
        const n = hsLookup(code, edition);
        const section = n?.parents.find((p) => p.level === 'section');
        return {
          code,
          level: 'chapter',
          description: n?.description ?? null,
          section: section?.code ?? null,
          sectionDescription: section?.description ?? null,
        };
      });
    case 'period':
      return [
        '2025',
        '2025-06',
        '2025-Q1',
        '2025-H1',
        '2025-01..2025-06',
        'ytd:2025-06',
        'r12:2025-06',
        '2025-01+02',
      ].map((example) => ({ example }));
    case 'measure':
      return MEASURES.map((code) => ({ code }));
    case 'by':
      return DRILLDOWNS.map((code) => ({ code }));
  }
}

export function notFound(code: ProblemCode, message: string, value: string, next: string): HttpError {
  return new HttpError(404, message, [{ code, severity: 'error', message: `${message} (${next})`, value }]);
}
