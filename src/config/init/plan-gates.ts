import type { GateKind } from '../schema.ts';
import type { GateCandidate, GatePlan, PlannedGate } from './gate-plan.ts';
import { tierOf } from './gate-plan.ts';
import { planNodeGates } from './plan-node.ts';
import { planGoGates, planPythonGates, planRustGates } from './plan-tools.ts';
import type { Finding, MakeStack, MakeTarget, StackDetection } from './stack-detection.ts';

export type * from './gate-plan.ts';

/** Where gates write their reports; `.sluice/` is ignored by git. */
export const reportsDir = '.sluice/reports';

const makeKinds: Record<MakeTarget, GateKind> = { build: 'build', lint: 'lint', test: 'test', check: 'other' };

/** Turns what `detectStack` found into gates: names, commands, tiers, needs, inputs and report formats. */
export function planGates(detection: StackDetection): GatePlan {
  const dirGlobs = detection.projectDirs.map((dir) => `${dir}/**`);
  const inputs = (rootGlob: string, files: readonly string[]): string[] => [...dirGlobs, rootGlob, ...files];
  const candidates: GateCandidate[] = [];
  const notes: string[] = [];
  const { node, python, go, rust, make } = detection;
  if (node) {
    candidates.push(...planNodeGates(node, inputs('*.{js,cjs,mjs,jsx,ts,cts,mts,tsx,json}', node.inputFiles), notes));
  }
  if (python) candidates.push(...planPythonGates(python, inputs('*.py', python.inputFiles), notes));
  if (go) candidates.push(...planGoGates(go, inputs('*.go', go.inputFiles)));
  if (rust) candidates.push(...planRustGates(rust, inputs('*.rs', rust.inputFiles)));
  const gates = make ? mergeMakeTargets(candidates, make, [...dirGlobs, '*'], notes) : candidates;
  const planned = finalizeGates(gates);
  const guessed = [...notes, ...planned.flatMap((gate) => gate.guesses.map((guess) => `${gate.name}: ${guess}`))];
  return { gates: planned, found: detection.findings.map(describeFinding), guessed, notes };
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
  let added = false;
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
    added = true;
  }
  if (added) {
    notes.push(`${make.file} targets: inputs cover every source file, as Sluice cannot tell what a target reads`);
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
  // Tests and end-to-end tests wait for the build: a broken build would fail them all with noise.
  const buildNames = named.filter(({ candidate }) => candidate.kind === 'build').map(({ name }) => name);
  return named.map(({ candidate, name }) => {
    const { extension, format } = candidate.report;
    const reportPath = extension ? `${reportsDir}/${name}.${extension}` : undefined;
    const needsBuild = candidate.kind === 'test' || candidate.kind === 'e2e';
    return {
      name,
      run: candidate.run(reportPath ?? ''),
      kind: candidate.kind,
      tier: tierOf(candidate.kind),
      needs: needsBuild ? [...buildNames] : [],
      ...(candidate.inputs ? { inputs: candidate.inputs } : {}),
      report: reportPath ? { format, path: reportPath } : { format },
      why: candidate.why,
      guesses: candidate.guesses,
    };
  });
}

/** The command a candidate would run under its preferred name, for messages. */
function previewRun(candidate: GateCandidate): string {
  const { extension } = candidate.report;
  return `"${candidate.run(extension ? `${reportsDir}/${candidate.name}.${extension}` : '')}"`;
}
