import { Document, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { GatePlan, PlannedGate } from './gate-plan.ts';

/** Fields written as `[a, b]` / `{ format: x }` on one line, to keep each gate short. */
const inlineFields = new Set(['needs', 'inputs', 'report']);

/** The commented sluice.yaml text for a plan: what was detected, and why each gate is there. */
export function renderConfig(plan: GatePlan): string {
  const gates: Record<string, Record<string, unknown>> = {};
  for (const gate of plan.gates) gates[gate.name] = gateFields(gate);
  // No anchors: gates that share inputs still spell them out, so each gate can be edited alone.
  const setup = plan.setup?.map((step) => ({ run: step.run, inputs: step.inputs }));
  const document = new Document({ version: 1, ...(setup ? { setup } : {}), gates }, { aliasDuplicateObjects: false });
  document.commentBefore = headerLines(plan)
    .map((line) => (line ? ` ${line}` : ''))
    .join('\n');

  const setupSeq = document.get('setup', true);
  if (isSeq(setupSeq)) {
    setupSeq.commentBefore = [
      ' Installs dependencies: Sluice judges every commit in a clean checkout of its own, and the dependencies',
      " there come from here, never from the agent's worktree. A step runs again only when its inputs change.",
    ].join('\n');
    setupSeq.items.forEach((item, index) => {
      const step = plan.setup?.[index];
      if (isMap(item)) {
        const inputs = item.get('inputs', true);
        if (isSeq(inputs)) inputs.flow = true;
        if (step) item.commentBefore = ` Why: ${step.why}.`;
      }
    });
  }
  const gateMap = document.get('gates', true);
  if (isMap(gateMap)) {
    gateMap.items.forEach((pair, index) => {
      const gate = plan.gates[index];
      if (!gate || !isScalar(pair.key)) return;
      pair.key.commentBefore = gateComment(gate)
        .map((line) => ` ${line}`)
        .join('\n');
      pair.key.spaceBefore = index > 0;
      if (!isMap(pair.value)) return;
      for (const field of pair.value.items) {
        if (isPair(field) && isScalar(field.key) && inlineFields.has(String(field.key.value))) {
          if (isSeq(field.value) || isMap(field.value)) field.value.flow = true;
        }
      }
    });
  }
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function gateFields(gate: PlannedGate): Record<string, unknown> {
  return {
    run: gate.run,
    kind: gate.kind,
    tier: gate.tier,
    ...(gate.needs.length > 0 ? { needs: gate.needs } : {}),
    ...(gate.inputs ? { inputs: gate.inputs } : {}),
    report: gate.report,
  };
}

function headerLines(plan: GatePlan): string[] {
  const detected =
    plan.found.length > 0
      ? ['Detected:', ...plan.found.map((line) => `  ${line}`)]
      : ['Detected: nothing Sluice recognizes (package.json, pyproject.toml, go.mod, Cargo.toml, Makefile).'];
  const notes =
    plan.notes.length > 0 ? ['', 'Guesses about the repository:', ...plan.notes.map((line) => `  ${line}`)] : [];
  return [
    'sluice.yaml: the gates Sluice runs after every agent turn. Written by `sluice init`; edit freely.',
    '',
    ...detected,
    ...notes,
    '',
    'Lines marked "guess" were assumed, not read from the repository: check them, then run `sluice check`.',
    'Tiers run cheap gates first: a tier starts when every blocking gate of the lower tiers passed.',
    'inputs are globs whose contents form the cache key; a gate whose inputs did not change is not rerun.',
    '"**/*" is every file of the repository except .git/, .sluice/, node_modules/ and what the root .gitignore',
    'ignores; "!dist/**" leaves a folder out. To narrow a gate, list what it reads (["src/**", "package.json"]):',
    'a file it reads that no glob matches can change without a rerun, and a broken change then passes as cached.',
    'Reports go to .sluice/reports so failures reach the agent exactly (file, line, test name).',
    'All fields (cwd, env, timeout, blocking, ...): `sluice schema` prints the JSON Schema. For editors,',
    'save it (`sluice schema > sluice.schema.json`) and make this the first line:',
    '  # yaml-language-server: $schema=./sluice.schema.json',
  ];
}

function gateComment(gate: PlannedGate): string[] {
  return [`Why: ${gate.why}.`, ...gate.guesses.map((guess) => `guess: ${guess}.`)];
}
