#!/usr/bin/env node
// Runs tradescope's generated ClickHouse SQL on Debian's ClickHouse 18.16 and on a current ClickHouse embedded by
// chDB, and records which constructs differ between them in docs/clickhouse.md (between the chdb-check markers).
//
// chDB comes as an npm package with a ~500 MB platform library, so it is never a dependency of tradescope: this
// script installs it into a cache directory outside the repository (TRADESCOPE_CHDB_DIR, default
// $TMPDIR/tradescope-chdb) on first use. It needs `npm run build` first (it imports the compiled dialect) and
// /usr/sbin/clickhouse-server.
//
// Usage: npm run build && node scripts/chdb-check.mjs [--no-write]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHDB_VERSION = '3.4.0';
const dir = process.env.TRADESCOPE_CHDB_DIR ?? join(tmpdir(), 'tradescope-chdb');
const write = !process.argv.includes('--no-write');

if (!existsSync(join(ROOT, 'dist', 'src', 'store', 'clickhouse', 'dialect.js'))) {
  console.error('chdb-check: run `npm run build` first (the check uses the compiled dialect)');
  process.exit(2);
}
if (!existsSync(join(dir, 'node_modules', 'chdb'))) {
  mkdirSync(dir, { recursive: true });
  console.error(`chdb-check: installing chdb@${CHDB_VERSION} into ${dir} (about 550 MB, outside the repository)`);
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `chdb@${CHDB_VERSION}`], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('chdb-check: npm install chdb failed; the check needs the npm registry and ~550 MB of disk');
    process.exit(1);
  }
}
const chdb = createRequire(join(dir, 'package.json'))('chdb');
const { Binder } = await import('../dist/src/store/clickhouse/binder.js');
const dialect = await import('../dist/src/store/clickhouse/dialect.js');
const { schemaDdl } = await import('../dist/src/store/clickhouse/schema.js');
const { startClickHouse } = await import('../dist/test/clickhouse/cluster.js');

const server = await startClickHouse({ shards: 1 });
const port = server.nodes[0].httpPort;
const session = new chdb.Session();

async function on1816(sql, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) qs.set(`param_${k}`, String(v));
  let r;
  try {
    r = await fetch(`http://127.0.0.1:${port}/?${qs}`, { method: 'POST', body: sql });
  } catch (e) {
    return { ok: false, text: `the server died (${e.cause?.code ?? e.message})`, crashed: true };
  }
  const text = await r.text();
  return r.ok ? { ok: true, text } : { ok: false, text: text.split('\n')[0].replace(/, e\.what\(\).*$/, '') };
}
function onCurrent(sql, params) {
  try {
    const text = params ? session.queryBind(sql, params, 'TabSeparated') : session.query(sql, 'TabSeparated');
    return { ok: true, text };
  } catch (e) {
    return { ok: false, text: String(e.message).split('\n')[0] };
  }
}
// decimals: 18.16 prints the scale's zeros (1.5000), current releases trim them (1.5); compare without them
const norm = (t) => t.replace(/(\d+\.\d*?)0+(?=[\t\n,)\]]|$)/g, '$1').replace(/\.(?=[\t\n,)\]]|$)/g, '');

/** The dialect names tables without a database (the client sets it); the check qualifies them. */
const qualify = (sql) =>
  sql.replace(/\b(FROM|JOIN|INTO) (facts|coverage|rates|committed_loads|loads|quarantine|load_starts|removed_loads|datasets)\b/g, '$1 ts.$2');

