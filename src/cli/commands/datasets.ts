/**
 * `tradescope datasets`: what is loaded — datasets, vintages, rows, periods, reporters, regions, provenance.
 */
import { groupThousands } from '../../model/decimal.js';
import { regionByCode } from '../../model/regions.js';
import { UserError } from '../../util/errors.js';
import { printJson, textTable } from '../format.js';
import { openStore } from '../open-store.js';

export async function datasetsCommand(o: { db?: string; json?: boolean; prefer?: string }): Promise<number> {
  const store = await openStore(o.db, { readOnly: o.prefer === undefined });
  try {
    if (o.prefer !== undefined) {
      const list = o.prefer
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const known = new Set((await store.datasets()).map((d) => d.dataset));
      const unknown = list.filter((d) => !known.has(d));
      if (unknown.length)
        throw new UserError(`--prefer: unknown dataset(s): ${unknown.join(', ')} (loaded: ${[...known].join(', ')})`);
      await store.setPrecedence(list);
    }
    const ds = await store.datasets();
    const precedence = await store.precedence();
    const loads = await store.loads();
    const superseded = (await store.supersededLoads?.()) ?? [];
    if (o.json) {
      printJson({ store: store.location, precedence, datasets: ds, loads, superseded });
      return 0;
    }
    if (!ds.length) {
      process.stdout.write(
        `no datasets in ${store.location} yet: load files with \`tradescope ingest\`, or run \`tradescope demo\`\n`,
      );
      return 0;
    }
    process.stdout.write(
      `${textTable(
        [
          'dataset',
          'vintages',
          'rows',
          'quarantined',
          'periods',
          'reporters',
          'partners',
          'regions',
          'flows',
          'currency',
          'SA',
        ],
        ds.map((d) => [
          d.dataset,
          d.vintages.map((v) => v.vintage).join(' '),
          groupThousands(String(d.rows)),
          groupThousands(String(d.quarantined)),
          d.firstPeriod ? `${d.firstPeriod}..${d.lastPeriod}` : '',
          d.reporters.length > 4
            ? `${d.reporters.slice(0, 4).join(' ')} +${d.reporters.length - 4}`
            : d.reporters.join(' '),
          d.partners,
          d.regions.length ? d.regions.map((r) => regionByCode(r)?.nameZh ?? r).join(' ') : '',
          d.flows.join(' '),
          d.currencies.join(' '),
          d.seasonallyAdjusted ? 'yes' : 'no',
        ]),
      )}\n\n`,
    );
    process.stdout.write('provenance:\n');
    for (const d of ds) {
      process.stdout.write(`  ${d.dataset}${d.name ? ` — ${d.name}` : ''}${d.source ? ` (${d.source})` : ''}\n`);
      for (const v of d.vintages) {
        process.stdout.write(
          `    vintage ${v.vintage} (${v.vintageSource}): ${v.loads} file(s), ${groupThousands(String(v.rows))} rows: ${v.files.map(fileName).join(', ')}\n`,
        );
      }
    }
    if (superseded.length) {
      process.stdout.write('\nsuperseded loads (the same file loaded again, read another way; not read by queries):\n');
      for (const l of superseded)
        process.stdout.write(
          `  load ${l.loadId} ${l.dataset} ${l.vintage}: ${fileName(l.sourceFile)}${l.mapping ? ` with mapping ${fileName(l.mapping)}` : ''}, ${groupThousands(String(l.rowsLoaded))} rows — superseded by load ${l.supersededBy} on ${l.supersededAt.slice(0, 19)}\n`,
        );
    }
    if (precedence.length) process.stdout.write(`\nprecedence for overlapping cells: ${precedence.join(' > ')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** A file name as listed: quoted when it holds a comma or a double quote, so the list reads back unambiguously. */
const fileName = (f: string): string => (/[,"]/.test(f) ? JSON.stringify(f) : f);
