// Builds dist/: Sluice's own code bundled by esbuild, the library's .d.ts files by tsc.
//
// Why a bundle: a cached `sluice check` loaded about 80 of our modules one file at a time, and
// resolving, reading and compiling each was most of its start-up. The bundle is ESM with code
// splitting, so every `import()` the code makes lazily (the CLI's commands, parsers, the guard)
// stays a chunk of its own that is loaded only when used. Every npm dependency stays external
// (native better-sqlite3 and @ast-grep/napi, playwright-core...): Node loads them from
// node_modules as before.
//
// Usage: node scripts/build.mjs [--outdir DIR] [--no-types] [--no-source-maps]
//   --outdir          where to write (default dist/); the folder above it must hold bin/, package.json,
//                     workflows/, schema/ as the package does, since the code finds those relative to dist/
//   --no-types        skip the .d.ts files (tsc takes ~10 s; the tests need only the JavaScript)
//   --no-source-maps  skip the linked .js.map files
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const srcDir = join(root, 'src');
const { values: options } = parseArgs({
  options: {
    outdir: { type: 'string', default: join(root, 'dist') },
    'no-types': { type: 'boolean', default: false },
    'no-source-maps': { type: 'boolean', default: false },
  },
});
const outdir = resolve(options.outdir);
const started = Date.now();

/**
 * Code finds files relative to its own module (`new URL('../../package.json', import.meta.url)`,
 * dist/web, workflows/, bin/sluice.js for child processes). In a bundle every module's
 * `import.meta.url` would be its chunk's, at another depth. So each module that reads it gets the URL
 * its own file would have in an unbundled dist/ (dist/cli/run-cli.js for src/cli/run-cli.ts), and
 * every such path keeps resolving as it does from src/. The chunk's depth below dist/ is known only
 * after the build, so the URL is written relative to this marker, replaced per output file.
 */
const distRootMarker = '@@sluice-dist-root@@/';
const moduleUrlName = '__sluiceModuleUrl';

/** The commands bin/sluice.js starts from a CommonJS bundle of their own (see buildHotCommands); bin/sluice.js names the same. */
const hotCommands = ['guard', 'check', 'hook'];
/**
 * What each hot command imports lazily but needs on its usual path (a Stop hook judges): kept in the
 * command's own file (see splitHotCommand), so that path reads one file. A cached check needs nothing more:
 * it takes its validated config from the config cache, and loads the config's reader only on a miss.
 * test/e2e/cli-fast-start.test.ts checks that a cached check and a cached Stop hook read one file.
 */
const hotPaths = {
  guard: [],
  check: [],
  hook: [
    'src/hooks/stop-hook-input.ts',
    'src/hooks/stop-hook.ts',
    'src/hooks/tool-hook-input.ts',
    'src/hooks/pre-tool-use.ts',
  ],
};
const sources = listSources(srcDir);
refuseTopLevelRequire(sources);
const buildStamp = sourceStamp(sources);
const types = options['no-types'] ? undefined : emitTypes();

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'src/cli/main.ts', out: 'cli/main' },
    { in: 'src/index.ts', out: 'index' },
    ...childProcessEntries(sources),
  ],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: options['no-source-maps'] ? false : 'linked',
  // The maps point at src/ by path; a stack trace needs file and line, not a copy of the source.
  sourcesContent: false,
  define: { SLUICE_BUILD_STAMP: JSON.stringify(buildStamp) },
  plugins: [moduleUrlPlugin(), commonJsDependencyPlugin()],
  // For the CommonJS dependencies (see commonJsDependencyPlugin): esbuild's require of an external
  // module calls the `require` in scope, which an ES module does not have.
  banner: {
    js: `import { createRequire as __sluiceCreateRequire } from 'node:module';\nconst require = __sluiceCreateRequire(import.meta.url);`,
  },
  metafile: true,
  write: false,
  logLevel: 'warning',
});

