import type { ReportTarget } from './gate-plan.ts';
import { type KnownTool, nodeTestLoadsTypeScript, nodeTestPatterns, vitestRunsOnce } from './script-command.ts';
import type { NodeStack, ScriptRole } from './stack-detection.ts';

/** How to get exact failures out of a tool: the report it can write and the flags that make it write one. */
export interface ExactReport {
  report: ReportTarget;
  flags?: (reportPath: string, command: string) => string;
  /** Whether the flags must go in NODE_OPTIONS because options appended to the script would not reach the tool. */
  viaNodeOptions?: (command: string) => boolean;
  /** Flags that show the script already chose an output; appending ours would clash. */
  alreadyChosen?: RegExp;
  /** The report a flag the command already has picks (`ava --tap` prints TAP), if it does. */
  chosenReport?: (command: string) => ReportTarget | undefined;
  /** Said in the guess when the flags are added. */
  summary?: string;
  /** Side effects of the flags, or limits of the command, worth a guess of their own. */
  caveats?: (command: string) => string[];
}

export const eslintCaveat = 'ESLint writes one format only, so the JSON report replaces its terminal output';

/** Each known tool's structured report, where Sluice has a parser for one (src/gates/reports). */
export const exactReports: Record<KnownTool, ExactReport> = {
  vitest: {
    report: { format: 'junit', extension: 'xml' },
    flags: (path, command) =>
      `${vitestRunsOnce(command) ? '' : '--run '}--reporter=default --reporter=junit --outputFile.junit=${path}`,
    alreadyChosen: /--outputFile/,
    summary: '"--reporter=junit" (a JUnit report) to vitest',
  },
  jest: {
    report: { format: 'jest-json', extension: 'json' },
    flags: (path) => `--json --outputFile=${path}`,
    alreadyChosen: /--json|--outputFile/,
    summary: '"--json --outputFile" (a JSON report) to jest',
  },
  eslint: {
    report: { format: 'eslint-json', extension: 'json' },
    flags: (path) => `-f json -o ${path}`,
    alreadyChosen: /(^|\s)(-f|--format|-o|--output-file)(\s|=|$)/,
    summary: '"-f json -o" (a JSON report) to eslint',
    caveats: () => [eslintCaveat],
  },
  'node-test': {
    report: { format: 'junit', extension: 'xml' },
    // spec keeps the terminal output readable; junit is the exact report.
    flags: (path) =>
      `--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=${path}`,
    viaNodeOptions: (command) => nodeTestPatterns(command).length > 0,
    alreadyChosen: /--test-reporter/,
    summary: '"--test-reporter=junit" (a JUnit report) to node --test',
    caveats: nodeTestCaveats,
  },
  ava: {
    // ava's default reporter alone has both each failure's file:line and its values (its TAP has no location).
    report: { format: 'ava' },
    chosenReport: (command) => (/(^|\s)(--tap|-t)(\s|$)/.test(command) ? { format: 'tap' } : undefined),
  },
  mocha: {
    report: { format: 'mocha-json', extension: 'json' },
    flags: (path) => `--reporter json --reporter-option output=${path}`,
    // The last --reporter wins, so a terminal reporter the script picks (`--reporter spec`) is overridden;
    // a script that already writes a file report is left alone.
    alreadyChosen:
      /--reporter-options?[\s=]|(^|\s)(-R|--reporter)[\s=]["']?(xunit|json|json-stream|tap|[\w@/.-]*junit)/,
    summary: '"--reporter json" (a JSON report) to mocha',
    caveats: () => ['mocha has one reporter at a time, so the JSON file replaces its terminal output'],
  },
  'node-tap': {
    report: { format: 'tap' },
    flags: () => '--reporter=tap',
    alreadyChosen: /(^|\s)(-R|--reporter)(\s|=)/,
    summary: '"--reporter=tap" (TAP output) to tap',
  },
  'bun-test': {
    report: { format: 'junit', extension: 'xml' },
    flags: (path) => `--reporter=junit --reporter-outfile=${path}`,
    alreadyChosen: /--reporter/,
    summary: '"--reporter=junit" (a JUnit report) to bun test',
  },
  'deno-test': {
    report: { format: 'junit', extension: 'xml' },
    flags: (path) => `--junit-path=${path}`,
    alreadyChosen: /--junit-path|--reporter/,
    summary: '"--junit-path" (a JUnit report) to deno test',
  },
  xo: {
    // xo prints ESLint's JSON with its json reporter; Sluice reads the gate's output as ESLint JSON.
    report: { format: 'eslint-json' },
    flags: () => '--reporter=json',
    alreadyChosen: /--reporter/,
    summary: '"--reporter=json" (ESLint JSON) to xo',
    caveats: () => ['xo prints JSON instead of its usual output'],
  },
  uvu: { report: { format: 'generic' } },
  tsc: { report: { format: 'tsc' } },
  // Biome's JUnit reporter leaves out formatting errors, so its own output is the exact one.
  biome: { report: { format: 'generic' } },
  prettier: { report: { format: 'generic' } },
  dprint: { report: { format: 'generic' } },
  // Checkers whose terminal output is what there is to read (file:line per problem).
  standard: { report: { format: 'generic' } },
  stylelint: { report: { format: 'generic' } },
  tsd: { report: { format: 'generic' } },
  tstyche: { report: { format: 'generic' } },
};

/** Node reads no options after `node --test`'s first file pattern, and expands globs only from Node 21. */
function nodeTestCaveats(command: string): string[] {
  const patterns = nodeTestPatterns(command);
  return [
    ...(patterns.length > 0
      ? ['node --test reads no options after its file patterns, so the reporters go in NODE_OPTIONS']
      : []),
    ...(patterns.some((pattern) => /[*?{[]/.test(pattern))
      ? [`the patterns (${patterns.join(' ')}) are passed as written: Node 21+ expands their globs, Node 20 does not`]
      : []),
  ];
}

/** Why a tool gets no structured report, for the tools that have none Sluice can read. */
export const noReportReason: Partial<Record<KnownTool, string>> = {
  uvu: 'uvu has no machine-readable reporter: its output is read as plain text',
};

const testTools = new Set<KnownTool>([
  'vitest',
  'jest',
  'node-test',
  'ava',
  'mocha',
  'node-tap',
  'uvu',
  'bun-test',
  'deno-test',
]);

/**
 * The job a tool's command does, given the role of the script it sits in; `fixer` for a command that rewrites
 * files or only prints them (`prettier --write`, `eslint --fix`): it checks nothing and is no gate.
 */
export function toolRole(tool: KnownTool, command: string, scriptRole: ScriptRole): ScriptRole | 'fixer' {
  const has = (pattern: RegExp): boolean => pattern.test(command);
  if (testTools.has(tool)) return scriptRole === 'e2e' ? 'e2e' : 'test';
  switch (tool) {
    case 'eslint':
    case 'xo':
    case 'standard':
    case 'stylelint':
      return has(/(^|\s)--fix(\s|=|$)/) ? 'fixer' : 'lint';
    case 'tsd':
    case 'tstyche':
      return 'typecheck';
    case 'biome':
      if (has(/(^|\s)(--write|--apply|--apply-unsafe|--fix)(\s|$)/)) return 'fixer';
      return has(/(^|\s)format(\s|$)/) ? 'format' : 'lint';
    case 'prettier':
      return has(/(^|\s)(--check|-c|--list-different|-l)(\s|$)/) ? 'format' : 'fixer';
    case 'dprint':
      return has(/(^|\s)check(\s|$)/) ? 'format' : 'fixer';
    case 'tsc':
      if (scriptRole === 'build' || scriptRole === 'typecheck') return scriptRole;
      // A tsc in a test or lint script that writes files is the build those tests need.
      return has(/--noEmit/) ? 'typecheck' : 'build';
    default:
      return scriptRole;
  }
}

/** A Node build writes one of these folders; a test command that names one runs built code. */
const builtOutput = /(^|[\s'"=:(])(\.\/)?(dist|build|out)\//;

/** Why a test gate can run without waiting for the build (its runner compiles the sources), or undefined. */
export function buildFreeReason(
  node: NodeStack,
  role: ScriptRole | 'fixer',
  tool: KnownTool | undefined,
  command: string,
): string | undefined {
  if (role !== 'test' || builtOutput.test(command)) return undefined;
  const plainJavaScript = (runner: string): string | undefined =>
    node.typescript ? undefined : `${runner} runs the JavaScript sources`;
  switch (tool) {
    case 'vitest':
      return 'vitest compiles the sources itself';
    case 'bun-test':
    case 'deno-test':
      return `${tool === 'bun-test' ? 'bun' : 'deno'} compiles the TypeScript itself`;
    case 'jest':
      if (node.jestTransform) return `jest compiles the TypeScript itself with ${node.jestTransform}`;
      return plainJavaScript('jest');
    case 'node-test':
      if (nodeTestLoadsTypeScript(command)) return 'node loads the TypeScript sources itself';
      return plainJavaScript('node --test');
    case 'ava':
    case 'mocha':
    case 'uvu':
      return plainJavaScript(tool);
    default:
      return undefined;
  }
}

/** A command with the flags that make its tool write a structured report, and what was assumed to do it. */
export interface ReportedRun {
  report: ReportTarget;
  run: (reportPath: string) => string;
  guesses: string[];
}

/**
 * Wires `tool`'s structured report into a command. `plain(extraArgs)` is the command with arguments appended
 * where the tool receives them (`npm run test -- <args>`, `npx vitest run <args>`); `label` names the source
 * in guesses (`script test`).
 */
export function reportedRun(
  tool: KnownTool | undefined,
  label: string,
  command: string,
  plain: (extraArgs?: string) => string,
  checks: boolean,
): ReportedRun {
  const exact = tool ? exactReports[tool] : undefined;
  if (!tool || !exact) {
    // A build's plain output is fine; for checks, say that failures will be less exact.
    const guesses = checks ? [`${label} runs a tool Sluice has no report for: its output is read as plain text`] : [];
    return { report: { format: 'generic' }, run: () => plain(), guesses };
  }
  const { flags, viaNodeOptions, alreadyChosen, summary, caveats } = exact;
  const chosen = exact.chosenReport?.(command);
  if (chosen) return { report: chosen, run: () => plain(), guesses: [] };
  const why = noReportReason[tool];
  if (!flags) return { report: exact.report, run: () => plain(), guesses: why ? [why] : [] };
  if (alreadyChosen?.test(command)) {
    return {
      report: { format: 'generic' },
      run: () => plain(),
      guesses: [`${label} already picks its output format: its terminal output is read as plain text`],
    };
  }
  const inNodeOptions = viaNodeOptions?.(command) ?? false;
  return {
    report: exact.report,
    run: (path) =>
      inNodeOptions ? `NODE_OPTIONS="$NODE_OPTIONS ${flags(path, command)}" ${plain()}` : plain(flags(path, command)),
    guesses: [`added ${summary} in ${label} so failures are exact`, ...(caveats?.(command) ?? [])],
  };
}
