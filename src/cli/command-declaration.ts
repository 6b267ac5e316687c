/** One flag as typed on the command line: `--<name>` (kebab-case), with an optional one-letter alias. */
export type FlagDeclaration = { description: string; alias?: string; hidden?: boolean } & (
  | { type: 'boolean' }
  | { type: 'string'; placeholder?: string; multiple?: boolean }
  /** A whole number >= `min` (default 1); anything else is a usage error naming the flag. */
  | { type: 'whole'; placeholder?: string; min?: number }
  | { type: 'enum'; values: readonly string[]; placeholder?: string }
);

type FlagValue<F extends FlagDeclaration> = F extends { type: 'boolean' }
  ? boolean
  : F extends { type: 'whole' }
    ? number
    : F extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : F extends { multiple: true }
        ? string[]
        : string;

/** The parsed flags under their kebab-case names; a flag not given is absent. */
export type FlagValues<D extends Record<string, FlagDeclaration>> = { [K in keyof D]?: FlagValue<D[K]> };

export interface CommandDeclaration<F extends Record<string, FlagDeclaration>> {
  /** As typed after `sluice`: "check"; its one-line summary is in the command list. */
  name: string;
  /** Paragraphs after the summary. */
  description?: string;
  flags: F;
  /** Words after the command; without this, any positional is a usage error. */
  positionals?: { placeholder: string; description: string };
  /** Printed after the flags in the help: where logs go, exit codes. */
  notes?: string;
  run(flags: FlagValues<F>, positionals: string[]): Promise<number>;
}

/** `-C, --dir <path>` as most commands take it: the repository to act on. */
export const repositoryDirFlag = {
  type: 'string',
  alias: 'C',
  placeholder: 'path',
  description: 'Repository folder (default: current folder)',
} as const satisfies FlagDeclaration;