const hotResult = await buildHotCommands();
const written = writeOutputs([...result.outputFiles, ...hotResult.outputFiles]);
removeStaleOutputs(outdir, written);
if (types && (await types) !== 0) {
  process.stderr.write('tsc could not write the .d.ts files (see above).\n');
  process.exit(1);
}
process.stdout.write(
  `Built ${outdir}: ${written.size - [...written].filter((path) => path.endsWith('.map')).length} ` +
    `JavaScript files from ${Object.keys(result.metafile.inputs).length} modules` +
    `${types ? ', and the .d.ts files' : ''}, in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
);

/**
 * The hot commands' fast starts: `sluice guard`, `check` and `hook` run in every agent turn, hook and
 * commit, where Node's own start-up is most of their time. bin/sluice.js (CommonJS) requires
 * dist/cli/hot/<name>-command.cjs, a CommonJS bundle of that one command, instead of the ES module CLI: no
 * ES module loader, no command list. A cached check, a guard on an empty diff and a cached Stop hook took
 * 0.84x-0.86x the CPU (bench/RESULTS.md). npm dependencies stay external, required only when used.
 *
 * esbuild splits code into chunks for ES modules only, so each command is built in two CommonJS files by
 * hand (see splitHotCommand): the command and what it imports statically, and <name>-lazy.cjs with what
 * it imports only when it needs it (the guard's rules and parsers, the hook's gates). An empty diff then
 * reads and compiles 70 KB instead of 580 KB. Each module is in one of the two files only: the lazy file
 * takes the command file's modules from it, so no module (and no state of one) exists twice.
 */
async function buildHotCommands() {
  const outputFiles = [];
  for (const name of hotCommands) outputFiles.push(...(await splitHotCommand(name)));
  return { outputFiles };
}

/** The two files of one hot command (one when it imports nothing lazily). */
async function splitHotCommand(name) {
  const chunkUrl = '__sluiceChunkUrl';
  const entry = join(srcDir, 'cli', 'hot', `${name}.ts`);
  const commandFile = `./${name}-command.cjs`;
  const lazyFile = `./${name}-lazy.cjs`;
  const common = {
    absWorkingDir: root,
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    sourcemap: options['no-source-maps'] ? false : 'linked',
    sourcesContent: false,
    define: { SLUICE_BUILD_STAMP: JSON.stringify(buildStamp) },
    // 'use strict' first: ES modules are strict, and esbuild's own directive comes after the banner.
    banner: { js: `'use strict';\nconst ${chunkUrl} = require('node:url').pathToFileURL(__filename).href;` },
    logLevel: 'warning',
  };
  // First, what the command loads at start: every lazy import off its usual path left out, and noted.
  const onHotPath = new Set(hotPaths[name].map((path) => resolve(root, path)));
  const lazyTargets = new Set();
  const startOnly = await esbuild.build({
    ...common,
    entryPoints: [{ in: entry, out: `cli/hot/${name}-command` }],
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'start-only',
        setup(build) {
          build.onResolve({ filter: /.*/ }, async (args) => {
            if (args.kind !== 'dynamic-import' || args.pluginData?.inner) return undefined;
            const resolved = await build.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              importer: args.importer,
              pluginData: { inner: true },
            });
            if (onHotPath.has(resolved.path)) return undefined;
            if (resolved.path.startsWith(srcDir + sep)) lazyTargets.add(resolved.path);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const atStart = Object.keys(startOnly.metafile.inputs)
    .map((input) => resolve(root, input))
    .filter((path) => path.startsWith(srcDir + sep));
  const startIndex = new Map(atStart.map((path, index) => [path, index]));
  const lazy = [...lazyTargets].filter((path) => !startIndex.has(path));
  const lazyIndex = new Map(lazy.map((path, index) => [path, index]));
  const moduleUrl = moduleUrlPlugin(chunkUrl);
  if (lazy.length === 0) {
    const whole = await esbuild.build({
      ...common,
      entryPoints: [{ in: entry, out: `cli/hot/${name}-command` }],
      write: false,
      plugins: [moduleUrl],
    });
    return whole.outputFiles;
  }
  /** Resolves `args` and, when it lands on one of `index`'s modules, hands it to `namespace`. */
  const handOver = (build, index, namespace, kinds) => async (args) => {
    if (args.pluginData?.inner || !kinds.includes(args.kind)) return undefined;
    const resolved = await build.resolve(args.path, {
      kind: args.kind,
      resolveDir: args.resolveDir,
      importer: args.importer,
      pluginData: { inner: true },
    });
    return index.has(resolved.path) ? { path: resolved.path, namespace } : undefined;
  };
  const external = (file) => (build) =>
    build.onResolve({ filter: new RegExp(`^${file.replaceAll('.', '\\.')}$`) }, () => ({ path: file, external: true }));

  // The command: its entry runs the command, and hands each module it holds to the lazy file
  // (`__core[i]()`, which initialises a module only when first asked, as a lazy import would); a lazy
  // import becomes a require of the lazy file, made when the import runs.
  const commandEntry =
    `require(${JSON.stringify(entry)});\n` +
    `module.exports.__core = [${atStart.map((path) => `() => require(${JSON.stringify(path)})`).join(', ')}];\n`;
  const command = await esbuild.build({
    ...common,
    stdin: { contents: commandEntry, resolveDir: root, sourcefile: `hot-${name}-entry.js`, loader: 'js' },
    outfile: join(outdir, 'cli', 'hot', `${name}-command.cjs`),
    outdir: undefined,
    write: false,
    plugins: [
      moduleUrl,
      {
        name: 'lazy-file',
        setup(build) {
          external(lazyFile)(build);
          build.onResolve({ filter: /.*/ }, handOver(build, lazyIndex, 'sluice-lazy', ['dynamic-import']));
          build.onLoad({ filter: /.*/, namespace: 'sluice-lazy' }, (args) => ({
            contents: `module.exports = require(${JSON.stringify(lazyFile)}).__lazy[${lazyIndex.get(args.path)}]();`,
            loader: 'js',
            resolveDir: join(outdir, 'cli', 'hot'),
          }));
        },
      },
    ],
  });
  // The lazy file: every lazy target, each initialised when first imported; the command's modules taken from it.
  const lazyEntry = `module.exports.__lazy = [${lazy.map((path) => `() => require(${JSON.stringify(path)})`).join(', ')}];\n`;
  const lazyBuild = await esbuild.build({
    ...common,
    stdin: { contents: lazyEntry, resolveDir: root, sourcefile: `hot-${name}-lazy.js`, loader: 'js' },
    outfile: join(outdir, 'cli', 'hot', `${name}-lazy.cjs`),
    outdir: undefined,
    write: false,
    plugins: [
      moduleUrl,
      {
        name: 'command-file',
        setup(build) {
          external(commandFile)(build);
          build.onResolve(
            { filter: /.*/ },
            handOver(build, startIndex, 'sluice-command', ['import-statement', 'dynamic-import', 'require-call']),
          );
          build.onLoad({ filter: /.*/, namespace: 'sluice-command' }, (args) => ({
            contents: `module.exports = require(${JSON.stringify(commandFile)}).__core[${startIndex.get(args.path)}]();`,
            loader: 'js',
            resolveDir: join(outdir, 'cli', 'hot'),
          }));
        },
      },
    ],
  });
  return [...command.outputFiles, ...lazyBuild.outputFiles];
}

/** Every TypeScript source the bundle may contain (tests aside). */
function listSources(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The banner declares `require` in every chunk; a module's own top-level `require` would clash at load. */
function refuseTopLevelRequire(files) {
  const declaration = /^(?:export\s+)?(?:const|let|var|function|class)\s+(?:require|__sluiceCreateRequire)\b/m;
  const clashing = files.filter((file) => declaration.test(readFileSync(file, 'utf8')));
  if (clashing.length > 0) {
    throw new Error(`a top-level \`require\` clashes with the bundle's banner in: ${clashing.join(', ')}`);
  }
}

