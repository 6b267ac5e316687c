import type { GateCandidate } from './gate-plan.ts';
import { planScriptGates, roleKinds, type ScriptPlanning } from './plan-script-steps.ts';
import { plainTscRun, runInstalledTool } from './script-command.ts';
import type { NodeStack, PackageManager, ScriptRole } from './stack-detection.ts';
import { buildFreeReason, eslintCaveat, exactReports } from './tool-reports.ts';

/** The roles in the order their gates are planned: a tool two scripts run gets its gate from the first. */
const roleOrder: readonly ScriptRole[] = ['build', 'typecheck', 'lint', 'format', 'test', 'e2e'];

/**
 * Gates for a Node project: its package.json scripts first, split into one gate per tool when a script chains
 * several, then the detected tools where a script is missing, then extra check scripts for tools no gate runs.
 */
export function planNodeGates(
  node: NodeStack,
  inputs: string[],
  notes: string[],
  warnings: string[] = [],
): GateCandidate[] {
  const manager = commandManager(node, warnings);
  const repeatedTypecheck = typecheckRepeatingBuild(node);
  const planning: ScriptPlanning = {
    node,
    manager,
    inputs,
    notes,
    scripts: node.scriptTable ?? fallbackTable(node),
    gateScripts: new Set(Object.values(node.scripts).map((script) => script.name)),
    candidates: [],
    commandsRun: new Map(),
    toolsRun: new Map(),
  };
  for (const role of roleOrder) {
    if (role === 'typecheck' && repeatedTypecheck) continue;
    const script = node.scripts[role];
    if (script) {
      const guesses = role === 'build' && repeatedTypecheck ? [repeatedTypecheck] : [];
      planScriptGates(planning, role, script, 'chosen', guesses);
      continue;
    }
    const candidate = gateFromTool(node, manager, role, inputs);
    if (candidate && !planning.candidates.some((other) => other.kind === candidate.kind)) {
      planning.candidates.push(candidate);
    }
  }
  for (const script of node.extraScripts ?? []) planScriptGates(planning, extraRole(script.name), script, 'extra', []);
  if (node.packageManagerMissing) warnScriptsCallingMissingManager(planning, warnings);
  if (!node.packageManagerEvidence && planning.candidates.length > 0) {
    notes.push('package.json: no lockfile or packageManager field, so npm is assumed');
  }
  return planning.candidates;
}

/**
 * The manager the gates call. When the lockfile's manager is not installed, npm stands in, with a warning: gates
 * that call a missing program all fail with exit 127 and tell the agent nothing.
 */
function commandManager(node: NodeStack, warnings: string[]): PackageManager {
  if (!node.packageManagerMissing) return node.packageManager;
  const evidence = node.packageManagerEvidence ?? 'package.json';
  warnings.push(
    `${evidence} names ${node.packageManager}, which is not on PATH: the gates run with npm instead and setup installs with npm, so dependency versions may differ from the lockfile; install ${node.packageManager} (corepack enable ${node.packageManager}) and run "sluice init --force" again`,
  );
  return 'npm';
}

/** Warns about the scripts that the gates run and that call the missing manager themselves (`pnpm exec x`). */
function warnScriptsCallingMissingManager(planning: ScriptPlanning, warnings: string[]): void {
  const manager = planning.node.packageManager;
  const calls = new RegExp(`(^|[\\s;&|(])${manager}x?(\\s|$)`);
  const reached = new Set<string>();
  const visit = (name: string): void => {
    const text = Object.hasOwn(planning.scripts, name) ? planning.scripts[name] : undefined;
    if (text === undefined || reached.has(name)) return;
    reached.add(name);
    // Any script named in the text may run: `npm run x`, `run-s x`, `pnpm x`.
    for (const word of text.split(/[\s'"]+/)) visit(word);
  };
  for (const candidate of planning.candidates) {
    for (const match of candidate.run('').matchAll(/npm run (\S+)/g)) visit(match[1] ?? '');
  }
  const calling = [...reached].filter((name) => calls.test(planning.scripts[name] ?? ''));
  if (calling.length > 0) {
    warnings.push(`scripts ${calling.join(', ')} call ${manager} themselves: their gates fail until it is installed`);
  }
}

/** The role of an extra check script, from its name: `lint:css` lints, a bare `check` or `ci` checks anything. */
function extraRole(name: string): ScriptRole {
  const prefix = name.split(':')[0] ?? name;
  if (prefix === 'test') return /e2e|integration|browser/.test(name) ? 'e2e' : 'test';
  if (prefix === 'typecheck' || prefix === 'types') return 'typecheck';
  if (prefix === 'format') return 'format';
  return 'lint';
}

/** The scripts a detection made without the whole table (tests build these by hand) still expand. */
function fallbackTable(node: NodeStack): Record<string, string> {
  const table: Record<string, string> = {};
  for (const script of [...Object.values(node.scripts), ...(node.extraScripts ?? [])]) {
    table[script.name] = script.command;
  }
  return table;
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

function gateFromTool(
  node: NodeStack,
  manager: PackageManager,
  role: ScriptRole,
  inputs: string[],
): GateCandidate | undefined {
  const run = (command: string): string => runInstalledTool(manager, command);
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
