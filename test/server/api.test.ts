/**
 * The HTTP API on the bundled data, through `app.request()` (no port) and once over a real socket.
 * Expected figures are GAC's published ones (H1 2025 exports 13,000,388,810,000 CNY, YTD YoY +7.18 %;
 * imports 8,788,017,960,000 CNY, −2.78 %), and Comtrade's 2022 China → USA exports (582,756,110,047 USD).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { createApp } from '../../src/server/app.js';
import { startServer } from '../../src/server/serve.js';
import type { TradeStore } from '../../src/store/store.js';
import { bundledStore } from './bundled-store.js';

let store: TradeStore;
let remove: () => void;
let app: OpenAPIHono;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  const b = await bundledStore();
  store = b.store;
  remove = b.remove;
  ({ app } = await createApp(store, { log: (e) => logs.push(e), adminToken: 's3cret' }));
});

afterAll(async () => {
  await store?.close();
  remove?.();
});

const get = (path: string, init?: RequestInit) => app.request(path, init);
const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request(path, { method: 'POST', body, headers });

interface Problem {
  code: string;
  message: string;
  at?: { field?: string };
  value?: string;
}

async function problems(res: Response): Promise<{ error: string; problems: Problem[] }> {
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: string; problems: Problem[] };
  expect(body.error).toBeTruthy();
  expect(body.problems.length).toBeGreaterThan(0);
  return body;
}

describe('GET /api/query (CLI flag names)', () => {
  it('answers the H1 2025 headline with the published figures', async () => {
    const res = await get('/api/query?reporter=CHN&period=ytd:2025-06&compare=yoy&dataset=gacc-region-monthly');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: Record<string, string>[]; provenance: { currency: string } };
    const ex = body.rows.find((r) => r.measure === 'exports')!;
    const im = body.rows.find((r) => r.measure === 'imports')!;
    expect(ex.value).toBe('13000388810000');
    expect(ex.yoy_pct).toBe('7.18');
    expect(im.value).toBe('8788017960000');
    expect(im.yoy_pct).toBe('-2.78');
    expect(body.provenance.currency).toBe('CNY');
  });

  it('gives the same answer to POST with the spec, and CSV with format=csv', async () => {
    const res = await post(
      '/api/query',
      JSON.stringify({
        reporter: 'CHN',
        period: '2022',
        flow: ['X'],
        by: ['partner'],
        measures: ['value', 'share'],
        top: 5,
        dataset: 'comtrade',
      }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rows: Record<string, string>[] };
    expect(body.rows[0]).toMatchObject({ partner: 'USA', value: '582756110047', share_pct: '16.22' });
    const csv = await get(
      '/api/query?reporter=CHN&period=2022&flow=X&by=partner&measure=value,share&top=5&dataset=comtrade&format=csv',
    );
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('period,partner,measure,value,currency,basis,months_sum,note,share_pct');
    expect(lines[1]).toBe('2022,USA,exports,582756110047,USD,published for the period,,,16.22');
    expect(lines).toHaveLength(7); // header, five partners, (rest)
  });

  it('gives SDMX-CSV 2.0 with format=sdmx-csv: one observation per row and number, the same exact text', async () => {
    const sdmx = await get(
      '/api/query?reporter=CHN&period=2022&flow=X&by=partner&measure=value,share&top=5&dataset=comtrade&format=sdmx-csv',
    );
    expect(sdmx.status).toBe(200);
    expect(sdmx.headers.get('content-type')).toMatch(/application\/vnd\.sdmx\.data\+csv; version=2\.0\.0/);
    const obs = (await sdmx.text()).trim().split('\n');
    expect(obs[0]).toMatch(/^STRUCTURE,STRUCTURE_ID,ACTION,REPORTER,PARTNER,/);
    const starting = (prefix: string) => obs.filter((l) => l === prefix || l.startsWith(`${prefix},`));
    expect(
      starting('dataflow,TRADESCOPE:QUERY(1.0),I,CHN,USA,TOTAL,_Z,exports,VALUE,2022,582756110047,USD,0,A'),
    ).toHaveLength(1);
    expect(
      starting('dataflow,TRADESCOPE:QUERY(1.0),I,CHN,USA,TOTAL,_Z,exports,SHARE_PCT,2022,16.22,PC,0,A'),
    ).toHaveLength(1);
    expect((obs.length - 1) % 6).toBe(0); // five partners and (rest), the same numbers for each
  });

  it('sends an ETag and cache headers; If-None-Match gives 304 and the second answer comes from the cache', async () => {
    const url = '/api/query?reporter=CHN&period=2025-06&dataset=gacc-region-monthly';
    const a = await get(url);
    expect(a.status).toBe(200);
    const etag = a.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(a.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const b = await get(url);
    expect(b.headers.get('x-cache')).toBe('hit');
    expect(b.headers.get('etag')).toBe(etag);
    const c = await get(url, { headers: { 'if-none-match': etag } });
    expect(c.status).toBe(304);
    expect(await c.text()).toBe('');
  });

  it('takes exactly the parameter names of the `tradescope query` flags', async () => {
    const program = buildProgram(() => {});
    const cmd = program.commands.find((c) => c.name() === 'query')!;
    const flags = cmd.options.map((o) => o.long!.replace(/^--/, ''));
    // --spec/--out read and write files, --db/--json choose the store and output, --explain prints the plan;
    // format is csv|json over HTTP
    const local = new Set(['db', 'json', 'spec', 'out', 'explain']);
    const doc = (await (await get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const params = doc.paths['/api/query']!.get!.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
    expect(new Set(params)).toEqual(new Set(flags.filter((f) => !local.has(f))));
  });
});

describe('malformed requests get 4xx with problems, never 500', () => {
  it('bad period', async () => {
    const res = await get('/api/query?reporter=CHN&period=2025-13');
    expect(res.status).toBe(400);
    const b = await problems(res);
    expect(b.problems[0]).toMatchObject({ code: 'bad-period', at: { field: 'period' }, value: '2025-13' });
  });

  it('a date that does not exist', async () => {
    for (const res of [
      await get('/api/query?reporter=CHN&period=2024&as-of=2025-13-45'),
      await post('/api/query', JSON.stringify({ reporter: 'CHN', period: '2024', asOf: '2025-02-29' })),
    ]) {
      expect(res.status).toBe(400);
      expect((await problems(res)).problems[0]).toMatchObject({ code: 'bad-date', at: { field: 'asOf' } });
    }
  });

  it('unknown reporter and partner codes', async () => {
    const r = await get('/api/query?reporter=ZZZ&period=2024');
    expect(r.status).toBe(400);
    expect((await problems(r)).problems[0]).toMatchObject({ at: { field: 'reporter' }, value: 'ZZZ' });
    const p = await get('/api/query?reporter=CHN&partner=NOPE&period=2022');
    expect(p.status).toBe(400);
    expect((await problems(p)).error).toMatch(/NOPE/);
  });

  it('unknown parameter, unknown spec field, wrong types', async () => {
    const a = await get('/api/query?reporter=CHN&period=2024&colour=red');
    expect(a.status).toBe(400);
    expect((await problems(a)).problems[0]!.message).toMatch(/unknown parameter: colour/);
    const b = await post('/api/query', JSON.stringify({ reporter: 'CHN', period: '2024', sql: 'SELECT 1' }));
    expect(b.status).toBe(400);
    expect((await problems(b)).problems[0]!.message).toMatch(/sql/);
    const c = await post('/api/query', JSON.stringify({ reporter: 'CHN', period: '2024', top: '5' }));
    expect(c.status).toBe(400);
    expect((await problems(c)).problems[0]!.at?.field).toBe('top');
    const d = await get('/api/query?reporter=CHN&period=2024&top=abc');
    expect(d.status).toBe(400);
    expect((await problems(d)).problems[0]!.at?.field).toBe('top');
    const e = await get('/api/query?reporter=CHN&period=2024&measure=value,profit');
    expect(e.status).toBe(400);
    expect((await problems(e)).problems[0]!.at?.field).toBe('measures.1');
  });

  it('malformed JSON and a body that is not an object', async () => {
    const a = await post('/api/query', '{"reporter": "CHN",');
    expect(a.status).toBe(400);
    await problems(a);
    const b = await post('/api/query', '[1,2,3]');
    expect(b.status).toBe(400);
    await problems(b);
  });

  it('an oversize spec gets 413', async () => {
    const res = await post(
      '/api/query',
      JSON.stringify({ reporter: 'CHN', period: '2024', dataset: 'x'.repeat(20_000) }),
    );
    expect(res.status).toBe(413);
    expect((await problems(res)).problems[0]!.code).toBe('body-too-large');
  });

  it('injection strings are rejected as values, and the store is unchanged', async () => {
    const before = ((await (await get('/api/datasets')).json()) as { datasets: unknown[] }).datasets.length;
    const attempts = [
      "/api/query?reporter=CHN'; DROP TABLE loads; --&period=2024",
      "/api/query?reporter=CHN&period=2024' OR '1'='1",
      '/api/query?reporter=CHN&period=2024&by=partner); DELETE FROM loads; --',
      '/api/query?reporter=CHN&period=2024&dataset=gacc" OR 1=1 --',
      '/api/query?reporter=CHN&period=2024&product=85; DROP TABLE fact_cells',
      '/api/quarantine?dataset=x%27%20OR%201%3D1',
      '/api/hs/85;DROP',
    ];
    for (const url of attempts) {
      const res = await get(url.replace(/ /g, '%20'));
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.status, url).toBeLessThan(500);
      await problems(res);
    }
    const after = ((await (await get('/api/datasets')).json()) as { datasets: unknown[] }).datasets.length;
    expect(after).toBe(before);
    expect(after).toBe(11);
  });

  it('unknown HS code, basket and group; unknown endpoint', async () => {
    expect((await get('/api/hs/0199')).status).toBe(404);
    expect((await get('/api/baskets/old-four')).status).toBe(404);
    const g = await get('/api/groups/ASEN');
    expect(g.status).toBe(400);
    expect((await problems(g)).error).toMatch(/ASEAN/);
    const n = await get('/api/nothing-here');
    expect(n.status).toBe(404);
    await problems(n);
  });

  it('not a single 500 in the request log', () => {
    expect(logs.length).toBeGreaterThan(20);
    expect(logs.filter((l) => Number(l.status) >= 500)).toEqual([]);
  });
});

describe('limits', () => {
  it('too many rows gives 413 naming the limit', async () => {
    const { app: small } = await createApp(store, { log: null, limits: { maxRows: 5 } });
    const res = await small.request('/api/query?reporter=CHN&period=2022&flow=X&by=partner&dataset=comtrade');
    expect(res.status).toBe(413);
    const b = await problems(res);
    expect(b.problems[0]!.code).toBe('too-many-rows');
    expect(b.problems[0]!.message).toMatch(/limit of 5/);
  });

  it('a query slower than the limit gives 408', async () => {
    const { app: hasty } = await createApp(store, { log: null, limits: { queryTimeoutMs: 1 } });
    const res = await hasty.request(
      '/api/query?reporter=CHN&period=1990..2020&flow=X&by=year,partner&dataset=imf-dots-china-exports',
    );
    expect(res.status).toBe(408);
    expect((await problems(res)).problems[0]!.code).toBe('query-timeout');
  });
});

describe('reference data and the store', () => {
  it('countries with Chinese names, HS lookup, baskets, groups, dimensions', async () => {
    const countries = (await (await get('/api/countries')).json()) as {
      code: string;
      name_en: string;
      name_zh: string;
    }[];
    expect(countries.find((c) => c.code === 'CHN')).toMatchObject({ name_zh: '中国' });
    expect(countries.find((c) => c.code === 'USA')?.name_zh).toBe('美国');
    const hs = (await (await get('/api/hs/8541.43')).json()) as {
      code: string;
      level: string;
      parents: { code: string }[];
    };
    expect(hs).toMatchObject({ code: '854143', level: 'subheading' });
    expect(hs.parents.map((p) => p.code)).toEqual(['8541', '85', 'XVI']);
    const search = (await (await get('/api/hs?q=solar')).json()) as { code: string }[];
    expect(search.length).toBeGreaterThan(0);
    const nt = (await (await get('/api/baskets/new-three')).json()) as { parts: { id: string }[] };
    expect(nt.parts.map((p) => p.id)).toEqual(['electric-vehicles', 'lithium-ion-batteries', 'pv-cells']);
    const eu = (await (await get('/api/groups/EU?at=2021-01-01')).json()) as { members: unknown[] };
    expect(eu.members).toHaveLength(27); // the UK left on 2020-01-31
    const eu2019 = (await (await get('/api/groups/EU?at=2019-06-01')).json()) as { members: unknown[] };
    expect(eu2019.members).toHaveLength(28);
    const members = (await (await get('/api/dimensions/flow/members')).json()) as { code: string }[];
    expect(members.map((m) => m.code)).toEqual(['X', 'M', 'RX', 'RM']);
  });

  it('datasets, vintages and quarantine', async () => {
    const ds = (await (await get('/api/datasets')).json()) as { datasets: { dataset: string; quarantined: number }[] };
    expect(ds.datasets.find((d) => d.dataset === 'imf-dots-china-exports')?.quarantined).toBe(44);
    const v = (await (await get('/api/datasets/gacc-region-monthly/vintages')).json()) as { dataset: string }[];
    expect(v).toHaveLength(1);
    expect((await get('/api/datasets/nope/vintages')).status).toBe(404);
    const q = (await (await get('/api/quarantine?dataset=imf-dots-china-exports&limit=50')).json()) as unknown[];
    expect(q).toHaveLength(44);
  });

  it('the dashboard plan names the dataset behind each view and what is missing', async () => {
    const plan = (await (await get('/api/views?reporter=CHN')).json()) as Record<string, unknown> & {
      missing: { view: string; reason: string }[];
    };
    expect(plan).toMatchObject({
      reporter: 'CHN',
      totals: { dataset: 'gacc-region-monthly', last: '2025-06', monthly: true, currency: 'CNY' },
      partnersHistory: { dataset: 'imf-dots-china-exports', last: '2020-12' },
      partnersLatest: { dataset: 'comtrade', last: '2022-12' },
      products: { dataset: 'baci-hs92', productReporterIsOther: true },
      mirror: { dataset: 'comtrade', partners: ['DEU', 'USA'] },
      regions: { dataset: 'gacc-region-monthly' },
    });
    expect((plan.partnerProducts as { dataset: string }[]).map((d) => d.dataset).sort()).toEqual([
      'comtrade-critical-minerals',
      'ember-china-solar-exports',
    ]);
    expect((plan.partnerReported as { partner: string }[]).map((d) => d.partner).sort()).toEqual(['JPN', 'KOR', 'USA']);
    expect(plan.missing.map((m) => m.view)).toEqual(['products']);
  });

  it('forecast with its intervals; projection of the full year', async () => {
    const f = await get('/api/forecast?reporter=CHN&flow=X&horizon=6&dataset=gacc-region-monthly');
    expect(f.status).toBe(200);
    const body = (await f.json()) as {
      forecast: { months: string[]; point: number[]; intervals: { level: number; lower: number[]; upper: number[] }[] };
    };
    expect(body.forecast.months).toEqual(['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    for (const i of body.forecast.intervals)
      for (let k = 0; k < 6; k++) expect(i.lower[k]!).toBeLessThan(body.forecast.point[k]!);
    const bad = await get('/api/forecast?reporter=CHN&flow=Q');
    expect(bad.status).toBe(400);
    const p = await get('/api/projection?reporter=CHN&flow=X&year=2025&dataset=gacc-region-monthly');
    expect(p.status).toBe(200);
    const proj = (await p.json()) as { actual: string; through: string };
    expect(proj).toMatchObject({ actual: '13000388810000', through: '2025-06' });
  });
});

describe('OpenAPI, admin token, logs, shutdown', () => {
  it('/openapi.json is an OpenAPI 3 document whose references all resolve', async () => {
    const doc = (await (await get('/openapi.json')).json()) as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, unknown>; parameters?: { name: string; in: string; schema?: unknown }[] }
        >
      >;
      components: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/query',
        '/api/countries',
        '/api/hs/{code}',
        '/api/baskets',
        '/api/groups/{id}',
        '/api/datasets',
        '/api/quarantine',
        '/api/forecast',
        '/api/projection',
        '/api/views',
      ]),
    );
    expect(doc.paths['/api/query']!.post).toBeTruthy();
    const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith('/')).toBe(true);
      for (const [method, op] of Object.entries(item)) {
        expect(methods.has(method), `${method} ${path}`).toBe(true);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const p of op.parameters ?? []) {
          expect(['query', 'path', 'header', 'cookie']).toContain(p.in);
          expect(p.schema, `${path} ${p.name}`).toBeTruthy();
          // OpenAPI 3: path parameters are declared in the template
          if (p.in === 'path') expect(path).toContain(`{${p.name}}`);
        }
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [, kind, name] of refs) expect(doc.components[kind!]?.[name!], `${kind}/${name}`).toBeTruthy();
  });

  it('serves the dashboard files and nothing outside its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradescope-web-'));
    mkdirSync(join(dir, 'web', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(dir, 'web', 'assets', 'app-1234.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    try {
      const { app: web } = await createApp(store, { log: null, webRoot: join(dir, 'web') });
      const index = await web.request('/');
      expect(await index.text()).toContain('dashboard');
      expect(index.headers.get('cache-control')).toBe('no-cache');
      const asset = await web.request('/assets/app-1234.js');
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      for (const path of ['/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
        const res = await web.request(path);
        expect(await res.text(), path).not.toContain('secret');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('admin endpoints need the bearer token', async () => {
    expect((await post('/api/admin/cache/clear', '')).status).toBe(401);
    expect((await post('/api/admin/cache/clear', '', { authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await post('/api/admin/cache/clear', '', { authorization: 'Bearer s3cret' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { cleared: number }).cleared).toBeGreaterThan(0);
    const { app: open } = await createApp(store, { log: null });
    expect((await open.request('/api/admin/stats')).status).toBe(403);
  });

  it('logs one JSON entry per request with method, path, status and duration', () => {
    const e = logs.find((l) => l.path === '/api/countries');
    expect(e).toMatchObject({ method: 'GET', status: 200, level: 'info' });
    expect(typeof e!.ms).toBe('number');
    expect(typeof e!.time).toBe('string');
  });

  it('serves over a socket and shuts down gracefully, finishing a request in flight', async () => {
    const b = await bundledStore();
    const server = await startServer(b.store, { port: 0, log: null });
    try {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      const inFlight = fetch(
        `${server.url}/api/query?reporter=CHN&period=2011..2020&flow=X&by=year,partner&top=5&dataset=imf-dots-china-exports`,
      );
      await new Promise((r) => setTimeout(r, 20));
      const closed = server.close(10_000);
      const res = await inFlight;
      expect(res.status).toBe(200);
      await closed;
      await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    } finally {
      b.remove();
    }
  });
});
