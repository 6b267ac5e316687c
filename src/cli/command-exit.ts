import { SluiceError } from '../errors.ts';
import { writeError } from './output/write.ts';

/** Errors that mean "fix what you typed or where you are", answered with exit 2 like a bad flag. */
const userInputErrors = new Set([
  'CONFIG_INVALID',
  'USAGE',
  'GIT_NOT_A_REPOSITORY',
  'GIT_WORKTREE_REDIRECTED',
  'GIT_REF_NOT_FOUND',
  'RUN_NOT_FOUND',
]);

/** A bug in Sluice is not a failed gate: hooks and scripts must be able to tell them apart. */
const internalErrorExitCode = 70;

/**
 * A command's exit code, a thrown error reported as every command reports it. Shared by the CLI
 * (run-cli.ts) and the fast starts of the hot commands (hot-start.ts), so both answer alike.
 */
export async function exitCodeOf(command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    return reportError(error);
  }
}

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
