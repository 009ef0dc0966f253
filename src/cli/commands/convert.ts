/**
 * `tradescope convert`: links of HS codes between editions, or a stored dataset converted to another edition
 * (printed, written with --out, or loaded as a new dataset with --into).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  CONVERTED_COLUMNS,
  conversionHash,
  convertDataset,
  convertedCsvCells,
  convertedReader,
  type DatasetConversion,
} from '../../classify/hs-convert.js';
import { mapCode, tableVersion } from '../../classify/hs-correlation.js';
import {
  HS_EDITIONS,
  type HsEdition,
  hsLookup,
  normalizeHsCode,
  parseEdition,
} from '../../classify/hs-nomenclature.js';
import { groupThousands } from '../../model/decimal.js';
import { formatProblem, UserError } from '../../util/errors.js';
import { common, type Run } from '../common.js';
import { type Cell, csvText, printJson, textTable, writeOut } from '../format.js';
import { openStore, storeLocation } from '../open-store.js';

export interface ConvertCliOptions {
  db?: string;
  json?: boolean;
  from?: string;
  to?: string;
  dataset?: string;
  weights?: string;
  out?: string;
  into?: string;
}

/** Registers `tradescope convert`. */
export function registerConvert(program: Command, run: Run): void {
  common(
    program
      .command('convert')
      .description('HS codes between editions (UNSD correlation), or a stored dataset converted to another edition')
      .argument('[codes...]', 'HS codes of the --from edition (6 digits, dots allowed; 4 or 2 digits as a group)')
      .option('--from <edition>', `source edition: ${HS_EDITIONS.join(', ')} or H0 … H6`)
      .option('--to <edition>', 'target edition (default HS2022)')
      .option('--dataset <id>', 'convert this stored dataset (its cells say their edition; --from overrides)')
      .option('--weights <dataset>', 'split 1:n links by the trade values of this dataset in the target edition')
      .option('--out <file>', 'write the converted rows (.csv, .json)')
      .option('--into <dataset>', 'load the converted rows into the store as this dataset (flag converted)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  tradescope convert --from HS2022 --to HS2017 854142 854143\n  tradescope convert --from HS1992 --to HS2022 8541.40\n  tradescope convert --dataset baci-hs92 --to HS2022 --out baci-hs22.csv\n  tradescope convert --dataset baci-hs92 --to HS2022 --weights comtrade-h6 --into baci-hs92-as-hs22\n',
    )
    .action((codes: string[], o: ConvertCliOptions) => run(convertCommand(codes, o)));
}

export async function convertCommand(codes: string[], o: ConvertCliOptions): Promise<number> {
  const to: HsEdition = o.to ? parseEdition(o.to) : 'HS2022';
  if (o.dataset) {
    if (codes.length) throw new UserError('give either codes or --dataset, not both');
    return convertStored(o, to);
  }
  if (!o.from) throw new UserError('--from is required with codes (e.g. --from HS2022 --to HS2017 854142)');
  if (!codes.length) throw new UserError('give HS codes to convert, or --dataset <id>');
  if (o.weights || o.into) throw new UserError('--weights and --into need --dataset');
  const from = parseEdition(o.from);
  const result = codes.map((text) => {
    const code = normalizeHsCode(text);
    if (!code || !/^\d+$/.test(code)) throw new UserError(`invalid HS code: ${text}`);
    const links = mapCode(code, from, to);
    return {
      code,
      description: hsLookup(code, from)?.description ?? null,
      known: links.length > 0,
      links: links.map((l) => ({
        ...l,
        description: hsLookup(l.code, to)?.description ?? null,
        method:
          l.relationship === '1:1'
            ? '1:1'
            : l.relationship === 'n:1'
              ? 'n:1 (merged)'
              : `${l.relationship} split (weights needed)`,
      })),
    };
  });
  const table = tableVersion(from, to);
  if (o.json) {
    printJson({ from, to, table, codes: result });
    return 0;
  }
  const rows: Cell[][] = [];
  for (const r of result) {
    if (!r.known) rows.push([r.code, '', '', `unknown ${from} code`, '']);
    for (const l of r.links) rows.push([r.code, l.code, l.relationship, l.method, trim(l.description)]);
  }
  const unknown = result.filter((r) => !r.known).length;
  process.stdout.write(
    `${from} → ${to}\n${textTable(['from', 'to', 'relationship', 'method', `${to} description`], rows)}\n\ntable: ${table}\n` +
      'relationship read from --from to --to: n:1 merged (exact), 1:n and n:n split (trade-value weights with --weights, else equal)\n',
  );
  return unknown === result.length ? 2 : 0;
}

const trim = (s: string | null): string => (s === null ? '' : s.length > 70 ? `${s.slice(0, 69)}…` : s);

async function convertStored(o: ConvertCliOptions, to: HsEdition): Promise<number> {
  const store = await openStore(o.db);
  try {
    const conv = await convertDataset(store, {
      dataset: o.dataset!,
      to,
      ...(o.from ? { from: parseEdition(o.from) } : {}),
      ...(o.weights ? { weights: o.weights } : {}),
    });
    const table = { headers: [...CONVERTED_COLUMNS], rows: conv.rows.map(convertedCsvCells) };
    if (o.out) writeOut(o.out, table, conv);
    let into: unknown = null;
    if (o.into) {
      const { ingestReader } = await import('../../ingest/ingest.js');
      const report = await ingestReader(
        store,
        {
          reader: convertedReader(conv),
          sourceFile: `convert ${conv.dataset} → ${to}${conv.weights ? ` weights ${conv.weights}` : ''} (${conv.table})`,
          contentHash: conversionHash(conv),
        },
        { dataset: o.into, vintage: conv.vintage, stagingBase: resolve(storeLocation(o.db)) },
      );
      into = report;
    }
    if (o.json) {
      printJson({ ...summary(conv), into, rows: o.out ? undefined : conv.rows });
      return 0;
    }
    const lines = [
      `${conv.dataset}: ${groupThousands(String(conv.cellsRead))} cells read (${conv.from} → ${to}), ${groupThousands(String(conv.rows.length))} converted rows`,
      ...(conv.cellsSkipped ? [`${conv.cellsSkipped} cells not in an HS edition were left out`] : []),
      '',
      textTable(
        ['method', 'source cells'],
        Object.entries(conv.methods)
          .sort(([, a], [, b]) => b - a)
          .map(([m, n]) => [m, groupThousands(String(n))]),
      ),
      '',
      `table: ${conv.table}`,
      ...conv.problems.slice(0, 10).map((p) => formatProblem(p)),
      ...(conv.problems.length > 10 ? [`… ${conv.problems.length - 10} more problems (see --json)`] : []),
    ];
    if (o.out) lines.push(`wrote ${conv.rows.length} rows to ${o.out}`);
    if (into) lines.push(`loaded into dataset ${o.into}: ${JSON.stringify(pick(into))}`);
    if (!o.out && !o.into) {
      lines.push('', csvText(table.headers, table.rows.slice(0, 20)).trimEnd());
      if (table.rows.length > 20) lines.push(`… ${table.rows.length - 20} more rows (use --out file.csv)`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

function summary(c: DatasetConversion) {
  return {
    dataset: c.dataset,
    from: c.from,
    to: c.to,
    weights: c.weights,
    vintage: c.vintage,
    table: c.table,
    cellsRead: c.cellsRead,
    cellsSkipped: c.cellsSkipped,
    rowsOut: c.rows.length,
    methods: c.methods,
    problems: c.problems,
  };
}

function pick(report: unknown): Record<string, unknown> {
  const r = report as Record<string, unknown>;
  return { status: r.status, rowsLoaded: r.rowsLoaded, rowsQuarantined: r.rowsQuarantined, vintage: r.vintage };
}
