import type { FlagDeclaration } from './command-declaration.ts';

/** A command line as the declared flags read it: values under the flags' names, and the other words. */
export type ParsedFlags =
  | { ok: true; values: Record<string, string | boolean | string[]>; positionals: string[]; help: boolean }
  | { ok: false; problem: string };

/**
 * Read argv strictly, as Node's `util.parseArgs` does with `strict: true` (importing `node:util` loads a
 * dozen internal modules every command would pay for): `--name`, `--name=value`, `--name value`, `-n
 * value`, `-nvalue`, grouped boolean short flags (`-ab`), `--` ending the flags, `-h`/`--help`. A string
 * flag's value may not look like a flag (`--dir -x` is refused; `--dir=-x` is taken). A repeated flag
 * keeps its last value unless declared `multiple`. Anything else is a problem, worded by the caller.
 */
export function parseFlags(
  flags: Readonly<Record<string, FlagDeclaration>>,
  argv: readonly string[],
  allowPositionals: boolean,
): ParsedFlags {
  const byAlias = new Map<string, string>();
  for (const [name, flag] of Object.entries(flags)) if (flag.alias) byAlias.set(flag.alias, name);
  const values: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  let help = false;

  const set = (name: string, value: string | boolean): void => {
    const flag = flags[name];
    if (flag?.type === 'string' && flag.multiple) {
      const list = values[name];
      values[name] = [...(Array.isArray(list) ? list : []), String(value)];
    } else values[name] = value;
  };
  const takesValue = (name: string) => flags[name] !== undefined && flags[name].type !== 'boolean';

  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] as string;
    if (word === '--') {
      const rest = argv.slice(index + 1);
      if (rest.length > 0 && !allowPositionals) return { ok: false, problem: `Unexpected argument '${rest[0]}'` };
      positionals.push(...rest);
      break;
    }
    if (word.startsWith('--')) {
      const equals = word.indexOf('=');
      const name = equals === -1 ? word.slice(2) : word.slice(2, equals);
      if (name === 'help' && equals === -1) {
        help = true;
        continue;
      }
      if (!Object.hasOwn(flags, name)) return { ok: false, problem: `Unknown option '--${name}'` };
      if (!takesValue(name)) {
        if (equals !== -1) return { ok: false, problem: `Option '--${name}' does not take an argument` };
        set(name, true);
        continue;
      }
      if (equals !== -1) {
        set(name, word.slice(equals + 1));
        continue;
      }
      const value = argv[index + 1];
      if (value === undefined || looksLikeFlag(value)) return { ok: false, problem: missingValue(name, value) };
      set(name, value);
      index++;
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let at = 1; at < word.length; at++) {
        const letter = word[at] as string;
        if (letter === 'h') {
          help = true;
          continue;
        }
        const name = byAlias.get(letter);
        if (name === undefined) return { ok: false, problem: `Unknown option '-${letter}'` };
        if (!takesValue(name)) {
          set(name, true);
          continue;
        }
        const rest = word.slice(at + 1);
        if (rest !== '') {
          set(name, rest);
          break;
        }
        const value = argv[index + 1];
        if (value === undefined || looksLikeFlag(value)) return { ok: false, problem: missingValue(name, value) };
        set(name, value);
        index++;
        break;
      }
      continue;
    }
    if (!allowPositionals) return { ok: false, problem: `Unexpected argument '${word}'` };
    positionals.push(word);
  }
  return { ok: true, values, positionals, help };
}

function looksLikeFlag(value: string): boolean {
  return value.startsWith('-') && value !== '-';
}

function missingValue(name: string, value: string | undefined): string {
  return value === undefined
    ? `Option '--${name}' argument missing`
    : `Option '--${name}' argument is ambiguous: '${value}' looks like a flag; write --${name}=${value} to mean it`;
}
