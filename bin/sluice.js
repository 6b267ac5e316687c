#!/usr/bin/env node
// Entry point: keep it tiny; start-up time is part of every cached check.
import module from 'node:module';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `sluice needs Node.js 22 or newer; this is ${process.version}.\n` +
      'Install Node 22, or run it through npm in a project that has the "node" package (npx sluice).\n',
  );
  process.exit(2);
}
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
