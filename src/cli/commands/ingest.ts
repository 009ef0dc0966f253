/**
 * `tradescope ingest <file…>`: load files, one load each; a report per file.
 */
import { dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { FORMATS, type Format, type IngestReport, ingestFile } from '../../ingest/ingest.js';
import { cnPrefixes, eurostatCodesFor } from '../../ingest/readers/comext-reader.js';
import { groupThousands } from '../../model/decimal.js';
import { formatProblem, UserError } from '../../util/errors.js';
import { printJson } from '../format.js';
import { openStore, storeLocation } from '../open-store.js';

export interface IngestCliOptions {
  db?: string;
  json?: boolean;
  format: string;
  mapping?: string;
  codes?: string;
  dataset?: string;
  vintage?: string;
  /** `now` (default) or `later`: when to update the rollups. */
  rollups?: string;
  /** Comext: partners to keep (comma-separated Eurostat/ISO codes). */
  partner?: string;
  /** Comext: CN code prefixes to keep (comma-separated). */
  product?: string;
}

/** `--partner` / `--product` of a Comext load, checked (they filter while reading; other formats refuse them). */
function comextFilters(o: IngestCliOptions): { partners?: string[]; products?: string[] } {
  if (!o.partner && !o.product) return {};
  if (o.format !== 'comext') throw new UserError('--partner and --product filter a comext load only');
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  return {
    ...(o.partner ? { partners: eurostatCodesFor(list(o.partner)) } : {}),
    ...(o.product ? { products: cnPrefixes(list(o.product)) } : {}),
  };
}

export async function ingestCommand(files: string[], o: IngestCliOptions): Promise<number> {
  if (!FORMATS.includes(o.format as Format)) {
    throw new UserError(`--format: unknown format ${o.format} (use ${FORMATS.join(', ')})`);
  }
  if (o.dataset && files.length > 1) {
    // allowed: several parts of one release
  }
  if (o.rollups !== undefined && o.rollups !== 'now' && o.rollups !== 'later') {
    throw new UserError(`--rollups: ${o.rollups} is not a choice (use now or later)`);
  }
  if (o.format === 'gacc-release') {
    // a folder of release pages and attachments: one load per file
    const { listReleaseFiles } = await import('../../ingest/readers/gacc-release/index.js');
    files = files.flatMap((f) => listReleaseFiles(f));
  }
  const store = await openStore(o.db);
  const reports: IngestReport[] = [];
  let failed = 0;
  try {
    for (const file of files) {
      const interactive = !o.json && process.stderr.isTTY;
      let bar: cliProgress.SingleBar | undefined;
      let lastPhase = '';
      try {
        const report = await ingestFile(store, file, {
          format: o.format as Format,
          ...(o.mapping ? { mapping: o.mapping } : {}),
          ...(o.codes ? { codes: o.codes } : {}),
          ...(o.dataset ? { dataset: o.dataset } : {}),
          ...(o.vintage ? { vintage: o.vintage } : {}),
          ...comextFilters(o),
          // several files: the rollups once, after the last
          rollups: files.length > 1 ? 'later' : ((o.rollups as 'now' | 'later' | undefined) ?? 'now'),
          stagingBase: resolve(storeLocation(o.db)),
          onProgress: (e) => {
            if (!interactive) return;
            if (e.kind === 'bytes') {
              if (!bar) {
                bar = new cliProgress.SingleBar(
                  {
                    format: `${file} [{bar}] {percentage}% | {value}/{total} MB | eta {eta}s`,
                    hideCursor: true,
                    stream: process.stderr,
                  },
                  cliProgress.Presets.shades_classic,
                );
                bar.start(Math.max(1, Math.round(e.total / 1e6)), 0);
              }
              bar.update(Math.round(e.read / 1e6));
            } else if (e.phase !== lastPhase) {
              lastPhase = e.phase;
              if (bar) {
                bar.stop();
                bar = undefined;
              }
              process.stderr.write(`${file}: ${e.phase}…\n`);
            }
          },
        });
        bar?.stop();
        reports.push(report);
        if (!o.json) printReport(report);
        if (o.format === 'comext' && report.status === 'loaded') {
          // the EU as one reporter, from the member declarants of each month (see ingest/eu-totals.ts)
          const { deriveEuTotals } = await import('../../ingest/eu-totals.js');
          const eu = await deriveEuTotals(store, { source: report.dataset, stagingBase: resolve(storeLocation(o.db)) });
          reports.push(eu.report);
          if (!o.json) printReport(eu.report);
        }
      } catch (e) {
        bar?.stop();
        if (!(e instanceof UserError)) throw e;
        failed++;
        if (o.json) reports.push({ file, error: e.message, problems: e.problems } as unknown as IngestReport);
        else {
          process.stderr.write(`error: ${e.message}\n`);
          // a problem that only repeats the message is shown by its code, so the message is printed once
          for (const p of e.problems)
            process.stderr.write(p.message === e.message ? `  (${p.code})\n` : `  ${formatProblem(p)}\n`);
        }
      }
    }
    if (
      files.length > 1 &&
      o.rollups !== 'later' &&
      store.refreshRollups &&
      reports.some((r) => r.status === 'loaded')
    ) {
      const t0 = Date.now();
      if (!o.json) process.stderr.write('updating rollups…\n');
      const rebuilt = await store.refreshRollups();
      if (!o.json && rebuilt.length)
        process.stdout.write(
          `rollups updated for ${rebuilt.join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
        );
    }
  } finally {
    await store.close();
  }
  if (o.json) printJson(files.length === 1 ? reports[0] : reports);
  void dirname;
  return failed ? 2 : 0;
}

function printReport(r: IngestReport): void {
  const c = r;
  const out = process.stdout;
  if (r.status === 'unchanged') {
    out.write(
      `${r.file}: unchanged — identical file already loaded (load ${r.loadId}, ${r.dataset} ${r.vintage}); nothing changed\n`,
    );
    return;
  }
  out.write(`${r.file}\n`);
  out.write(
    `  dataset ${r.dataset}, vintage ${r.vintage} (${r.vintageSource}), load ${r.loadId}` +
      (r.encoding ? `, encoding ${r.encoding}` : '') +
      '\n',
  );
  out.write(
    `  records read ${groupThousands(String(c.rowsRead))} = loaded ${groupThousands(String(c.rowsLoaded))} + quarantined ${groupThousands(String(c.rowsQuarantined))}` +
      (c.blankLines ? `; blank lines skipped ${c.blankLines}` : '') +
      ` (${r.seconds.toFixed(1)} s)\n`,
  );
  // a code with many notes (one per rewritten number) shows its first few; --json lists every one
  const shown = new Map<string, number>();
  for (const w of r.warnings) {
    const n = (shown.get(w.code) ?? 0) + 1;
    shown.set(w.code, n);
    if (n <= 3) out.write(`  ${formatProblem(w)}\n`);
  }
  for (const [code, n] of shown)
    if (n > 3) out.write(`  … and ${groupThousands(String(n - 3))} more ${code} (all of them with --json)\n`);
  if (r.quarantineSample.length) {
    out.write(
      `  quarantined (first ${r.quarantineSample.length}; all with \`tradescope quarantine --dataset ${r.dataset}\`):\n`,
    );
    for (const q of r.quarantineSample) {
      out.write(
        `    line ${q.line ?? '?'}${q.sheet ? ` (${q.sheet})` : ''} ${q.field ?? ''}: ${q.reason}${q.rawValue !== null ? ` [${JSON.stringify(q.rawValue)}]` : ''}\n`,
      );
    }
  }
}
