#!/usr/bin/env node
// Runs the whole test suite (vitest) and ends with one plain summary line, `N passed, N failed`, so that
// any CI can count the result. Exits with vitest's exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The Debian packages the browser, PDF and ClickHouse tests need (installed as root, otherwise the exact command).
const deps = spawnSync(process.execPath, [new URL('./system-deps.mjs', import.meta.url).pathname], { stdio: 'inherit' });
if (deps.status !== 0) {
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'tradescope-test-'));
const report = join(dir, 'vitest.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit', env: process.env });
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  // a test file that fails to load runs no test: it counts as one failure, so that it is never silently missing
  // likewise a file whose setup failed (its tests are skipped, none of them failed)
  const unloaded = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  );
  failed = (r.numFailedTests ?? 0) + unloaded.length;
  for (const f of unloaded) console.log(`failed to load or set up: ${f.name}: ${(f.message ?? '').split('\n')[0]}`);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed = 1;
}
rmSync(dir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(run.status ?? 1);
