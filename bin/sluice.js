#!/usr/bin/env node
// Entry point: keep it tiny; start-up time is part of every cached check. CommonJS (bin/package.json):
// the hot commands start without Node's ES module loader.
'use strict';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `sluice needs Node.js 22 or newer; this is ${process.version}.\n` +
      'Install Node 22, or run it through npm in a project that has the "node" package (npx sluice).\n',
  );
  process.exit(2);
}
require('node:module').enableCompileCache?.();

// The commands every agent turn, hook and commit runs start from a CommonJS bundle of their own
// (scripts/build.mjs, buildHotCommands: the same names); every other command from the ES module CLI.
// The bundles may require an npm package that is an ES module, which needs Node's require(esm) (22.12).
const hotCommands = ['guard', 'check', 'hook'];
const name = process.argv[2];
const hotBundle = hotCommands.includes(name) && process.features.require_module && resolved(name);
if (hotBundle) require(hotBundle);
else import('../dist/cli/main.js').catch(notBuilt);

/** The command's bundle; undefined in a dist/ built before there were any, which the ES module CLI runs. */
function resolved(command) {
  try {
    return require.resolve(`../dist/cli/hot/${command}-command.cjs`);
  } catch {
    return undefined;
  }
}

function notBuilt(error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write('sluice: the package is not built yet; run `npm run build` in its folder.\n');
    process.exit(2);
  }
  throw error;
}
