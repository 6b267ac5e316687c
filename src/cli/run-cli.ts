import { closestMatch } from '../config/suggest.ts';
import { exitCodeOf } from './command-exit.ts';
import { commandLoaders } from './command-list.ts';
import { commandSummaries, isCommandName } from './command-summaries.ts';
import { writeError, writeOut } from './output/write.ts';

/** `sluice --help`, generated from the command list. */
function usage(): string {
  const width = Math.max(...Object.keys(commandSummaries).map((name) => name.length)) + 2;
  const lines = Object.entries(commandSummaries).map(([name, summary]) => `  ${name.padEnd(width)}${summary}`);
  return `sluice — backpressure for AI coding agents

Usage: sluice <command> [options]

Commands:
${lines.join('\n')}

Run "sluice <command> --help" for its options.
Exit codes: 0 passed, 1 a blocking gate failed, 2 usage or config error, 70 internal error,
75 a workflow waits for a human approval, 130 cancelled.`;
}

/** Translate argv into a command and its exit code; the only place that decides how Sluice exits. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    writeError(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    writeOut(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    writeOut(await readVersion());
    return 0;
  }
  if (!isCommandName(name)) {
    const close = closestMatch(name, Object.keys(commandSummaries));
    writeError(`sluice: unknown command "${name}"${close ? `; did you mean "${close}"?` : ''}\n\n${usage()}`);
    return 2;
  }
  return exitCodeOf(async () => {
    const command =
      name === 'completion' ? await import('./commands/completion-command.ts') : await commandLoaders[name]();
    return command.run(rest);
  });
}

async function readVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
