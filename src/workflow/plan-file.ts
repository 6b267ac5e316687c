// The plan file of `sluice plan` (plans/<slug>.md), read by code: its shape is checked here, never
// taken from the agent that wrote it. The shape, as the writer is told:
//
//   ## Phase 1: <title>            (add " [hard]" for a phase that needs the stronger model)
//   - [ ] a task                   (checkboxes the phase's agent ticks; notes may follow)
//   Acceptance:
//   - what must be true
//   Proof:
//   - `a command that exits 0 when it is`

/** Most phases a plan may have: more is a sign the plan is a task list, not phases. */
export const maxPlanPhases = 12;

export interface PlanPhase {
  number: number;
  title: string;
  hard: boolean;
  acceptance: string[];
  /** Commands that prove the phase: each becomes an acceptance command of its run. */
  proof: string[];
}

export type PlanCheck = { ok: true; phases: PlanPhase[] } | { ok: false; problems: string[] };

const phaseHeading = /^##\s+Phase\s+(\d+)\s*[:.-]\s*(.*?)\s*$/i;
const hardMark = /\s*\[hard\]\s*$/i;
const listItem = /^\s*[-*]\s+(?:\[[ xX]\]\s+)?(.*\S)\s*$/;

/** Check a plan's text; each problem names its line where it has one. */
export function checkPlan(text: string): PlanCheck {
  const lines = text.split('\n');
  const problems: string[] = [];
  const phases: PlanPhase[] = [];
  let current: (PlanPhase & { line: number }) | undefined;
  let section: 'tasks' | 'acceptance' | 'proof' = 'tasks';
  const close = () => {
    if (!current) return;
    const where = `line ${current.line}: phase ${current.number}`;
    if (current.title === '') problems.push(`${where} has no title ("## Phase ${current.number}: <title>")`);
    if (current.acceptance.length === 0) {
      problems.push(`${where} has no acceptance criteria (an "Acceptance:" line, then "- ..." items)`);
    }
    if (current.proof.length === 0) {
      problems.push(`${where} has no proof (a "Proof:" line, then "- \`command\`" items that exit 0 when it is done)`);
    }
    const { line: _line, ...phase } = current;
    phases.push(phase);
  };
  for (const [index, line] of lines.entries()) {
    const at = index + 1;
    const heading = phaseHeading.exec(line);
    if (heading) {
      close();
      const number = Number(heading[1]);
      const expected = phases.length + 1;
      if (number !== expected) problems.push(`line ${at}: phase ${number} should be numbered ${expected}`);
      const raw = heading[2] ?? '';
      current = {
        line: at,
        number: expected,
        title: raw.replace(hardMark, ''),
        hard: hardMark.test(raw),
        acceptance: [],
        proof: [],
      };
      section = 'tasks';
      continue;
    }
    if (/^#{1,2}\s/.test(line)) {
      close();
      current = undefined;
      continue;
    }
    if (!current) continue;
    if (/^\s*\**acceptance( criteria)?\**\s*:?\s*\**\s*$/i.test(line)) {
      section = 'acceptance';
      continue;
    }
    if (/^\s*\**(proof|prove it|commands)\**\s*:?\s*\**\s*$/i.test(line)) {
      section = 'proof';
      continue;
    }
    if (/^\s*\**notes\**\s*:?\s*\**\s*$/i.test(line)) {
      section = 'tasks';
      continue;
    }
    const item = listItem.exec(line)?.[1];
    if (item === undefined) continue;
    if (section === 'acceptance') current.acceptance.push(item);
    if (section === 'proof') {
      const command = /^`([^`]+)`$/.exec(item)?.[1]?.trim();
      if (command && provesNothing(command)) {
        problems.push(`line ${at}: \`${command}\` succeeds whatever the code does; a proof must be able to fail`);
      } else if (command) current.proof.push(command);
      else problems.push(`line ${at}: a proof is one command in backquotes, e.g. - \`npm test\`; got "${item}"`);
    }
  }
  close();
  if (phases.length === 0) problems.push('no phases: each phase is a heading "## Phase <n>: <title>"');
  if (phases.length > maxPlanPhases) problems.push(`${phases.length} phases; at most ${maxPlanPhases}`);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, phases };
}

/**
 * A command that exits 0 whatever the code does: `true`, `:`, `exit 0`, an `echo`, or anything whose
 * failure is swallowed (`... || true`, `...; exit 0`). Such a "proof" would let a phase end done
 * without doing anything, so the plan is sent back.
 */
export function provesNothing(command: string): boolean {
  const trimmed = command.trim();
  if (/^(true|:|exit(\s+0)?|echo(\s.*)?|printf(\s.*)?)$/.test(trimmed)) return true;
  return /(\|\|\s*(true|:|exit(\s+0)?|echo\b.*)|;\s*(true|:|exit\s+0))\s*$/.test(trimmed);
}

/**
 * The phases as `for_each` items of the plan workflow: the cheap model unless the plan marks the
 * phase hard; its proof commands become the run's acceptance commands.
 */
export function phaseItems(
  phases: readonly PlanPhase[],
  models: { cheap?: string | undefined; strong?: string | undefined },
): Array<Record<string, string | string[]>> {
  return phases.map((phase) => {
    const model = phase.hard ? (models.strong ?? models.cheap) : models.cheap;
    return {
      title: phase.title,
      difficulty: phase.hard ? 'hard' : 'normal',
      acceptance: phase.acceptance.map((line) => `- ${line}`).join('\n'),
      model: model ?? '',
      accept: phase.proof,
    };
  });
}
