import { commandArgs, narrowingOptionsOf } from './command-args.ts';
import { quoteWord, type SimpleCommand } from './shell-words.ts';

interface CommandPair {
  before: SimpleCommand;
  after: SimpleCommand;
}

/**
 * What the change from `before` to `after` does to the tests a command line runs, one sentence per way it
 * narrows them: a command dropped, a failure masked, a filter option added, a test path taken away.
 * Reordered words, other quoting, and new commands or options that run more are not narrowing.
 */
export function commandNarrowings(before: readonly SimpleCommand[], after: readonly SimpleCommand[]): string[] {
  const { pairs, dropped } = matchCommands(before, after);
  return [
    ...dropped.map((command) => `\`${commandText(command)}\` no longer runs`),
    ...pairs.flatMap(({ before, after }) => pairNarrowings(before, after)),
  ];
}

/** A command as it could be typed again. */
export function commandText(command: SimpleCommand): string {
  return command.words.map(quoteWord).join(' ');
}

/** Pair each command of `before` with the same command in `after`, else with the most alike of the same program. */
function matchCommands(before: readonly SimpleCommand[], after: readonly SimpleCommand[]) {
  const unmatched = [...after];
  const pairs: CommandPair[] = [];
  const inexact: SimpleCommand[] = [];
  for (const command of before) {
    const index = unmatched.findIndex((candidate) => commandText(candidate) === commandText(command));
    if (index === -1) inexact.push(command);
    else pairs.push({ before: command, after: unmatched.splice(index, 1)[0] ?? command });
  }
  const dropped: SimpleCommand[] = [];
  for (const command of inexact) {
    const program = commandArgs(command.words).program;
    let best = -1;
    let bestShared = -1;
    unmatched.forEach((candidate, index) => {
      if (commandArgs(candidate.words).program !== program) return;
      const shared = candidate.words.filter((word) => command.words.includes(word)).length;
      if (shared > bestShared) [best, bestShared] = [index, shared];
    });
    const match = best === -1 ? undefined : unmatched.splice(best, 1)[0];
    if (match) pairs.push({ before: command, after: match });
    else dropped.push(command);
  }
  return { pairs, dropped };
}

function pairNarrowings(before: SimpleCommand, after: SimpleCommand): string[] {
  const effects: string[] = [];
  const name = `\`${commandText(after)}\``;
  if (after.maskedBy && !before.maskedBy) effects.push(`${name}: its failure is now ignored (${after.maskedBy})`);
  const was = commandArgs(before.words);
  const now = commandArgs(after.words);
  const wasFiltered = narrowingOptionsOf(was);
  for (const [option, values] of narrowingOptionsOf(now)) {
    const old = wasFiltered.get(option);
    if (old && sameMembers(old, values)) continue;
    const shown = values.map((value) => (value === '' ? option : `${option} ${quoteWord(value)}`)).join(' ');
    effects.push(`${name} ${old ? 'changed its filter to' : 'gained'} \`${shown}\``);
  }
  const removed = was.positionals.filter((word) => !now.positionals.includes(word));
  const added = now.positionals.filter((word) => !was.positionals.includes(word));
  // Dropping every path runs the whole suite, except for go, where no package pattern means the current one.
  const narrowed = now.positionals.length > 0 || removed.some((word) => word.includes('...'));
  if (removed.length > 0 && narrowed) effects.push(`${name} no longer gets ${listWords(removed)}`);
  else if (added.length > 0 && was.positionals.length === 0) effects.push(`${name} now runs only ${listWords(added)}`);
  return effects;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

function listWords(words: readonly string[]): string {
  return words.map((word) => `\`${quoteWord(word)}\``).join(', ');
}
