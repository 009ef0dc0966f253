/**
 * Ingest one file: read → stage → map codes → write as one load.
 *
 * Guarantees: the file loads all at once or not at all (the store's write is atomic); an identical file
 * (same content hash, dataset and vintage) changes nothing; records read = loaded + quarantined, blank
 * lines counted apart; the run fails only when the file is unreadable or has no loadable record.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { LoadCounts, QuarantineRow, TradeStore } from '../store/store.js';
import { type Problem, UserError } from '../util/errors.js';
import { type BinaryKind, refuseBinary } from './binary-sniff.js';
import { type BaciDictionary, bundledBaciDictionary, readBaciDictionary, resolveStagedCodes } from './code-resolver.js';
import { scanFile } from './file-scan.js';
import { loadIdentity } from './load-identity.js';
import { baciFileInfo, landBaci } from './readers/baci-reader.js';
import type { Reader } from './staged-row.js';
import { removeStaleStaging, Staging } from './staging.js';

export const FORMATS = ['comtrade', 'baci', 'gacc', 'gacc-release', 'csv', 'comext', 'sdmx-csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface IngestOptions {
  format: Format;
  mapping?: string;
  codes?: string;
  dataset?: string;
  /** ISO date (2025-07-14) or month (2025-07) of the release. */
  vintage?: string;
  /** Where staging files go (defaults beside the store file, or the OS temp dir). */
  stagingBase: string;
  onProgress?: (e: IngestProgress) => void;
  /**
   * When to bring the store's rollups up to date with the load: `now` (default: right after the commit, so the
   * first query is fast) or `later` (on the first query that needs them; for a batch of loads).
   */
  rollups?: 'now' | 'later';
  /** Comext: keep only these partners (Eurostat codes, see `eurostatCodesFor`), applied while reading. */
  partners?: string[];
  /** Comext: keep only CN codes starting with these, applied while reading. */
  products?: string[];
}

export type IngestProgress = { kind: 'bytes'; read: number; total: number } | { kind: 'phase'; phase: string };

export interface IngestReport extends LoadCounts {
  file: string;
  format: Format;
  dataset: string;
  vintage: string;
  vintageSource: string;
  status: 'loaded' | 'unchanged';
  loadId: number | null;
  encoding: string | null;
  contentHash: string;
  warnings: Problem[];
  /** The first quarantined records of this load (see `tradescope quarantine` for all). */
  quarantineSample: QuarantineRow[];
  seconds: number;
}