const rows = [];
let version = '';
try {
  version = onCurrent('SELECT version()').text.trim();
  // the schema and a small cube: two vintages of one cell, a cumulative cell, nulls, a rate, a quarantined row
  for (const s of schemaDdl({ database: 'ts' })) {
    const a = await on1816(s);
    const b = onCurrent(s);
    if (!a.ok || !b.ok) rows.push({ construct: 'schema DDL', sql: s.slice(0, 80), a, b });
  }
  const fixture = [
    `INSERT INTO ts.load_starts VALUES (1, 'd', '2024-01-01 00:00:00'), (2, 'd', '2024-01-01 00:00:00'), (3, 'd', '2024-01-01 00:00:00')`,
    `INSERT INTO ts.committed_loads VALUES (1, '2024-01-01 00:00:00'), (2, '2024-02-01 00:00:00')`,
    `INSERT INTO ts.loads VALUES (1, 'd', '2024-01-01', 'src', 'a.csv', 'h1', 'csv', NULL, 'utf-8', '2024-01-01 00:00:00', 4, 4, 0, 0, ['reported'], ['H6']),
       (2, 'd', '2024-06-01', 'src', 'b.csv', 'h2', 'csv', NULL, 'utf-8', '2024-06-01 00:00:00', 1, 1, 1, 0, ['reported'], ['H6'])`,
    `INSERT INTO ts.datasets VALUES ('d', 'Demo', NULL, NULL, 0, '2024-01-01 00:00:00', 1)`,
    `INSERT INTO ts.facts VALUES
       (1, 'd', '2024-01-01', 'a.csv', 'CHN', 'USA', 'X', 'H6', '850760', 202401, 202401, 0, '', '', 'USD', 123.4500, 10.5, NULL, NULL, 'reported', 0, 2, NULL),
       (1, 'd', '2024-01-01', 'a.csv', 'CHN', 'USA', 'X', 'H6', '850760', 202402, 202402, 0, '', '', 'USD', 99999999999999999999999.1234, NULL, 3, 'u', 'reported', 0, 3, NULL),
       (1, 'd', '2024-01-01', 'a.csv', 'CHN', 'DEU', 'X', 'H6', '854142', 202401, 202402, 1, '', '', 'USD', 1000, NULL, NULL, NULL, 'reported', 0, 4, 'S1'),
       (1, 'd', '2024-01-01', 'a.csv', 'CHN', 'DEU', 'X', 'H6', '870380', 202401, 202401, 0, '', '', 'USD', 7, NULL, NULL, NULL, 'reported', 0, 5, NULL),
       (2, 'd', '2024-06-01', 'b.csv', 'CHN', 'USA', 'X', 'H6', '850760', 202401, 202401, 0, '', '', 'USD', 124, 10.5, NULL, NULL, 'reported', 0, 2, NULL),
       (3, 'd', '2024-07-01', 'c.csv', 'CHN', 'USA', 'X', 'H6', '850760', 202401, 202401, 0, '', '', 'USD', 999, NULL, NULL, NULL, 'reported', 0, 2, NULL)`,
    `INSERT INTO ts.rates VALUES (2, 'd', '2024-06-01', 'CHN', 'WLD', 'X', 'TOTAL', 'TOTAL', 202401, 202402, 1, '', '', 0.0718, NULL, 9, NULL)`,
    `INSERT INTO ts.quarantine VALUES (2, 'd', '2024-06-01', 'b.csv', 7, NULL, 'value', 'abc', 'bad-number', 'not a number', NULL)`,
  ];
  const { coverageInsertSql } = await import('../dist/src/store/clickhouse/schema.js');
  for (const id of [1, 2, 3]) fixture.push(qualify(coverageInsertSql(id)));
  for (const s of fixture) {
    const a = await on1816(s);
    const b = onCurrent(s);
    if (!a.ok || !b.ok) rows.push({ construct: 'fixture insert', sql: s.slice(0, 80), a, b });
  }
  // every store read, compiled by the dialect with literal values (the 18.16 path)
  const b = () => new Binder('literal');
  const reads = [
    ['cells(): latest version per cell (argMax over tuples, nullable members as value + flag)', (x) => dialect.cellsSql({ reporters: ['CHN'] }, x)],
    ['cells() as of a date', (x) => dialect.cellsSql({ asOf: '2024-03-01' }, x)],
    ['sumCells()', (x) => dialect.sumCellsSql({ reporters: ['CHN'], productPrefixes: ['85'] }, x)],
    [
      'aggregate(): ARRAY JOIN of window tuples, sumIf/countIf/uniqExactIf, NULL when nothing summed',
      (x) =>
        dialect.aggregateSql(
          {
            filter: { reporters: ['CHN'] },
            groupBy: ['partner', 'product'],
            productDigits: 4,
            windows: [
              { id: 'jf', start: 202401, end: 202402 },
              { id: 'jan', start: 202401, end: 202401 },
            ],
          },
          x,
          false,
        ),
    ],
    ['aggregate() on a single load (no argMax)', (x) => dialect.aggregateSql({ filter: { datasets: ['d'] }, groupBy: [], windows: [{ id: 'y', start: 202401, end: 202412 }] }, x, true)],
    ['rates()', (x) => dialect.ratesSql({}, x)],
    ['datasetsCovering() from the coverage records', (x) => dialect.datasetsCoveringSql({ partnerIntervals: [{ partner: 'USA', start: 202401, end: 202412 }] }, x)],
    ['datasetsCovering() from the facts', (x) => dialect.datasetsCoveringSql({ productPrefixes: ['85'], asOf: '2024-03-01' }, x)],
    ['loads()', (x) => dialect.loadsSql(x, { dataset: 'd' })],
    ['quarantine()', (x) => dialect.quarantineSql(x, {})],
  ];
  for (const [construct, build] of reads) {
    const q = qualify(build(b()));
    const a = await on1816(q);
    const c = onCurrent(q);
    rows.push({ construct, kind: 'read', a, b: c, same: a.ok && c.ok && norm(a.text) === norm(c.text), exact: a.ok && c.ok && a.text === c.text });
  }
  // every read again with server-side parameters (the path for 20.1 and later): 18.16 refuses them, the
  // current engine must give what it gave with literals
  for (const [construct, build] of reads) {
    const lit = onCurrent(qualify(build(b())));
    const sb = new Binder('server');
    const psql = qualify(build(sb));
    const pa = await on1816(psql, sb.params);
    const pc = onCurrent(psql, sb.params);
    rows.push({
      construct: `${construct.split(':')[0]} with {p:Type} parameters`,
      kind: 'params',
      a: pa,
      b: pc,
      same: pc.ok && lit.ok && pc.text === lit.text,
    });
  }
  // single constructs
  const probes = [
    ['window functions (row_number() OVER)', 'SELECT number, row_number() OVER (ORDER BY number) FROM (SELECT number FROM system.numbers LIMIT 2)'],
    ['GROUPING SETS', 'SELECT number % 2 AS a, count() FROM (SELECT number FROM system.numbers LIMIT 4) GROUP BY GROUPING SETS ((a), ())'],
    ['left(s, n)', "SELECT left('850760', 2)"],
    ['toString(Decimal128) above 2^64', "SELECT toString(toDecimal128('99999999999999999999999999.1234', 4))"],
    ['Decimal output keeps the scale (1.5000)', "SELECT toDecimal128('1.5', 4)"],
    ['sum(Decimal128(4)) type', "SELECT toTypeName(sum(toDecimal128('1.5', 4)))"],
    ['Decimal128 × Decimal128 scale', "SELECT toTypeName(toDecimal128('1', 4) * toDecimal128('2', 4))"],
    ['insert_distributed_sync setting', "SELECT name FROM system.settings WHERE name IN ('insert_distributed_sync', 'distributed_foreground_insert') ORDER BY name"],
    ['mutations_sync setting (synchronous ALTER … DELETE)', "SELECT name FROM system.settings WHERE name = 'mutations_sync'"],
    ['LowCardinality(String)', "SELECT toTypeName(toLowCardinality('CHN'))"],
    ['argMax over a tuple with a NULL member (single node)', "SELECT argMax(tuple(1, CAST(NULL AS Nullable(String))), 1)"],
    ['NULLS FIRST', 'SELECT x FROM (SELECT arrayJoin([1, NULL, 2]) AS x) ORDER BY x NULLS FIRST'],
    ['\\x escapes in string literals', "SELECT length('a\\x01b'), hex('a\\x01b')"],
    ['old setting name insert_distributed_sync accepted', 'SELECT 1 SETTINGS insert_distributed_sync = 1'],
    // last: this one takes the 18.16 server down
    ['aggregate FILTER (WHERE …) clause', 'SELECT sum(number) FILTER (WHERE number > 1) FROM (SELECT number FROM system.numbers LIMIT 4)'],
  ];
  for (const [construct, sql] of probes) {
    if (process.env.DEBUG) console.error(construct);
    const a = await on1816(sql);
    const c = onCurrent(sql);
    rows.push({ construct, kind: 'probe', sql, a, b: c, same: a.ok && c.ok && norm(a.text) === norm(c.text), exact: a.ok && c.ok && a.text === c.text });
  }
} finally {
  session.cleanup?.();
  await server.stop();
}

