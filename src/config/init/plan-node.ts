import type { GateKind } from '../schema.ts';
import type { GateCandidate, ReportTarget } from './gate-plan.ts';
import {
  type KnownTool,
  nodeTestLoadsTypeScript,
  nodeTestPatterns,
  plainTscRun,
  runInstalledTool,
  runScript,
  toolAtEnd,
  vitestRunsOnce,
} from './script-command.ts';
import type { NodeStack, PackageScript, ScriptRole } from './stack-detection.ts';

/** How to get exact failures out of a tool: the report it can write and the flags that make it write one. */
interface ExactReport {
  report: ReportTarget;
  flags?: (reportPath: string, command: string) => string;
  /** Whether the flags must go in NODE_OPTIONS because options appended to the script would not reach the tool. */
  viaNodeOptions?: (command: string) => boolean;
  /** Flags that show the script already chose an output; appending ours would clash. */
  alreadyChosen?: RegExp;
  /** Said in the guess when the flags are added. */
  summary?: string;
  /** Side effects of the flags, or limits of the command, worth a guess of their own. */
  caveats?: (command: string) => string[];
}

const eslintCaveat = 'ESLint writes one format only, so the JSON report replaces its terminal output';

const exactReports: Record<KnownTool, ExactReport> = {
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
  tsc: { report: { format: 'tsc' } },
  biome: { report: { format: 'generic' } },
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

/** A Node build writes one of these folders; a test command that names one runs built code. */
const builtOutput = /(^|[\s'"=:(])(\.\/)?(dist|build|out)\//;

const roleKinds: Record<ScriptRole, GateKind> = {
  build: 'build',
  typecheck: 'typecheck',
  lint: 'lint',
  test: 'test',
  e2e: 'e2e',
};

/** Gates for a Node project: its package.json scripts first, the detected tools where a script is missing. */
export function planNodeGates(node: NodeStack, inputs: string[], notes: string[]): GateCandidate[] {
  const candidates: GateCandidate[] = [];
  const repeatedTypecheck = typecheckRepeatingBuild(node);
  for (const role of Object.keys(roleKinds) as ScriptRole[]) {
    if (role === 'typecheck' && repeatedTypecheck) continue;
    const script = node.scripts[role];
    const candidate = script ? gateFromScript(node, role, script, inputs) : gateFromTool(node, role, inputs);
    if (!candidate) continue;
    const guesses = role === 'build' && repeatedTypecheck ? [repeatedTypecheck] : [];
    candidates.push({ ...candidate, guesses: [...candidate.guesses, ...guesses] });
  }
  if (!node.packageManagerEvidence && candidates.length > 0) {
    notes.push('package.json: no lockfile or packageManager field, so npm is assumed');
  }
  return candidates;
}

/**
 * When the build script is a plain `tsc` on the tsconfig the typecheck would check, the build already reports
 * every type error: a typecheck gate would run tsc twice. Says why the typecheck is left out, or undefined.
 */
function typecheckRepeatingBuild(node: NodeStack): string | undefined {
  const build = node.scripts.build ? plainTscRun(node.scripts.build.command) : undefined;
  if (!build) return undefined;
  const script = node.scripts.typecheck;
  const typecheck = script ? plainTscRun(script.command) : node.typescript && plainTscRun('tsc --noEmit');
  if (!typecheck || typecheck.project !== build.project || (typecheck.buildMode && !build.buildMode)) return undefined;
  const left = script ? `script ${script.name} ("${script.command}") is` : 'a "tsc --noEmit" gate is';
  return `its tsc reports every type error in ${build.project}, so ${left} left out: it would check the same again`;
}

/** Why a test gate can run without waiting for the build (its runner compiles the sources), or undefined. */
function buildFreeReason(
  node: NodeStack,
  role: ScriptRole,
  tool: KnownTool | undefined,
  command: string,
): string | undefined {
  if (role !== 'test' || builtOutput.test(command)) return undefined;
  switch (tool) {
    case 'vitest':
      return 'vitest compiles the sources itself';
    case 'jest':
      if (node.jestTransform) return `jest compiles the TypeScript itself with ${node.jestTransform}`;
      return node.typescript ? undefined : 'jest runs the JavaScript sources';
    case 'node-test':
      if (nodeTestLoadsTypeScript(command)) return 'node loads the TypeScript sources itself';
      return node.typescript ? undefined : 'node --test runs the JavaScript sources';
    default:
      return undefined;
  }
}

function gateFromScript(node: NodeStack, role: ScriptRole, script: PackageScript, inputs: string[]): GateCandidate {
  const tool = toolAtEnd(script.command);
  const exact = tool ? exactReports[tool] : undefined;
  const buildFree = buildFreeReason(node, role, tool, script.command);
  const base = {
    stack: 'node',
    source: 'script',
    name: role,
    kind: roleKinds[role],
    inputs,
    ...(buildFree ? { buildFree } : {}),
    why: `package.json script ${script.name} (${script.command})`,
  } as const;
  const plainRun = () => runScript(node.packageManager, script.name);
  if (!exact) {
    // A build's plain output is fine; for checks, say that failures will be less exact.
    const guesses =
      role === 'build' || role === 'typecheck'
        ? []
        : [`script ${script.name} runs a tool Sluice has no report for: its output is read as plain text`];
    return { ...base, report: { format: 'generic' }, run: plainRun, guesses };
  }
  const { flags, viaNodeOptions, alreadyChosen, summary, caveats } = exact;
  if (!flags) return { ...base, report: exact.report, run: plainRun, guesses: [] };
  if (alreadyChosen?.test(script.command)) {
    return {
      ...base,
      report: { format: 'generic' },
      run: plainRun,
      guesses: [`script ${script.name} already picks its output format: its terminal output is read as plain text`],
    };
  }
  const inNodeOptions = viaNodeOptions?.(script.command) ?? false;
  return {
    ...base,
    report: exact.report,
    run: (path) =>
      inNodeOptions
        ? `NODE_OPTIONS="$NODE_OPTIONS ${flags(path, script.command)}" ${plainRun()}`
        : runScript(node.packageManager, script.name, flags(path, script.command)),
    guesses: [`added ${summary} in script ${script.name} so failures are exact`, ...(caveats?.(script.command) ?? [])],
  };
}

function gateFromTool(node: NodeStack, role: ScriptRole, inputs: string[]): GateCandidate | undefined {
  const run = (command: string): string => runInstalledTool(node.packageManager, command);
  const base = { stack: 'node', source: 'tool', name: role, kind: roleKinds[role], inputs } as const;
  const { typescript, testRunner, linter } = node;
  if (role === 'typecheck' && typescript) {
    const guesses = typescript.installed ? [] : ['typescript is not a dependency in package.json: assumed installed'];
    return {
      ...base,
      report: { format: 'tsc' },
      run: () => run('tsc --noEmit'),
      why: `${typescript.tsconfig}, no typecheck script`,
      guesses,
    };
  }
  if (role === 'lint' && linter?.name === 'eslint') {
    return {
      ...base,
      report: exactReports.eslint.report,
      run: (path) => run(`eslint . -f json -o ${path}`),
      why: `ESLint (${linter.evidence}), no lint script`,
      guesses: ['lints the whole folder with "eslint ."', eslintCaveat],
    };
  }
  if (role === 'lint' && linter?.name === 'biome') {
    return {
      ...base,
      report: { format: 'generic' },
      run: () => run('biome check .'),
      why: `Biome (${linter.evidence}), no lint script`,
      // Biome's JUnit reporter leaves out formatting errors, so its own output is the exact one.
      guesses: ['runs "biome check ." (lint and format) on the whole folder'],
    };
  }
  if (role === 'test' && testRunner?.name === 'vitest') {
    const buildFree = buildFreeReason(node, role, 'vitest', 'vitest run');
    return {
      ...base,
      ...(buildFree ? { buildFree } : {}),
      report: exactReports.vitest.report,
      run: (path) => run(`vitest run --reporter=default --reporter=junit --outputFile.junit=${path}`),
      why: `vitest (${testRunner.evidence}), no test script`,
      guesses: ['runs "vitest run" directly, with a JUnit report so failures are exact'],
    };
  }
  if (role === 'test' && testRunner?.name === 'jest') {
    const buildFree = buildFreeReason(node, role, 'jest', 'jest');
    return {
      ...base,
      ...(buildFree ? { buildFree } : {}),
      report: exactReports.jest.report,
      run: (path) => run(`jest --json --outputFile=${path}`),
      why: `jest (${testRunner.evidence}), no test script`,
      guesses: ['runs "jest" directly, with a JSON report so failures are exact'],
    };
  }
  return undefined;
}