/**
 * What identifies this build's code, for the caches keyed by Sluice's own code (the validated config,
 * the guard's parsed base tests): in the source they hash their own folder, which a bundle does not have.
 */
function sourceStamp(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/**
 * Modules that run as a process or worker of their own (`node browser-harness.js`), found as
 * `new URL('./x.js', import.meta.url)` beside an x.ts: each becomes an entry at that path in dist/.
 */
function childProcessEntries(files) {
  const pattern = /new URL\(\s*['"](\.{1,2}\/[^'"]+)\.js['"]\s*,\s*import\.meta\.url\s*\)/g;
  const entries = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(pattern)) {
      const target = resolve(dirname(file), `${match[1]}.ts`);
      if (!target.startsWith(srcDir + sep) || !existsSync(target)) continue;
      entries.set(target, { in: relative(root, target), out: toPosix(relative(srcDir, target)).replace(/\.ts$/, '') });
    }
  }
  return [...entries.values()];
}

/**
 * Gives each module that reads `import.meta.url` (or `.filename`, `.dirname`) the URL of its own file in an
 * unbundled dist/ (see the marker).
 */
function moduleUrlPlugin(baseUrl = 'import.meta.url') {
  return {
    name: 'module-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(srcDir + sep)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!/import\.meta\.(url|dirname|filename)/.test(source)) return undefined;
        // `define` replaces the expression in the syntax tree: a string or comment that spells it stays as is.
        const transformed = await esbuild.transform(source, {
          loader: 'ts',
          format: 'esm',
          target: 'node22',
          define: {
            'import.meta.url': moduleUrlName,
            'import.meta.filename': `${moduleUrlName}File`,
            'import.meta.dirname': `${moduleUrlName}Dir`,
          },
          tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
          sourcemap: 'inline',
          sourcefile: args.path,
        });
        // Spelled only in a comment: nothing to give.
        if (!transformed.code.includes(moduleUrlName)) return { contents: transformed.code, loader: 'js' };
        const distPath = toPosix(relative(srcDir, args.path)).replace(/\.ts$/, '.js');
        // On the first line, ahead of the module's own first line, so the inline map's lines stay right.
        const url = `const ${moduleUrlName} = new URL(${JSON.stringify(distRootMarker + distPath)}, ${baseUrl}).href; `;
        const usesFile = transformed.code.includes(`${moduleUrlName}File`);
        const usesDir = transformed.code.includes(`${moduleUrlName}Dir`);
        const declaration =
          (usesFile || usesDir ? `import { fileURLToPath as ${moduleUrlName}Path } from 'node:url'; ` : '') +
          url +
          (usesFile ? `const ${moduleUrlName}File = ${moduleUrlName}Path(${moduleUrlName}); ` : '') +
          (usesDir
            ? `const ${moduleUrlName}Dir = ${moduleUrlName}Path(new URL('.', ${moduleUrlName})).slice(0, -1); `
            : '');
        return { contents: declaration + transformed.code, loader: 'js' };
      });
    },
  };
}

