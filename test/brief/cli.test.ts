/** `tradescope brief` as a user runs it (the built CLI): Markdown on stdout, files by extension, flag errors. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeWith, type TestStore } from './store.js';

const CLI = fileURLToPath(new URL('../../bin/tradescope.js', import.meta.url));
const exec = promisify(execFile);

async function tradescope(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('tradescope brief', { timeout: 300_000 }, () => {
  let t: TestStore;
  let dir: string;
  beforeAll(async () => {
    t = await storeWith(['gacc']);
    await t.store.close(); // the CLI opens the file itself
    dir = mkdtempSync(join(tmpdir(), 'tradescope-brief-cli-'));
  }, 300_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(t.path, '..'), { recursive: true, force: true });
  });

  it('prints the Markdown brief and explains the ranking', async () => {
    const r = await tradescope('brief', '--db', t.path, '--reporter', 'CHN', '--period', 'ytd:2025-06', '--explain');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# China's trade in January–June 2025\n/);
    expect(r.stdout).toContain(
      "1. China's exports reached CNY 13.00 trillion in January–June 2025, up 7.2% year on year",
    );
    expect(r.stderr).toMatch(/kept\s+1000\.0\s+headline\.exports/);
  });

  it('writes Markdown with chart files, and a PDF', async () => {
    const md = join(dir, 'brief-zh.md');
    const r = await tradescope(
      'brief',
      '--db',
      t.path,
      '--reporter',
      'CHN',
      '--period',
      'ytd:2025-06',
      '--lang',
      'zh',
      '--out',
      md,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(md, 'utf8')).toContain('![月度进出口，亿元](brief-zh.charts/monthly-trade.png)');
    expect(readFileSync(join(dir, 'brief-zh.charts', 'monthly-trade.svg'), 'utf8')).toMatch(/^<svg /);
    expect(
      readFileSync(join(dir, 'brief-zh.charts', 'monthly-trade.png'))
        .subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
    const pdf = join(dir, 'brief.pdf');
    const p = await tradescope('brief', '--db', t.path, '--reporter', 'CHN', '--period', 'ytd:2025-06', '--out', pdf);
    expect(p.code, p.stderr).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('rejects bad flags with a message naming the flag', async () => {
    const lang = await tradescope(
      'brief',
      '--db',
      t.path,
      '--reporter',
      'CHN',
      '--period',
      'ytd:2025-06',
      '--lang',
      'fr',
    );
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('--lang: expected en or zh, got fr');
    const out = await tradescope(
      'brief',
      '--db',
      t.path,
      '--reporter',
      'CHN',
      '--period',
      'ytd:2025-06',
      '--out',
      join(dir, 'b.docx'),
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--out: unknown brief format .docx');
    expect(existsSync(join(dir, 'b.docx'))).toBe(false);
    const period = await tradescope('brief', '--db', t.path, '--reporter', 'CHN');
    expect(period.code).toBe(2);
    expect(period.stderr).toContain('--period is required');
  });
});