const cell = (r) => (r.ok ? `\`${r.text.trim().split('\n')[0].slice(0, 60) || '(no rows)'}\`` : `error: ${r.text.slice(0, 90)}`);
const lines = [
  `Generated by \`node scripts/chdb-check.mjs\` on ${new Date().toISOString().slice(0, 10)}: Debian's ClickHouse 18.16.1 against`,
  `ClickHouse ${version} (chDB ${CHDB_VERSION}).`,
  '',
  '| construct | 18.16 | current | same? |',
  '|---|---|---|---|',
  ...rows.map((r) => {
    const verdict =
      r.kind === 'params'
        ? !r.same
          ? '**differs**'
          : r.a.ok
            ? 'yes (no value to bind)'
            : 'current: same rows as with literals; 18.16: not supported (literals used)'
        : r.same
          ? r.exact
            ? 'yes'
            : 'yes (decimal zeros)'
          : '**differs**';
    const shown = (x) => (r.kind !== 'probe' && x.ok ? 'runs' : cell(x));
    return `| ${r.construct} | ${shown(r.a)} | ${shown(r.b)} | ${verdict} |`.replace(/\n/g, ' ');
  }),
];
const md = lines.join('\n');
console.log(md);
if (write) {
  const doc = join(ROOT, 'docs', 'clickhouse.md');
  const text = readFileSync(doc, 'utf8');
  const START = '<!-- chdb-check:start -->';
  const END = '<!-- chdb-check:end -->';
  const a = text.indexOf(START);
  const z = text.indexOf(END);
  if (a < 0 || z < 0) {
    console.error('chdb-check: docs/clickhouse.md has no chdb-check markers; not written');
    process.exit(1);
  }
  writeFileSync(doc, `${text.slice(0, a + START.length)}\n${md}\n${text.slice(z)}`);
  console.error('chdb-check: updated docs/clickhouse.md');
}
const readsDiffer = rows.filter((r) => (r.kind === 'read' || r.kind === 'params') && !r.same);
process.exit(readsDiffer.length ? 1 : 0);
