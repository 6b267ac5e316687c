import type { GateKind } from '../schema.ts';
import type { GateCandidate, ReportTarget } from './gate-plan.ts';
import { type KnownTool, runInstalledTool, runScript, toolAtEnd, vitestRunsOnce } from './script-command.ts';
import type { NodeStack, PackageScript, ScriptRole } from './stack-detection.ts';

/** How to get exact failures out of a tool: the report it can write and the flags that make it write one. */
interface ExactReport {
  report: ReportTarget;
  flags?: (reportPath: string, command: string) => string;
  /** Flags that show the script already chose an output; appending ours would clash. */
  alreadyChosen?: RegExp;
  /** Said in the guess when the flags are added. */
  summary?: string;
  /** A side effect of the flags worth a guess of its own. */
  caveat?: string;
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
    caveat: eslintCaveat,
  },
  tsc: { report: { format: 'tsc' } },
  biome: { report: { format: 'generic' } },
};

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
  for (const role of Object.keys(roleKinds) as ScriptRole[]) {
    const script = node.scripts[role];
    const candidate = script ? gateFromScript(node, role, script, inputs) : gateFromTool(node, role, inputs);
    if (candidate) candidates.push(candidate);
  }
  if (!node.packageManagerEvidence && candidates.length > 0) {
    notes.push('package.json: no lockfile or packageManager field, so npm is assumed');
  }
  return candidates;
}

function gateFromScript(node: NodeStack, role: ScriptRole, script: PackageScript, inputs: string[]): GateCandidate {
  const tool = toolAtEnd(script.command);
  const exact = tool ? exactReports[tool] : undefined;
  const base = {
    stack: 'node',
    source: 'script',
    name: role,
    kind: roleKinds[role],
    inputs,
    why: `package.json script ${script.name} (${script.command})`,
  } as const;
  if (!exact) {
    // A build's plain output is fine; for checks, say that failures will be less exact.
    const guesses =
      role === 'build' || role === 'typecheck'
        ? []
        : [`script ${script.name} runs a tool Sluice has no report for: its output is read as plain text`];
    return { ...base, report: { format: 'generic' }, run: () => runScript(node.packageManager, script.name), guesses };
  }
  const { flags, alreadyChosen, summary, caveat } = exact;
  if (!flags)
    return { ...base, report: exact.report, run: () => runScript(node.packageManager, script.name), guesses: [] };
  if (alreadyChosen?.test(script.command)) {
    return {
      ...base,
      report: { format: 'generic' },
      run: () => runScript(node.packageManager, script.name),
      guesses: [`script ${script.name} already picks its output format: its terminal output is read as plain text`],
    };
  }
  return {
    ...base,
    report: exact.report,
    run: (path) => runScript(node.packageManager, script.name, flags(path, script.command)),
    guesses: [`added ${summary} in script ${script.name} so failures are exact`, ...(caveat ? [caveat] : [])],
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
    return {
      ...base,
      report: exactReports.vitest.report,
      run: (path) => run(`vitest run --reporter=default --reporter=junit --outputFile.junit=${path}`),
      why: `vitest (${testRunner.evidence}), no test script`,
      guesses: ['runs "vitest run" directly, with a JUnit report so failures are exact'],
    };
  }
  if (role === 'test' && testRunner?.name === 'jest') {
    return {
      ...base,
      report: exactReports.jest.report,
      run: (path) => run(`jest --json --outputFile=${path}`),
      why: `jest (${testRunner.evidence}), no test script`,
      guesses: ['runs "jest" directly, with a JSON report so failures are exact'],
    };
  }
  return undefined;
}
