import { type RunnerSetting, SettingKinds } from './runner-setting.ts';
import { type SimpleCommand, shellTokens, simpleCommands } from './shell-words.ts';
import { isTestTaskName } from './test-task.ts';

interface RecipeLine {
  text: string;
  line: number;
}

/** A rule of a Makefile: what its target depends on and the recipe lines that make it. */
export interface MakeRule {
  prerequisites: string[];
  recipe: RecipeLine[];
  line: number;
}

const conditional = /^(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b/;

/**
 * The explicit rules of a Makefile by target: `target ...: prerequisites [; recipe]` and the tab-indented
 * lines after it. Variables are not expanded; pattern rules, special targets (`.PHONY`) and `define` blocks
 * are left out.
 */
export function makeRules(source: string): Map<string, MakeRule> {
  const rules = new Map<string, MakeRule>();
  let current: MakeRule[] = [];
  let inDefine = false;
  for (const { text, line } of logicalLines(source)) {
    if (inDefine || /^define\b/.test(text)) {
      inDefine = !/^endef\b/.test(text);
      continue;
    }
    if (text.startsWith('\t')) {
      const command = text.slice(1).trim();
      if (command !== '') for (const rule of current) rule.recipe.push({ text: command, line });
      continue;
    }
    if (text.trim() === '' || text.startsWith('#') || conditional.test(text.trim())) continue;
    current = [];
    const header = /^([^:=#]+?)\s*::?(?!=)(.*)$/.exec(text);
    if (!header || /^:?=/.test((header[2] ?? '').trimStart())) continue;
    const [depends = '', inline] = (header[2] ?? '').split(';', 2);
    const prerequisites = depends
      .replace(/#.*/, '')
      .split(/[\s|]+/)
      .filter(Boolean);
    for (const target of (header[1] ?? '').split(/\s+/)) {
      if (target === '' || target.startsWith('.') || target.includes('%') || /[=$]/.test(target)) continue;
      const rule = rules.get(target) ?? { prerequisites: [], recipe: [], line };
      rule.prerequisites.push(...prerequisites.filter((name) => !rule.prerequisites.includes(name)));
      if (inline?.trim()) rule.recipe.push({ text: inline.trim(), line });
      rules.set(target, rule);
      current.push(rule);
    }
  }
  return rules;
}

/**
 * The runner settings of a Makefile: for each test target (`test`, `check`, `ci`, `test-unit`, ...) and every
 * target it depends on, its prerequisites and its recipe as commands.
 */
export function makefileSettings(source: string): RunnerSetting[] {
  const rules = makeRules(source);
  const exported = runnerEnvironment(source);
  return testTargets(rules).flatMap((target): RunnerSetting[] => {
    const rule = rules.get(target);
    if (!rule) return [];
    const { prerequisites, recipe, line } = rule;
    return [
      {
        kind: SettingKinds.selects,
        name: `prerequisites of ${target}`,
        line,
        values: prerequisites,
        hasDefault: false,
      },
      {
        kind: SettingKinds.command,
        name: `recipe of ${target}`,
        line: recipe[0]?.line ?? line,
        text: [...exported.map((word) => `export ${word}`), ...recipe.map((entry) => entry.text)].join('; '),
        commands: recipe
          .flatMap(recipeCommands)
          .map((command) => (exported.length > 0 ? { ...command, words: [...exported, ...command.words] } : command)),
        unset: undefined,
      },
    ];
  });
}

/** Variables whose value the test runners read as options: `GOFLAGS`, `PYTEST_ADDOPTS`, `PYTHONOPTIMIZE`. */
const optionVariables = /^export\s+(GOFLAGS|PYTEST_ADDOPTS|PYTHONOPTIMIZE)\s*(?:[:?+]?=)\s*(.*?)\s*$/;

/**
 * `export GOFLAGS=-run=TestAdd` at the top of a Makefile: every recipe runs with it, as if each command were
 * written `GOFLAGS=-run=TestAdd go test ./...`. Returned as such assignment words.
 */
function runnerEnvironment(source: string): string[] {
  return logicalLines(source).flatMap(({ text }) => {
    const found = optionVariables.exec(text);
    return found ? [`${found[1]}=${(found[2] ?? '').replace(/^(['"])(.*)\1$/, '$2')}`] : [];
  });
}

/** The test targets (`test`, `check`, `ci`, `test-unit`, ...) and every target they depend on. */
export function testTargets(rules: ReadonlyMap<string, MakeRule>): string[] {
  const reached = [...rules.keys()].filter(isTestTaskName);
  for (let index = 0; index < reached.length; index++) {
    const rule = rules.get(reached[index] ?? '');
    for (const name of rule?.prerequisites ?? []) if (rules.has(name) && !reached.includes(name)) reached.push(name);
  }
  return reached;
}

/** The commands of one recipe line; a `-` prefix makes make ignore the line's failure. */
function recipeCommands({ text }: RecipeLine): SimpleCommand[] {
  const prefix = /^[@+-]*/.exec(text)?.[0] ?? '';
  const commands = simpleCommands(shellTokens(text.slice(prefix.length)));
  if (!prefix.includes('-')) return commands;
  return commands.map((command) => ({ ...command, maskedBy: command.maskedBy ?? 'the `-` prefix' }));
}

/** Lines with backslash-newline continuations joined, each with the number of its first physical line. */
function logicalLines(source: string): RecipeLine[] {
  const lines: RecipeLine[] = [];
  let pending: RecipeLine | undefined;
  source.split(/\r?\n/).forEach((text, index) => {
    const joined: RecipeLine = pending
      ? { text: `${pending.text} ${text.trimStart()}`, line: pending.line }
      : { text, line: index + 1 };
    if (/(?:^|[^\\])(?:\\\\)*\\$/.test(joined.text)) pending = { ...joined, text: joined.text.slice(0, -1) };
    else {
      lines.push(joined);
      pending = undefined;
    }
  });
  if (pending) lines.push(pending);
  return lines;
}