/**
 * Loads the dependencies that are CommonJS (yaml, picomatch, ignore, better-sqlite3...) with `require`
 * rather than `import`. Node imports a CommonJS module by first scanning its source for the names it
 * exports (cjs-module-lexer), and since Node 22.12 the same for every file it requires in turn: yaml's
 * 74 files, picomatch's... `require` skips the scan and gives the same module.exports. Still external:
 * resolved from node_modules when it runs. Only where the import and the require of the name are the same file.
 */
function commonJsDependencyPlugin() {
  const namespace = 'sluice-commonjs-dependency';
  const requireFromRoot = createRequire(join(root, 'package.json'));
  const verdicts = new Map();
  const isCommonJs = (specifier) => {
    if (!verdicts.has(specifier)) verdicts.set(specifier, loadsAsCommonJs(specifier, requireFromRoot));
    return verdicts.get(specifier);
  };
  return {
    name: 'commonjs-dependency',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || isBuiltin(args.path)) return undefined;
        if (args.namespace === namespace) return { path: args.path, external: true };
        if (args.kind !== 'import-statement' || !isCommonJs(args.path)) return undefined;
        return { path: args.path, namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

function loadsAsCommonJs(specifier, requireFromRoot) {
  let imported;
  let required;
  try {
    imported = fileURLToPath(import.meta.resolve(specifier));
    required = requireFromRoot.resolve(specifier);
  } catch {
    return false;
  }
  if (imported !== required) return false;
  if (imported.endsWith('.cjs') || imported.endsWith('.node')) return true;
  if (!imported.endsWith('.js')) return false;
  for (let dir = dirname(imported); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type !== 'module';
  }
  return true;
}

/**
 * Writes every output through a temporary file and a rename, chunks before entries: a Sluice
 * starting while the build runs (another test run's) reads either the old file or the new, never half
 * of one, and an entry only once the chunks it imports are there.
 */
function writeOutputs(files) {
  const entryFirst = (file) => (file.path.includes(`${sep}chunks${sep}`) ? 0 : 1);
  const written = new Set();
  for (const file of [...files].sort((a, b) => entryFirst(a) - entryFirst(b))) {
    let contents = file.contents;
    if (/\.c?js$/.test(file.path)) {
      const toRoot = toPosix(relative(dirname(file.path), outdir) || '.');
      const text = file.text.replaceAll(distRootMarker, `${toRoot}/`);
      if (text.includes(distRootMarker.slice(0, -1))) throw new Error(`${file.path}: a module URL was left unresolved`);
      contents = text;
    }
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, contents);
    renameSync(temporary, file.path);
    written.add(file.path);
  }
  return written;
}

/**
 * Removes JavaScript that an earlier build wrote and this one did not (chunk names carry a hash of
 * their content; the per-file output of the tsc build before the bundle). Only once it is ten minutes
 * old: a Sluice started before this build (a long `sluice run` of another test run) may still import
 * one of its old chunks lazily. dist/web is Vite's.
 */
function removeStaleOutputs(dir, written) {
  const graceMs = 10 * 60_000;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) {
      if (path !== join(outdir, 'web')) removeStaleOutputs(path, written);
      continue;
    }
    if (!/\.c?js(\.map)?$/.test(entry.name) || written.has(path)) continue;
    if (Date.now() - statSync(path).mtimeMs > graceMs) unlinkSync(path);
  }
}

/** The library's type declarations (tsconfig.build.json: declarations only), by tsc alongside the bundle; resolves to tsc's exit code. */
function emitTypes() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outdir], {
    cwd: root,
    stdio: 'inherit',
  });
  return new Promise((resolveTypes) => {
    child.on('error', () => resolveTypes(1));
    child.on('close', (code) => resolveTypes(code ?? 1));
  });
}

function toPosix(path) {
  return path.split(sep).join('/');
}
