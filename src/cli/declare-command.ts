import { UsageError } from '../errors.ts';
import type { CommandDeclaration, FlagDeclaration, FlagValues } from './command-declaration.ts';
import { writeOut } from './output/write.ts';
import { parseFlags } from './parse-flags.ts';
import { parseWholeNumber } from './whole-number.ts';

export type { CommandDeclaration, FlagDeclaration, FlagValues } from './command-declaration.ts';

/** A command declared once: its flags, help and behaviour; `run` parses argv and returns the exit code. */
export interface DeclaredCommand {
  readonly declaration: CommandDeclaration<Record<string, FlagDeclaration>>;
  run(argv: string[]): Promise<number>;
  /** The generated help, for a command that answers a missing subcommand with it. */
  help(): Promise<string>;
}

/** Flags declared apart from their command, so the command's code can name their parsed type. */
export function declareFlags<const F extends Record<string, FlagDeclaration>>(flags: F): F {
  return flags;
}

/**
 * Declare a command: flags with kebab-case names, aliases, types and descriptions once. A valid
 * command line is parsed by parse-flags.ts, which costs nothing at start-up; `--help` and every
 * refused line go to the CLI library (Stricli, loaded then), which generates the help and words the
 * error with a "did you mean". Completion reads the same declaration.
 */
export function declareCommand<const F extends Record<string, FlagDeclaration>>(
  declaration: CommandDeclaration<F>,
): DeclaredCommand {
  const erased = declaration as unknown as CommandDeclaration<Record<string, FlagDeclaration>>;
  return {
    declaration: erased,
    async run(argv) {
      const parsed = parseFast(erased, argv);
      if (parsed.ok) return declaration.run(parsed.flags as FlagValues<F>, parsed.positionals);
      const { judgeWithStricli } = await import('./stricli-command.ts');
      const verdict = await judgeWithStricli(erased, argv);
      if (verdict.kind === 'help') {
        writeOut(verdict.text);
        return 0;
      }
      // Both parsers must take a line for it to run: where only Stricli took it, Node's error stands.
      throw verdict.kind === 'error'
        ? verdict.error
        : new UsageError(`${parsed.problem}; see "sluice ${declaration.name} --help"`);
    },
    async help() {
      const { helpOf } = await import('./stricli-command.ts');
      return helpOf(erased);
    },
  };
}

type FastParse = { ok: true; flags: Record<string, unknown>; positionals: string[] } | { ok: false; problem: string };

/** The command line as the declared flags read it (parse-flags.ts, strict like Node's parseArgs), or why not. */
function parseFast(declaration: CommandDeclaration<Record<string, FlagDeclaration>>, argv: string[]): FastParse {
  const parsed = parseFlags(declaration.flags, argv, declaration.positionals !== undefined);
  if (!parsed.ok) return parsed;
  if (parsed.help) return { ok: false, problem: 'help' };
  const flags: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(declaration.flags)) {
    const value = parsed.values[name];
    if (value === undefined) continue;
    if (flag.type === 'whole') flags[name] = parseWholeNumber(String(value), `--${name}`, flag.min ?? 1);
    else if (flag.type === 'enum' && !flag.values.includes(String(value))) {
      return { ok: false, problem: `--${name} expects one of ${flag.values.join(', ')}` };
    } else flags[name] = value;
  }
  return { ok: true, flags, positionals: parsed.positionals };
}
