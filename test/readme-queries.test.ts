/**
 * Every `tradescope query` example in the README gives the same answer through the CLI (as written, and with
 * the headline's measures spelled out when it names none), the library (`query` with `specFromParams`) and
 * HTTP (`GET /api/query` with the same parameter names), on the bundled data.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/cli/open-store.js';
import { ingestFile } from '../src/ingest/ingest.js';
import { listReleaseFiles } from '../src/ingest/readers/gacc-release/index.js';
import { type QueryResult, query } from '../src/query/engine.js';
import { type QueryParamValues, specFromParams } from '../src/query/params.js';
import { createApp } from '../src/server/app.js';
import type { TradeStore } from '../src/store/store.js';
import { UserError } from '../src/util/errors.js';
import { monthRows, writeComextArchive } from './fixtures/comext/make-comext.js';
import { bundledStore } from './server/bundled-store.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = `${ROOT}bin/tradescope.js`;

/** The README's query examples: flags as typed, without those that write files or are meant to fail. */
function readmeExamples(): string[][] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const out: string[][] = [];
  for (const line of readme.split('\n')) {
    const m = /^tradescope query (.+?)(\s+#(.*))?$/.exec(line.trim());
    if (!m) continue;
    if (/--spec|--out|--explain/.test(m[1]!) || /fails/.test(m[3] ?? '')) continue;
    const args = m[1]!.split(/\s+/).filter((a, i, all) => a !== '--format' && all[i - 1] !== '--format');
    out.push(args);
  }
  return out;
}

function paramsOf(args: string[]): QueryParamValues {
  const p: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) p[args[i]!.replace(/^--/, '')] = args[i + 1]!;
  return p as QueryParamValues;
}

/** What must agree: the rows, their columns, the dataset, the currency and the notes' codes. */
const answer = (r: QueryResult) => ({
  columns: r.columns,
  rows: r.rows,
  dataset: r.provenance.dataset,
  currency: r.provenance.currency,
  notes: r.notes.map((n) => n.code).sort(),
});

const examples = readmeExamples();
let path: string;
let remove: () => void;
let store: TradeStore;
let app: OpenAPIHono;
const cli = new Map<string, QueryResult>();
const spelled = new Map<string, QueryResult>();

beforeAll(async () => {
  const b = await bundledStore();
  ({ path, remove } = b);
  // the README's release examples read GAC's release pages (the real ones among the test fixtures)
  for (const f of listReleaseFiles(join(ROOT, 'test', 'fixtures', 'gacc-releases'))) {
    await ingestFile(b.store, f, { format: 'gacc-release', stagingBase: path }).catch((e) => {
      if (!(e instanceof UserError)) throw e; // a page without a table (an index, an image) is not data
    });
  }
  await b.store.close();
  // the README's Comext examples read a month in Comext's bulk layout (a generated archive: no real one is
  // bundled), loaded as the README says, with the EU as one reporter derived from it (dataset comext-eu)
  const archive = writeComextArchive(dirname(path), '202511', monthRows('202511'));
  await run(process.execPath, [CLI, 'ingest', archive, '--format', 'comext', '--db', path], { cwd: ROOT });
  const reopened = await openStore(path);
  // with two GAC sources loaded, the README's headline examples read the regional file (the release examples
  // name their dataset), as a user declares with `tradescope datasets --prefer`
  await reopened.setPrecedence(['gacc-region-monthly']);
  await reopened.close();
  // the CLI first, each example its own process, while no other process holds the store
  for (const args of examples) {
    const { stdout } = await run(process.execPath, [CLI, 'query', ...args, '--json', '--db', path], { cwd: ROOT });
    cli.set(args.join(' '), JSON.parse(stdout) as QueryResult);
    if (!args.includes('--measure')) {
      const p = paramsOf(args);
      const flows = p.flow ? p.flow.split(',') : ['X', 'M'];
      const measures = [
        'value',
        ...(flows.includes('X') && flows.includes('M') ? ['balance', 'total'] : []),
        ...((p.by ?? '').split(',').includes('month') ? ['ytd'] : []),
      ];
      const more = ['--measure', measures.join(','), ...(p.compare ? [] : ['--compare', 'yoy'])];
      const r = await run(process.execPath, [CLI, 'query', ...args, ...more, '--json', '--db', path], { cwd: ROOT });
      spelled.set(args.join(' '), JSON.parse(r.stdout) as QueryResult);
    }
  }
  store = await openStore(path);
  ({ app } = await createApp(store, { log: () => {} }));
}, 600_000);

afterAll(async () => {
  await store?.close();
  remove?.();
});

describe('the README query examples: one answer through every entry point', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(15);
  });

  for (const args of examples) {
    it(`tradescope query ${args.join(' ')}`, async () => {
      const fromCli = cli.get(args.join(' '))!;
      expect(fromCli.rows.length).toBeGreaterThan(0);
      const params = paramsOf(args);
      const fromLibrary = await query(store, specFromParams(params));
      expect(answer(fromLibrary)).toEqual(answer(fromCli));
      const res = await app.request(`/api/query?${new URLSearchParams(params as Record<string, string>)}`);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(answer((await res.json()) as QueryResult)).toEqual(answer(fromCli));
      const withMeasures = spelled.get(args.join(' '));
      if (withMeasures) expect(answer(withMeasures)).toEqual(answer(fromCli));
    });
  }
});
