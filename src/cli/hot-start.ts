import { exitCodeOf } from './command-exit.ts';
import type { CommandModule } from './command-list.ts';
import { ignoreBrokenPipes, writeError } from './output/write.ts';

/** Node's own exit code for a top-level await that never settled, which main.ts would end with. */
const unsettledExitCode = 13;

/**
 * The process of one hot command (guard, check, hook) as bin/sluice.js starts it when it can: a
 * CommonJS bundle of that command alone (dist/cli/hot/, see scripts/build.mjs), without the CLI's
 * command list and Node's ES module loader. It answers as `runCli` does for that command: the same
 * flags, help, errors and exit codes (command-exit.ts).
 */
export function startHotCommand(command: CommandModule): void {
  ignoreBrokenPipes();
  let settled = false;
  // main.ts awaits at its top level, and Node ends with 13 when that never settles (a bug leaving nothing
  // to wait for). A bundle without that await would end with 0, a pass; it must not. As for that await, a
  // code set already stands (process.exit(130) on a second Ctrl-C, interrupt.ts).
  process.once('exit', () => {
    if (settled || process.exitCode !== undefined) return;
    writeError('sluice: internal error (please report it): the command ended without an exit code');
    process.exitCode = unsettledExitCode;
  });
  void exitCodeOf(() => command.run(process.argv.slice(3))).then((exitCode) => {
    settled = true;
    process.exitCode = exitCode;
  });
}
