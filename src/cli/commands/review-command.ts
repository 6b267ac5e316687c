import { readFile } from 'node:fs/promises';
import { UsageError } from '../../errors.ts';
import { type ApproveOutcome, approveChange } from '../../review/land-change.ts';
import { changeStatOf, formatReviewList, listReviewEntries } from '../../review/review-listing.ts';
import { findReviewTarget, rejectChange, requestChanges } from '../../review/review-queue.ts';
import type { RunStore } from '../../store/run-store.ts';
import { repositoryDirFlag } from '../command-declaration.ts';
import { type DeclaredCommand, declareCommand, declareFlags, type FlagValues } from '../declare-command.ts';
import { writeError, writeOut } from '../output/write.ts';
import { withInterruptSignal } from './interrupt.ts';
import { openProjectRunStore } from './open-run-store.ts';

const subcommands = ['list', 'show', 'approve', 'reject', 'changes'] as const;
type Subcommand = (typeof subcommands)[number];
const reviewFlags = declareFlags({
  dir: repositoryDirFlag,
  all: { type: 'boolean', description: 'list: also the decided ones' },
  json: { type: 'boolean', description: 'list: as JSON' },
  onto: {
    type: 'string',
    placeholder: 'branch',
    description: 'approve: land onto this branch instead of the base branch',
  },
  reason: { type: 'string', placeholder: 'text', description: 'reject: why (required)' },
  now: { type: 'boolean', description: 'changes: resume the run here instead of leaving it to "sluice work"' },
});
type ReviewFlags = FlagValues<typeof reviewFlags>;

/** `sluice review`: the human's side of the queue. */
export const command: DeclaredCommand = declareCommand({
  name: 'review',
  description: `Finished runs wait here for a human, with their evidence. <id> is a run id or a unique prefix of one.

  list [--all] [--json]            Waiting changes, oldest first, with their estimated review minutes
  show <id>                        The evidence report and the diff stat of the change
  approve <id> [--onto <branch>]   Rebase onto the base branch, re-run its gates, land (review.land:
                                   squash or fast-forward) or open a pull request (review.pull_request)
  reject <id> --reason "..."       Decline the change; its branch and worktree are kept
  changes <id> "<feedback>" [--now]
                                   Send the run back to the agent with your words as its next input;
                                   --now resumes it here instead of leaving it to "sluice work"`,
  flags: reviewFlags,
  positionals: {
    placeholder: 'command',
    description: 'list | show <id> | approve <id> | reject <id> | changes <id> "<feedback>"',
  },
  notes: `Exit: 0 decided (landed, rejected, sent back), 1 approve landed nothing (conflict, red gate, refused
checkout), 2 usage error (unknown or ambiguous id, nothing waiting, missing reason).`,
  run: review,
});

export const run = command.run;

async function review(values: ReviewFlags, positionals: string[]): Promise<number> {
  const [name, id, ...words] = positionals;
  if (name === undefined) {
    writeError(await command.help());
    return 2;
  }
  if (!subcommands.includes(name as Subcommand)) {
    throw new UsageError(`unknown review command "${name}"; use ${subcommands.join(', ')}`);
  }
  if (name !== 'list' && !id)
    throw new UsageError(`sluice review ${name} needs a run id; "sluice review list" shows them`);
  const store = await openProjectRunStore(values.dir);
  try {
    switch (name as Subcommand) {
      case 'list': {
        const entries = await listReviewEntries(store, { all: values.all ?? false });
        writeOut(values.json ? JSON.stringify(entries, null, 2) : formatReviewList(entries, new Date()).join('\n'));
        return 0;
      }
      case 'show':
        return await show(store, id ?? '');
      case 'approve': {
        const target = await findReviewTarget(store, id ?? '', { waiting: true });
        const onto = values.onto;
        const outcome = await withInterruptSignal((signal) =>
          approveChange(store, target, { ...(onto ? { onto } : {}), signal }),
        );
        return reportApproval(outcome, target.run.branch);
      }
      case 'reject': {
        if (values.reason === undefined) throw new UsageError('sluice review reject needs --reason "why"');
        const target = await findReviewTarget(store, id ?? '', { waiting: true });
        await rejectChange(store, target, values.reason);
        writeOut(`rejected ${target.run.id}; branch ${target.run.branch} and worktree ${target.run.worktreePath} kept`);
        return 0;
      }
      case 'changes': {
        const feedback = words.join(' ').trim();
        const target = await findReviewTarget(store, id ?? '', { waiting: true });
        await requestChanges(store, target, feedback);
        writeOut(`changes requested on ${target.run.id}: the run is reopened on ${target.run.branch}`);
        if (!values.now) {
          writeOut('"sluice work" (or "sluice resume <id>") gives the agent your words as its next input');
          return 0;
        }
        await store.close();
        const resume = await import('./resume-command.ts');
        return await resume.run([target.run.id, ...(values.dir ? ['-C', values.dir] : [])]);
      }
    }
  } finally {
    await store.close();
  }
}

async function show(store: RunStore, id: string): Promise<number> {
  const { run, item } = await findReviewTarget(store, id, { waiting: false });
  const evidence = await readFile(item.evidencePath, 'utf8').catch(
    () => `(the evidence report ${item.evidencePath} is missing)\n`,
  );
  const decided = item.decidedAt ? ` · decided ${item.status} at ${item.decidedAt}` : '';
  writeOut(
    [
      `review of run ${run.id} (round ${item.round}): ${item.status} · ${item.costExplanation}${decided}`,
      ...(item.decisionNote ? [`note: ${item.decisionNote}`] : []),
      '',
      evidence.trimEnd(),
      '',
      '## Diff',
      '',
      (await changeStatOf(run)).trimEnd() || '(no change)',
    ].join('\n'),
  );
  return 0;
}

function reportApproval(outcome: ApproveOutcome, branch: string): number {
  switch (outcome.status) {
    case 'landed':
      writeOut(
        outcome.mode === 'already-there'
          ? `nothing to land: ${outcome.base} already holds the change`
          : `landed ${outcome.commit.slice(0, 12)} on ${outcome.base}`,
      );
      return 0;
    case 'pull-request':
      writeOut(`pull request ${outcome.url} (${branch} onto ${outcome.base})`);
      return 0;
    case 'conflict':
      writeError(`sluice: not landed: ${outcome.note}`);
      return 1;
    case 'gates-failed':
      writeError(
        `sluice: not landed: ${outcome.note}\n\n${outcome.sentBack ? 'The run goes back to the agent with this feedback (task: rework).' : `Branch ${branch} keeps the change, rebased; the item is land-failed.`}`,
      );
      return 1;
    case 'not-landed':
      writeError(`sluice: ${outcome.note}`);
      return 1;
    case 'cancelled':
      writeError('sluice: approve cancelled; nothing was landed or decided');
      return 130;
  }
}