/** Checks and normalises a `--vintage` value to an ISO date. */
export function parseVintage(text: string): string {
  const t = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const d = new Date(`${t}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === t) return t;
  }
  m = /^(\d{4})-(\d{2})$/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return `${t}-01`;
  throw new UserError(`--vintage: invalid date: ${text} (use YYYY-MM-DD or YYYY-MM)`);
}

/** Formats read as delimited text (or JSON), with the binary kinds their reader opens itself. */
const TEXT_FORMATS: Partial<Record<IngestOptions['format'], { allow: BinaryKind[] }>> = {
  comtrade: { allow: [] },
  csv: { allow: [] },
  'sdmx-csv': { allow: [] },
  baci: { allow: [] },
  comext: { allow: ['7z'] },
};

async function openReader(file: string, opts: IngestOptions): Promise<Reader> {
  switch (opts.format) {
    // readers load on demand: the workbook library is large and most runs need one reader
    case 'comtrade':
      return (await import('./readers/comtrade-reader.js')).openComtradeReader(file, {});
    case 'gacc':
      return (await import('./readers/gacc-reader.js')).openGaccReader(file, {
        ...(opts.mapping ? { mapping: opts.mapping } : {}),
      });
    case 'gacc-release':
      return (await import('./readers/gacc-release/index.js')).openGaccReleaseReader(file);
    case 'csv':
      if (!opts.mapping) {
        throw new UserError(
          `--format csv needs --mapping <file.yaml|json> declaring the columns (see mappings/README.md)`,
        );
      }
      return (await import('./readers/delimited-reader.js')).openDelimitedReader(file, {
        mapping: opts.mapping,
      });
    case 'comext':
      return (await import('./readers/comext-reader.js')).openComextReader(file, {
        ...(opts.partners ? { partners: opts.partners } : {}),
        ...(opts.products ? { products: opts.products } : {}),
      });
    case 'sdmx-csv':
      if (!opts.mapping) {
        throw new UserError(
          `--format sdmx-csv needs --mapping <file.yaml|json> from the dataflow's dimensions to the cube's (see mappings/README.md)`,
        );
      }
      return (await import('./readers/sdmx-csv-reader.js')).openSdmxCsvReader(file, { mapping: opts.mapping });
    case 'baci':
      throw new Error('baci is landed by DuckDB, not by a JS reader');
  }
}

/**
 * Ingests one file into the store.
 * @example await ingestFile(store, 'TradeData.csv', { format: 'comtrade', stagingBase: './tradescope.duckdb' })
 */
export async function ingestFile(store: TradeStore, file: string, opts: IngestOptions): Promise<IngestReport> {
  return ingestInternal(store, file, opts);
}

/** Rows made by tradescope itself (e.g. a conversion to another HS edition), ingested like a file. */
export interface DerivedSource {
  reader: Reader;
  /** What the rows were made from, e.g. `convert baci-hs92 → HS2022 (table …)`; shown as the load's file. */
  sourceFile: string;
  /** A hash identifying the derivation (inputs and method), for idempotency. */
  contentHash: string;
}

/**
 * Ingests rows produced by a {@link Reader} that is not backed by a file (derived data), with the same
 * guarantees as {@link ingestFile}: one atomic load, quarantine, idempotency by `contentHash`.
 */
export async function ingestReader(
  store: TradeStore,
  source: DerivedSource,
  opts: Omit<IngestOptions, 'format' | 'mapping' | 'codes'> & { dataset: string },
): Promise<IngestReport> {
  return ingestInternal(store, source.sourceFile, { ...opts, format: 'csv' }, source);
}

async function ingestInternal(
  store: TradeStore,
  file: string,
  opts: IngestOptions,
  derived?: DerivedSource,
): Promise<IngestReport> {
  const started = Date.now();
  const path = derived ? file : resolve(file);
  let size = 0;
  if (!derived) {
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new Error('not a regular file');
      size = st.size;
    } catch (e) {
      throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const text = TEXT_FORMATS[opts.format];
    if (text) await refuseBinary(file, opts.format, text.allow);
  }
  const explicitVintage = opts.vintage ? parseVintage(opts.vintage) : undefined;
  const progress = opts.onProgress ?? (() => {});
  removeStaleStaging(opts.stagingBase);
  const staging = store.localStaging
    ? await Staging.inConnection(store.localStaging)
    : await Staging.create(opts.stagingBase);
  let stagingClosed = false;
  try {
    const warnings: Problem[] = [];
    let dataset: string;
    let sourceVintage: { vintage?: string; vintageSource?: string } = {};
    let encoding: string | null = null;
    let blankLines = 0;
    let datasetInfo: { name?: string; source?: string; notes?: string; seasonallyAdjusted?: boolean } | undefined;
    let baciDict: BaciDictionary | undefined;
    let hash: string;

    if (opts.format === 'baci') {
      const info = baciFileInfo(path);
      dataset = opts.dataset ?? info.dataset;
      sourceVintage = info;
      encoding = 'utf-8';
      baciDict = opts.codes ? readBaciDictionary(opts.codes) : bundledBaciDictionary();
      datasetInfo = {
        name: `CEPII BACI (${info.classification === 'H0' ? 'HS92' : info.classification})`,
        source: 'CEPII BACI, reconciled bilateral trade (exporter-reported and importer-reported flows)',
        notes: 'v thousand USD → USD; q tonnes → kg; flag estimated (reconciled values)',
      };
      progress({ kind: 'phase', phase: 'reading' });
      // the hash and blank-line scan run while DuckDB reads the file
      const scanning = scanFile(path, true);
      blankLines = await landBaci(
        staging,
        path,
        scanning.then((s) => s.blankLines),
      );
      hash = (await scanning).sha256;
    } else {
      const scanning = derived
        ? Promise.resolve({ sha256: derived.contentHash, bytes: 0, blankLines: [] })
        : scanFile(path, false);
      const reader = derived ? derived.reader : await openReader(path, opts);
      progress({ kind: 'phase', phase: 'reading' });
      for await (const item of reader.read()) {
        switch (item.kind) {
          case 'row':
            await staging.addRow(item.row);
            break;
          case 'problem':
            await staging.addProblem(item.problem);
            break;
          case 'blank':
            blankLines++;
            break;
          case 'progress':
            progress({ kind: 'bytes', read: item.bytesRead, total: item.bytesTotal || size });
            break;
        }
      }
      staging.finishAppending();
      dataset =
        opts.dataset ??
        reader.info.dataset ??
        basename(path)
          .replace(/\.[^.]*$/, '')
          .toLowerCase();
      sourceVintage = { vintage: reader.info.vintage, vintageSource: reader.info.vintageSource };
      encoding = reader.info.encoding ?? null;
      warnings.push(...reader.info.warnings);
      datasetInfo = (reader.info as { datasetInfo?: typeof datasetInfo }).datasetInfo;
      hash = (await scanning).sha256;
      // a filtered read of a file is a different load than the whole file (or another filter)
      const filters = [
        opts.partners?.length ? `partners=${opts.partners.join(',')}` : '',
        opts.products?.length ? `products=${opts.products.join(',')}` : '',
      ].filter(Boolean);
      if (filters.length)
        hash = createHash('sha256')
          .update(`${hash}|${filters.join('|')}`)
          .digest('hex');
    }
    // the mapping and the code dictionary are part of what a load is (a corrected mapping is a new load)
    const fileHash = hash;
    if (!derived) hash = loadIdentity(hash, opts);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(dataset)) {
      throw new UserError(`invalid dataset id: ${dataset} (letters, digits, '.', '_', '-'; give one with --dataset)`);
    }

    const vintage = explicitVintage ?? sourceVintage.vintage ?? new Date().toISOString().slice(0, 10);
    const vintageSource = explicitVintage
      ? '--vintage'
      : sourceVintage.vintage
        ? (sourceVintage.vintageSource ?? 'source')
        : 'ingest date (no release date in the source; give --vintage)';

    const existing = await store.findCommittedLoad(dataset, hash, explicitVintage);
    if (existing) {
      return {
        file: path,
        format: opts.format,
        dataset,
        vintage: existing.vintage,
        vintageSource: existing.vintageSource,
        status: 'unchanged',
        loadId: existing.loadId,
        encoding,
        contentHash: hash,
        rowsRead: existing.rowsRead,
        rowsLoaded: existing.rowsLoaded,
        rowsQuarantined: existing.rowsQuarantined,
        blankLines: existing.blankLines,
        warnings: [
          {
            code: 'unchanged',
            severity: 'info',
            message: `identical file, read with the same mapping and options, already loaded as load ${existing.loadId} (${existing.dataset} ${existing.vintage}); nothing changed`,
          },
        ],
        quarantineSample: [],
        seconds: (Date.now() - started) / 1000,
      };
    }

    progress({ kind: 'phase', phase: 'mapping codes' });
    warnings.push(...(await resolveStagedCodes(staging, baciDict)));
    staging.close();
    stagingClosed = true;

    const result = await store.writeLoad(
      {
        dataset,
        vintage,
        vintageSource,
        sourceFile: path,
        contentHash: hash,
        ...(fileHash !== hash ? { fileHash } : {}),
        format: derived ? 'derived' : opts.format,
        ...(opts.mapping ? { mapping: resolve(opts.mapping) } : {}),
        ...(encoding ? { encoding } : {}),
        ...(datasetInfo ? { datasetInfo } : {}),
      },
      {
        path: staging.path,
        ...(staging.catalog === 'temp' ? { catalog: 'temp' as const } : {}),
        layout: opts.format === 'baci' ? 'baci' : 'generic',
        blankLines,
      },
      {
        onPhase: (phase) => progress({ kind: 'phase', phase }),
        rollbackIfEmpty: true,
      },
    );
    warnings.push(...result.warnings);
    if (opts.rollups !== 'later' && store.refreshRollups) {
      progress({ kind: 'phase', phase: 'updating rollups' });
      await store.refreshRollups([dataset]);
    }
    const sample = result.rowsQuarantined ? await store.quarantine({ loadId: result.loadId, limit: 20 }) : [];
    return {
      file: path,
      format: opts.format,
      dataset,
      vintage,
      vintageSource,
      status: 'loaded',
      loadId: result.loadId,
      encoding,
      contentHash: hash,
      rowsRead: result.rowsRead,
      rowsLoaded: result.rowsLoaded,
      rowsQuarantined: result.rowsQuarantined,
      blankLines: result.blankLines,
      warnings,
      quarantineSample: sample,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    if (!stagingClosed) staging.close();
    await staging.remove();
  }
}
