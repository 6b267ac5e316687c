import { UsageError } from '../../errors.ts';
import { commandLoaders } from '../command-list.ts';
import { commandSummaries, isCommandName } from '../command-summaries.ts';
import { declareCommand } from '../declare-command.ts';

const shells = ['bash', 'zsh', 'fish', 'powershell'];

/**
 * `sluice completion <shell>` prints a script that asks `sluice completion complete -- <words>` on
 * every Tab; that call loads the list of commands and, once one is typed, that command's flags only.
 */
export const command = declareCommand({
  name: 'completion',
  description:
    'Bash: source <(sluice completion bash) in ~/.bashrc. Zsh: source <(sluice completion zsh) in ~/.zshrc.\n' +
    'Fish: sluice completion fish > ~/.config/fish/completions/sluice.fish.',
  flags: {},
  positionals: { placeholder: 'shell', description: shells.join(' | ') },
  async run(_flags, [shell, ...words]) {
    if (shell === 'complete') return complete(words);
    if (shell === undefined || !shells.includes(shell) || words.length > 0) {
      throw new UsageError(`sluice completion needs one shell: ${shells.join(', ')}`);
    }
    const { RootCommand } = await import('@bomb.sh/tab');
    new RootCommand().setup('sluice', 'sluice completion', shell);
    return 0;
  },
});

export const run = command.run;

/** The candidates for the last of `words` (the words typed after `sluice`), in the shell scripts' format. */
async function complete(words: string[]): Promise<number> {
  const { RootCommand } = await import('@bomb.sh/tab');
  const root = new RootCommand();
  for (const [name, summary] of Object.entries(commandSummaries)) root.command(name, summary);
  const typed = words.slice(0, -1).find((word) => !word.startsWith('-'));
  const completed = typed !== undefined && isCommandName(typed) ? root.commands.get(typed) : undefined;
  if (completed && typed !== undefined && isCommandName(typed)) {
    const declared = typed === 'completion' ? command.declaration : (await commandLoaders[typed]()).command.declaration;
    for (const [name, flag] of Object.entries(declared.flags)) {
      if (flag.hidden) continue;
      if (flag.type === 'boolean') completed.option(name, flag.description, ...(flag.alias ? [flag.alias] : []));
      else {
        const values = flag.type === 'enum' ? flag.values : [];
        completed.option(
          name,
          flag.description,
          (offer) => {
            for (const value of values) offer(value, '');
          },
          flag.alias,
        );
      }
    }
    completed.option('help', 'Show the help of this command', 'h');
  }
  root.parse(words);
  return 0;
}
