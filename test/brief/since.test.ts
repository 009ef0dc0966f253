/**
 * `--since`: a brief compared with an earlier release. The earlier release is the bundled GAC workbook with
 * H1 2025 cumulative exports 100 billion CNY lower (1,299,038,881 万元 instead of 1,300,038,881), loaded with
 * an earlier vintage, and Shanghai's above Zhejiang's; the bundled file is the later release.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrief } from '../../src/brief/compose.js';
import { headline } from '../../src/brief/detectors/headline.js';
import { regions } from '../../src/brief/detectors/regions.js';
import { pointText } from '../../src/brief/render/common.js';
import { renderMarkdown } from '../../src/brief/render/markdown.js';
import { openStore } from '../../src/cli/open-store.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import type { TradeStore } from '../../src/store/store.js';
import { dataPath, mappingPath } from '../../src/util/paths.js';

describe('what changed since an earlier release', () => {
  let dir: string;
  let store: TradeStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tradescope-since-'));
    const original = dataPath('gacc', 'gacc_region_monthly_2024_2025.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(original);
    const ws = wb.getWorksheet('全国')!;
    const cell = ws.getRow(19).getCell(8); // 2025-06, 进口_年初至今: the file's labels are swapped, this is exports
    expect(cell.value).toBe(1_300_038_881);
    cell.value = 1_299_038_881;
    // and Shanghai's H1 exports above Zhejiang's (3,000,000,000,000 CNY), so the regions' order differs
    const sh = wb.getWorksheet('上海市')!.getRow(19).getCell(8);
    expect(sh.value).toBe(95_269_940);
    sh.value = 300_000_000;
    const earlier = join(dir, 'gacc_region_monthly_2024_2025.xlsx');
    await wb.xlsx.writeFile(earlier);
    const path = join(dir, 'store.duckdb');
    store = await openStore(path);
    const mapping = mappingPath('gacc-region-monthly.yaml');
    await ingestFile(store, earlier, { format: 'gacc', mapping, vintage: '2025-07-14', stagingBase: path });
    await ingestFile(store, original, { format: 'gacc', mapping, vintage: '2025-08-08', stagingBase: path });
  }, 300_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the revised headline with the earlier figures', async () => {
    const brief = await buildBrief(
      store,
      { reporter: 'CHN', period: 'ytd:2025-06', since: '2025-07-14' },
      { detectors: [headline] },
    );
    const revised = brief.changes.find((c) => c.id === 'since.revised.headline.exports')!;
    // earlier: 12,990,388,810,000 against 12,129,835,280,000 a year before = +7.09 %
    expect(pointText(revised, 'en')).toMatch(
      /^Revised: China's exports reached CNY 13\.00 trillion in January–June 2025, up 7\.2% year on year .*\(the 2025-07-14 release said CNY 12\.99 trillion, 7\.1%, US\$1\.79 trillion/,
    );
    expect(pointText(revised, 'zh')).toMatch(
      /^修订：2025年1—6月，中国出口13\.00万亿元，同比增长7\.2%.*（2025-07-14版本为12\.99万亿元、7\.1%/,
    );
    // imports were not revised
    expect(brief.changes.some((c) => c.id === 'since.revised.headline.imports')).toBe(false);
    expect(renderMarkdown(brief, 'en')).toContain('## What changed since the previous release (2025-07-14)');
  });

  it('reports a changed ranking of regions', async () => {
    const brief = await buildBrief(
      store,
      { reporter: 'CHN', period: 'ytd:2025-06', since: '2025-07-14' },
      { detectors: [headline, regions] },
    );
    const ranking = brief.changes.find((c) => c.id.startsWith('since.ranking.region'))!;
    expect(pointText(ranking, 'en')).toBe(
      'The order of the leading regions by exports changed: now Zhejiang, Shanghai, Beijing; the 2025-07-14 release had Shanghai, Zhejiang, Beijing.',
    );
    expect(pointText(ranking, 'zh')).toBe(
      '按出口额排序的主要地区顺序发生变化：现为浙江省、上海市、北京市；2025-07-14版本为上海市、浙江省、北京市。',
    );
  });

  it('says there is nothing to compare with before the first release', async () => {
    const brief = await buildBrief(
      store,
      { reporter: 'CHN', period: 'ytd:2025-06', since: '2025-01-01' },
      { detectors: [headline] },
    );
    expect(brief.changes).toEqual([]);
    expect(brief.missing.map((m) => m.text.en)).toContain(
      'No release on or before 2025-01-01 is loaded, so there is nothing to compare with.',
    );
  });
});
