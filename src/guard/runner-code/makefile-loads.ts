import { makeRules, testTargets } from '../runner-config/makefile.ts';
import { commandLineLoads, preloadedFiles } from './command-loads.ts';
import { type FileLoads, folderOf, type LoadPoint, type NamedFile } from './load-point.ts';
import { isLoaderVariable, readerOf } from './loader-variables.ts';

const assignment =
  /^(?:(?<target>[^\t#=:]+?)\s*:\s*)?(?:(?:override|export|private)\s+)*(?<name>[A-Za-z_][\w.-]*)\s*(?:[:!?+]|::|:::)?=\s*(?<value>.*)$/;

/**
 * The loads of a Makefile: loader variables it sets (`export NODE_OPTIONS = -r ./x`, `test: PYTHONPATH = x`,
 * `NODE_OPTIONS=... cmd` in any recipe), and preload options in the recipes of the test targets, with make
 * variables expanded (`node -r $(SETUP)` sees a change to `SETUP`).
 */
export function makefileLoads(path: string, source: string): FileLoads {
  const dir = folderOf(path);
  const points: LoadPoint[] = [];
  const named: NamedFile[] = [];
  const variables = new Map<string, string>();
  source.split(/\r?\n/).forEach((text, index) => {
    if (text.startsWith('\t') || text.trimStart().startsWith('#')) return;
    const groups = assignment.exec(text.trim())?.groups;
    if (!groups) return;
    const name = groups.name ?? '';
    const value = (groups.value ?? '').replace(/\s+#.*$/, '').trim();
    if (!groups.target) variables.set(name, value);
    if (isLoaderVariable(name, value)) {
      points.push({ setting: name, value: value.replace(/\s+/g, ' '), line: index + 1, runner: readerOf(name) });
      if (name === 'NODE_OPTIONS') named.push(...preloadedFiles(value, dir, `${path}:${index + 1} ${name}`));
    }
  });
  const rules = makeRules(source);
  const tested = new Set(testTargets(rules));
  const loads: FileLoads = { points, named };
  for (const [target, rule] of rules) {
    for (const { text, line } of rule.recipe) {
      const command = expand(text.replace(/^[@+-]*/, ''), variables);
      const found = commandLineLoads(
        command,
        { setting: `recipe of ${target}`, line, dir, file: path },
        tested.has(target),
      );
      loads.points.push(...found.points);
      loads.named.push(...found.named);
    }
  }
  return loads;
}

/** `$(NAME)` and `${NAME}` replaced by the file's own assignments, a few levels deep; others left as written. */
function expand(text: string, variables: ReadonlyMap<string, string>): string {
  let current = text;
  for (let depth = 0; depth < 4; depth++) {
    const next = current.replace(
      /\$[({]([A-Za-z_][\w.-]*)[)}]/g,
      (whole, name: string) => variables.get(name) ?? whole,
    );
    if (next === current) break;
    current = next;
  }
  return current;
}
