#!/usr/bin/env node
// Entry point: keep it tiny; start-up time is part of every cached check.
import module from 'node:module';

module.enableCompileCache?.();
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write('sluice: the package is not built yet; run `npm run build` in its folder.\n');
    process.exit(2);
  }
  throw error;
}
