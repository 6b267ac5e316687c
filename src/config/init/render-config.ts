import { Document, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { GatePlan, PlannedGate } from './gate-plan.ts';

/**
 * Lists written as `[a, b]` on one line, to keep each gate short. Mappings stay in block style: yamllint wants
 * `{a: b}` and Prettier `{ a: b }`, and a repository may run either over every YAML file.
 */
const inlineFields = new Set(['needs', 'inputs']);

/**
 * yamllint's default line limit. Comments are wrapped to it; a command longer than that stays on one line (folded,
 * it would be harder to read and to copy), and a directive in the header tells yamllint so.
 */
export const yamlLineWidth = 80;

/** The commented sluice.yaml text for a plan: what was detected, and why each gate is there. */
export function renderConfig(plan: GatePlan): string {
  const gates: Record<string, Record<string, unknown>> = {};
  for (const gate of plan.gates) gates[gate.name] = gateFields(gate);
  // No anchors: gates that share inputs still spell them out, so each gate can be edited alone.
  const setup = plan.setup?.map((step) => ({ run: step.run, inputs: step.inputs }));
  const document = new Document({ version: 1, ...(setup ? { setup } : {}), gates }, { aliasDuplicateObjects: false });
  // `---` after the header: yamllint's document-start rule asks for it, and comments may come before it.
  if (document.directives) document.directives.docStart = true;
  document.commentBefore = comment(headerLines(plan), 0);

  const setupSeq = document.get('setup', true);
  if (isSeq(setupSeq)) {
    setupSeq.commentBefore = comment(
      [
        "Installs dependencies: Sluice judges every commit in a clean checkout of its own, and the dependencies there come from here, never from the agent's worktree. A step runs again only when its inputs change.",
      ],
      2,
    );
    setupSeq.items.forEach((item, index) => {
      const step = plan.setup?.[index];
      if (isMap(item)) {
        const inputs = item.get('inputs', true);
        if (isSeq(inputs)) inputs.flow = true;
        if (step) item.commentBefore = comment([`Why: ${step.why}.`], 2);
      }
    });
  }
  const gateMap = document.get('gates', true);
  if (isMap(gateMap)) {
    gateMap.items.forEach((pair, index) => {
      const gate = plan.gates[index];
      if (!gate || !isScalar(pair.key)) return;
      pair.key.commentBefore = comment(gateComment(gate), 2);
      pair.key.spaceBefore = index > 0;
      if (!isMap(pair.value)) return;
      for (const field of pair.value.items) {
        if (isPair(field) && isScalar(field.key) && inlineFields.has(String(field.key.value))) {
          if (isSeq(field.value) || isMap(field.value)) field.value.flow = true;
        }
      }
    });
  }
  const text = document.toString({ lineWidth: 0, flowCollectionPadding: false });
  const long = text.split('\n').some((line) => line.length > yamlLineWidth);
  // The directive sits before `---`, so it covers the whole file.
  return long ? text.replace(/^---$/m, `${lineLengthDirective}\n---`) : text;
}

const lineLengthDirective = [
  '# Long commands stay on one line; this tells yamllint (line-length) so:',
  '# yamllint disable rule:line-length',
].join('\n');

/**
 * A comment block for the `yaml` library (each line gets `#` in front): lines wrapped to fit `yamlLineWidth` at
 * the given indent, a wrapped line's rest indented like its start, and blank lines kept blank (no trailing space).
 */
function comment(lines: readonly string[], indent: number): string {
  const width = yamlLineWidth - indent - 2;
  return lines
    .flatMap((line) => wrap(line, width))
    .map((line) => (line ? ` ${line}` : ''))
    .join('\n');
}

function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const lead = /^\s*/.exec(line)?.[0] ?? '';
  // List items (indented) and `guess:` lines continue indented; prose paragraphs do not.
  const hang = lead !== '' || /^(guess|Why):/.test(line) ? `${lead}  ` : lead;
  const words = line.trim().split(' ');
  const out: string[] = [];
  let current = lead;
  for (const word of words) {
    const prefix = out.length === 0 ? lead : hang;
    if (current.trim() !== '' && current.length + 1 + word.length > width) {
      out.push(current);
      current = `${hang}${word}`;
    } else current = current.trim() === '' ? `${prefix}${word}` : `${current} ${word}`;
  }
  out.push(current);
  return out;
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
  const warnings =
    (plan.warnings ?? []).length > 0
      ? ['Warnings (fix these first):', ...(plan.warnings ?? []).map((line) => `  ${line}`), '']
      : [];
  const notes =
    plan.notes.length > 0 ? ['', 'Guesses about the repository:', ...plan.notes.map((line) => `  ${line}`)] : [];
  return [
    'sluice.yaml: the gates Sluice runs after every agent turn. Written by `sluice init`; edit freely.',
    '',
    ...warnings,
    ...detected,
    ...notes,
    '',
    'Lines marked "guess" were assumed, not read from the repository: check them, then run `sluice check`.',
    'Tiers run cheap gates first: a tier starts when every blocking gate of the lower tiers passed.',
    'inputs are globs whose contents form the cache key; a gate whose inputs did not change is not rerun. "**/*" is every file of the repository except .git/, .sluice/, node_modules/ and what the root .gitignore ignores; "!dist/**" leaves a folder out. To narrow a gate, list what it reads (["src/**", "package.json"]): a file it reads that no glob matches can change without a rerun, and a broken change then passes as cached.',
    'Reports go to .sluice/reports so failures reach the agent exactly (file, line, test name).',
    'Keys keep one order: version, setup, gates; in a gate: run, kind, tier, needs, inputs, report.',
    'All fields (cwd, env, timeout, blocking, ...): `sluice schema` prints the JSON Schema. For editors, save it (`sluice schema > sluice.schema.json`) and make this the first line:',
    '  # yaml-language-server: $schema=./sluice.schema.json',
  ];
}

function gateComment(gate: PlannedGate): string[] {
  return [`Why: ${gate.why}.`, ...gate.guesses.map((guess) => `guess: ${guess}.`)];
}
