#!/usr/bin/env node
import('../dist/src/cli/main.js').then((m) => m.main(process.argv)).catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli/main.js')) {
    console.error('tradescope is not built yet: run `npm run build` (or `npm ci && npm run build`) first');
    process.exit(1);
  }
  console.error(e);
  process.exit(1);
});
