import { isTestTaskName } from '../runner-config/test-task.ts';
import { commandLineLoads } from './command-loads.ts';
import { ava, jest, mocha, nodeImports, nyc, runnerOptionLoads } from './js-runner-loads.ts';
import { type FileLoads, folderOf } from './load-point.ts';
import { scriptOptions } from './option-entries.ts';

/** `npm run x`, `yarn x`, `pnpm run x`, `run-s x y`: the scripts a script runs. */
const scriptRunners = /^(?:npm|pnpm|yarn|bun|npm-run-all|run-s|run-p)$/;

/**
 * The loads of a package.json: loader variables any script sets (`NODE_OPTIONS=--require ./x`), preload
 * options of the scripts a test script runs (its `pre`/`post` scripts and the scripts it calls, too), and the
 * `jest`, `mocha`, `ava`, `nyc` and `imports` keys.
 */
export function packageJsonLoads(path: string, source: string): FileLoads {
  const config = scriptOptions('package.json', source);
  const scripts = new Map<string, { text: string; line: number }>();
  for (const entry of config.entries) {
    const [group, name, ...deeper] = entry.keys;
    const [text] = entry.values;
    if (group === 'scripts' && name !== undefined && deeper.length === 0 && text !== undefined) {
      scripts.set(name, { text, line: entry.line });
    }
  }
  const testScripts = reachedScripts(scripts);
  const loads: FileLoads[] = [...scripts].map(([name, { text, line }]) =>
    commandLineLoads(
      text,
      { setting: `scripts.${name}`, line, dir: folderOf(path), file: path },
      testScripts.has(name),
    ),
  );
  const withoutImports = { entries: config.entries, imports: [] };
  for (const [runner, scope] of [
    [jest, 'jest'],
    [mocha, 'mocha'],
    [ava, 'ava'],
    [nyc, 'nyc'],
  ] as const) {
    loads.push(runnerOptionLoads(path, withoutImports, runner, scope));
  }
  const subpathImports = config.entries.filter((entry) => entry.keys[0] === 'imports');
  loads.push(runnerOptionLoads(path, { entries: subpathImports, imports: [] }, nodeImports));
  return { points: loads.flatMap((load) => load.points), named: loads.flatMap((load) => load.named) };
}

/** The test scripts, their `pre`/`post` scripts, and every script they run, transitively. */
function reachedScripts(scripts: ReadonlyMap<string, { text: string }>): Set<string> {
  const reached = new Set<string>();
  const visit = (name: string) => {
    if (reached.has(name) || !scripts.has(name)) return;
    reached.add(name);
    visit(`pre${name}`);
    visit(`post${name}`);
    const words = (scripts.get(name)?.text ?? '').split(/[\s;&|()]+/);
    words.forEach((word, index) => {
      if (!scriptRunners.test(word)) return;
      for (const next of words.slice(index + 1)) {
        if (['run', 'run-script', '--', '-s', '--silent'].includes(next)) continue;
        if (next.startsWith('-') || !scripts.has(next)) break;
        visit(next);
      }
    });
  };
  for (const name of scripts.keys()) if (isTestTaskName(name)) visit(name);
  return reached;
}
