#!/usr/bin/env node
// Makes sure the Debian packages the tests use are installed: Chromium (dashboard and PDF tests), the Noto CJK
// fonts (Chinese text in charts and PDFs), clickhouse-server (the scale-out store's contract suite) and p7zip-full
// (7z, which reads and, in the tests, makes Eurostat Comext archives).
// As root it installs what is missing with apt-get; otherwise it stops and prints the exact command to run.
// Usage: node scripts/system-deps.mjs [--check]   (--check: report only, never install)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDED = [
  { pkg: 'chromium', present: () => existsSync(process.env.TRADESCOPE_CHROMIUM ?? '/usr/bin/chromium') },
  { pkg: 'fonts-noto-cjk', present: () => dpkgInstalled('fonts-noto-cjk') },
  { pkg: 'fonts-dejavu-core', present: () => dpkgInstalled('fonts-dejavu-core') },
  { pkg: 'clickhouse-server', present: () => existsSync('/usr/bin/clickhouse') || existsSync('/usr/sbin/clickhouse-server') },
  { pkg: 'p7zip-full', present: () => existsSync('/usr/bin/7z') || dpkgInstalled('p7zip-full') },
];

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

const missing = NEEDED.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);
const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (process.argv.includes('--check') || !isRoot) {
  console.error(`tradescope tests need Debian packages that are not installed: ${missing.join(', ')}.`);
  console.error(`Install them as root, then run the tests again:\n\n  sudo sh -c '${command}'\n`);
  process.exit(1);
}
console.log(`Installing Debian packages the tests need: ${missing.join(', ')}`);
for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
  const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit ${r.status}). Run it by hand: ${command}`);
    process.exit(1);
  }
}
