import type { GateKind } from '../schema.ts';
import type { GateCandidate, GatePlan, GateStack, PlannedGate } from './gate-plan.ts';
import { tierOf } from './gate-plan.ts';
import { planNodeGates } from './plan-node.ts';
import { planSetup } from './plan-setup.ts';
import { planDenoGates, planGoGates, planPythonGates, planRustGates } from './plan-tools.ts';
import type { Finding, MakeStack, MakeTarget, StackDetection } from './stack-detection.ts';

export type * from './gate-plan.ts';

/** Where gates write their reports; `.sluice/` is ignored by git. */
export const reportsDir = '.sluice/reports';

const makeKinds: Record<MakeTarget, GateKind> = { build: 'build', lint: 'lint', test: 'test', check: 'other' };

/**
 * Build output and caches each stack writes inside the repository, often without a .gitignore entry: left out of
 * the inputs, or every gate that writes them would change the cache key of the next run.
 */
const outputFolders: Record<Exclude<GateStack, 'make'>, readonly string[]> = {
  deno: [],
  node: ['dist', 'build', 'coverage'],
  python: ['**/__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '**/*.egg-info', '.tox', '.venv', 'venv'],
  go: [],
  rust: ['target'],
};

/** Output folders that some projects use for sources (build scripts in build/). */
const mayHoldSources = new Set(['build']);

/** Turns what `detectStack` found into gates: names, commands, tiers, needs, inputs and report formats. */
export function planGates(detection: StackDetection): GatePlan {
  const notes: string[] = [];
  const warnings: string[] = [];
  const inputs = repositoryInputs(detection, notes);
  const candidates: GateCandidate[] = [];
  const { node, python, go, rust, deno, make } = detection;
  if (node) candidates.push(...planNodeGates(node, inputs, notes, warnings));
  if (python) candidates.push(...planPythonGates(python, inputs, notes, warnings));
  if (go) candidates.push(...planGoGates(go, inputs));
  if (rust) candidates.push(...planRustGates(rust, inputs));
  // A package.json beside deno.json runs the project through its scripts already.
  if (deno && !node) candidates.push(...planDenoGates(deno, inputs, warnings));
  const gates = make ? mergeMakeTargets(candidates, make, inputs, notes) : candidates;
  const planned = finalizeGates(gates);
  const guessed = [...notes, ...planned.flatMap((gate) => gate.guesses.map((guess) => `${gate.name}: ${guess}`))];
  const setup = planned.length > 0 ? planSetup(detection) : [];
  return {
    gates: planned,
    warnings,
    ...(setup.length > 0 ? { setup } : {}),
    found: detection.findings.map(describeFinding),
    guessed,
    notes,
  };
}

/**
 * Every gate's inputs: the whole repository, so a file added after init (a new tests/ folder) is part of the
 * cache key, less the output folders of the detected stacks. The cache itself skips .git/, .sluice/,
 * node_modules/ and what the root .gitignore ignores.
 */
function repositoryInputs(detection: StackDetection, notes: string[]): string[] {
  const stacks = (['node', 'python', 'go', 'rust', 'deno'] as const).filter((stack) => detection[stack]);
  const folders = [...new Set(stacks.flatMap((stack) => outputFolders[stack]))];
  const excluded = folders.filter((folder) => {
    // A folder that is there and not ignored may be committed sources: leaving it out could cache a false pass.
    const kept = mayHoldSources.has(folder) && detection.unignoredDirs.includes(folder);
    if (kept) {
      notes.push(
        `${folder}/ exists and .gitignore does not ignore it, so it stays in the inputs in case it holds sources; add "!${folder}/**" to inputs if it is build output`,
      );
    }
    return !kept;
  });
  return ['**/*', ...excluded.map((folder) => `!${folder}/**`)];
}

/** One `found` line: `package.json script test → vitest run`. */
export function describeFinding(finding: Finding): string {
  return `${finding.file}${finding.subject ? ` ${finding.subject}` : ''} → ${finding.says}`;
}

/**
 * Makefile targets are the project's own commands, so they replace Sluice's tool picks for build and lint;
 * package.json scripts already are the project's commands, and test gates with exact reports are kept.
 */
function mergeMakeTargets(
  candidates: GateCandidate[],
  make: MakeStack,
  inputs: string[],
  notes: string[],
): GateCandidate[] {
  let gates = [...candidates];
  for (const target of make.targets) {
    const kind = makeKinds[target];
    const sameKind = gates.filter((gate) => gate.kind === kind);
    const covering = sameKind.filter((gate) => gate.source === 'script' || gate.kind === 'test');
    if (covering.length > 0) {
      const names = covering.map(previewRun).join(', ');
      notes.push(
        `${make.file} target ${target} not added: ${names} already does that; use "make ${target}" if the target does more`,
      );
      continue;
    }
    if (target === 'check' && gates.length > 0) {
      notes.push(`${make.file} target check not added: it likely repeats the other gates`);
      continue;
    }
    if (sameKind.length > 0) {
      const replaced = sameKind.map(previewRun).join(', ');
      notes.push(`${make.file} target ${target} replaces ${replaced}: the project's own command comes first`);
      gates = gates.filter((gate) => !sameKind.includes(gate));
    }
    gates.push({
      stack: 'make',
      source: 'make',
      name: target,
      kind,
      inputs,
      report: { format: 'generic' },
      run: () => `make ${target}`,
      why: `${make.file} target ${target}`,
      guesses: [],
    });
  }
  return gates;
}

/** Gives each gate a unique name, its report path and its needs, cheapest tier first. */
function finalizeGates(candidates: GateCandidate[]): PlannedGate[] {
  const ordered = [...candidates].sort((left, right) => tierOf(left.kind) - tierOf(right.kind));
  const taken = new Set<string>();
  const named = ordered.map((candidate) => {
    let name = taken.has(candidate.name) ? `${candidate.stack}-${candidate.name}` : candidate.name;
    for (let suffix = 2; taken.has(name); suffix++) name = `${candidate.stack}-${candidate.name}-${suffix}`;
    taken.add(name);
    return { candidate, name };
  });
  // Tests and end-to-end tests wait for the build: they may run built code, and a broken build would fail them
  // all with noise. Not those whose runner compiles the sources itself: they check them while the build runs.
  const buildNames = named.filter(({ candidate }) => candidate.kind === 'build').map(({ name }) => name);
  return named.map(({ candidate, name }) => {
    const { extension, format } = candidate.report;
    const reportPath = candidate.report.path ?? (extension ? `${reportsDir}/${name}.${extension}` : undefined);
    const testing = candidate.kind === 'test' || candidate.kind === 'e2e';
    const needsBuild = testing && !candidate.buildFree;
    const buildFreeGuess =
      testing && candidate.buildFree && buildNames.length > 0
        ? [`does not wait for ${buildNames.join(', ')}: ${candidate.buildFree}`]
        : [];
    return {
      name,
      run: candidate.run(reportPath ?? ''),
      kind: candidate.kind,
      tier: tierOf(candidate.kind),
      needs: needsBuild ? [...buildNames] : [],
      ...(candidate.inputs ? { inputs: candidate.inputs } : {}),
      report: reportPath ? { format, path: reportPath } : { format },
      why: candidate.why,
      guesses: [...candidate.guesses, ...buildFreeGuess],
    };
  });
}

/** The command a candidate would run under its preferred name, for messages. */
function previewRun(candidate: GateCandidate): string {
  const { extension } = candidate.report;
  return `"${candidate.run(extension ? `${reportsDir}/${candidate.name}.${extension}` : '')}"`;
}
