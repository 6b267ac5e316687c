/** Every tracked file that differs between revision `from` and `to` (absent: the working tree). */
export interface GitTreeChange {
  from: string;
  to?: string;
}

/** Global git options whose next word is their value (`git -C dir status`). */
const globalValueOptions = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']);

/**
 * The working-tree files a git command (its arguments after `git`) rewrites: named paths (`checkout -- f`,
 * `restore f`, `rm`, `mv`), or every file that differs between two revisions (`reset --hard`, `stash`,
 * `checkout <branch>`, `cherry-pick`), which only the repository can list.
 */
export function gitCommandWrites(args: readonly string[]): { files: string[]; trees: GitTreeChange[] } {
  let start = 0;
  while (start < args.length && (args[start] ?? '').startsWith('-')) {
    start += globalValueOptions.has(args[start] ?? '') ? 2 : 1;
  }
  const subcommand = args[start] ?? '';
  const rest = args.slice(start + 1);
  const dashDash = rest.indexOf('--');
  const before = dashDash === -1 ? rest : rest.slice(0, dashDash);
  const after = dashDash === -1 ? [] : rest.slice(dashDash + 1);
  const operands = before.filter((word) => !word.startsWith('-'));
  const none = { files: [], trees: [] };
  switch (subcommand) {
    case 'rm':
    case 'mv':
      return { files: [...operands, ...after], trees: [] };
    case 'checkout':
      return checkout(before, operands, after);
    case 'switch': {
      const created = before.some((word) => /^-[cC]$|^--(force-)?create$/.test(word));
      const target = created ? operands[1] : operands[0];
      return target ? { files: [], trees: [{ from: target }] } : none;
    }
    case 'restore': {
      const staged = before.some((word) => word === '--staged' || word === '-S');
      const worktree = before.some((word) => word === '--worktree' || word === '-W');
      if (staged && !worktree) return none;
      const source = optionArgument(before, '-s', '--source');
      return { files: [...operands.filter((word) => word !== source), ...after], trees: [] };
    }
    case 'reset': {
      if (!before.some((word) => ['--hard', '--merge', '--keep'].includes(word))) return none;
      return { files: [], trees: [{ from: operands[0] ?? 'HEAD' }] };
    }
    case 'stash':
      return stash(rest);
    case 'cherry-pick':
    case 'revert':
      return { files: [], trees: operands.map((revision) => ({ from: `${revision}^`, to: revision })) };
    default:
      return none;
  }
}

function checkout(before: readonly string[], operands: readonly string[], after: readonly string[]) {
  // `-b name [start]`: the new branch's name is not a path.
  const creates = before.some((word) => /^-[bB]$|^--orphan$/.test(word));
  const named = creates ? operands.slice(1) : operands;
  if (after.length > 0) return { files: [...after], trees: [] };
  // `git checkout x`: a branch to switch to or a path to restore, whichever the repository has.
  const trees = named.length >= 1 ? [{ from: named[0] ?? 'HEAD' }] : [];
  return { files: [...named], trees };
}

function stash(rest: readonly string[]) {
  const action = rest[0] && !rest[0].startsWith('-') ? rest[0] : 'push';
  if (action === 'pop' || action === 'apply') {
    const reference = rest.slice(1).find((word) => !word.startsWith('-')) ?? 'stash@{0}';
    return { files: [], trees: [{ from: `${reference}^1`, to: reference }] };
  }
  if (action !== 'push' && action !== 'save') return { files: [], trees: [] };
  const dashDash = rest.indexOf('--');
  if (dashDash !== -1) return { files: rest.slice(dashDash + 1), trees: [] };
  return { files: [], trees: [{ from: 'HEAD' }] };
}

function optionArgument(words: readonly string[], short: string, long: string): string | undefined {
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    if (word === short || word === long) return words[index + 1];
    if (word.startsWith(`${long}=`)) return word.slice(long.length + 1);
    if (word.startsWith(short) && word.length > short.length) return word.slice(short.length);
  }
  return undefined;
}
