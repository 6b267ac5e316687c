import { closestMatch } from '../config/suggest.ts';
import { SluiceError } from '../errors.ts';
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
  try {
    const command =
      name === 'completion' ? await import('./commands/completion-command.ts') : await commandLoaders[name]();
    return await command.run(rest);
  } catch (error) {
    return reportError(error);
  }
}

/** Errors that mean "fix what you typed or where you are", answered with exit 2 like a bad flag. */
const userInputErrors = new Set([
  'CONFIG_INVALID',
  'USAGE',
  'GIT_NOT_A_REPOSITORY',
  'GIT_REF_NOT_FOUND',
  'RUN_NOT_FOUND',
]);

/** A bug in Sluice is not a failed gate: hooks and scripts must be able to tell them apart. */
const internalErrorExitCode = 70;

function reportError(error: unknown): number {
  if (error instanceof SluiceError) {
    writeError(`sluice: ${error.message}`);
    return userInputErrors.has(error.code) ? 2 : 1;
  }
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    writeError(`sluice: ${error.message}`);
    return 2;
  }
  writeError(
    `sluice: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return internalErrorExitCode;
}

async function readVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
