// `prepare`: build dist/ only when a source is newer than what was built. npm runs `prepare` on
// every `npm install` and whenever `npx sluice` links this folder, which made the first `npx sluice`
// in the repository rebuild everything (13-16 s) though dist/ was fresh.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const sources = ['src', 'web', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
const buildScript = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts?.build ?? '';
// The dashboard's front end is part of the build once the build script builds it.
// The test setup rebuilds the bundle alone, without the library's .d.ts files: a stale index.d.ts rebuilds too.
const outputs = [
  'dist/cli/main.js',
  // The hot commands' bundles (bin/sluice.js runs the ES module CLI without them, only slower).
  'dist/cli/hot/guard-command.cjs',
  'dist/index.d.ts',
  ...(/\bweb\b|vite/.test(buildScript) ? ['dist/web/index.html'] : []),
];

/** The newest modification time under `path`, skipping installed packages. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const built = outputs.map((output) => join(root, output));
const stale =
  !built.every((output) => existsSync(output)) ||
  Math.min(...built.map((output) => statSync(output).mtimeMs)) <
    Math.max(...sources.map((source) => newest(join(root, source))));
if (stale) {
  const npm = process.env.npm_execpath;
  const build = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exitCode = build.status ?? 1;
}
