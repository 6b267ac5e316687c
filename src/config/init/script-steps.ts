/**
 * Splits a package.json script into the simple commands it runs, following `npm run x`, `run-s` and friends,
 * so `sluice init` can give each tool a gate of its own, with its own report flags, and run each tool once.
 */

/** One simple command of a script, and the script that spells it. */
export interface ScriptStep {
  command: string;
  /** The package.json script whose text holds the command. */
  script: string;
  /** Set when the command runs a script that has a gate of its own (`npm run build`): it was not expanded. */
  gateScript?: string;
}

/** The steps of a script, or why it cannot be split safely (it stays one gate then). */
export type ScriptExpansion = { kind: 'steps'; steps: ScriptStep[] } | { kind: 'opaque'; reason: string };

export interface ExpandOptions {
  /** Whether `npm run x` also runs `prex` and `postx` (npm does; pnpm and yarn 2+ do not by default). */
  runsHooks: boolean;
  /** Scripts that have gates of their own: a call to one stays one step, marked `gateScript`. */
  gateScripts?: ReadonlySet<string>;
}

/** Scripts that call scripts that call scripts: beyond this depth the script is kept whole. */
const maxDepth = 6;

/** Expands script `name` of `scripts` into its simple commands, in the order they run. */
export function expandScript(
  scripts: Readonly<Record<string, string>>,
  name: string,
  options: ExpandOptions,
): ScriptExpansion {
  try {
    return { kind: 'steps', steps: expandNamed(scripts, name, options, [], true) };
  } catch (error) {
    if (error instanceof OpaqueScript) return { kind: 'opaque', reason: error.message };
    throw error;
  }
}

/** Thrown inside the expansion when a script cannot be split; caught by `expandScript`. */
class OpaqueScript extends Error {}

function expandNamed(
  scripts: Readonly<Record<string, string>>,
  name: string,
  options: ExpandOptions,
  chain: readonly string[],
  withHooks: boolean,
): ScriptStep[] {
  if (chain.includes(name)) throw new OpaqueScript(`script ${name} calls itself`);
  if (chain.length >= maxDepth) throw new OpaqueScript(`scripts nest deeper than ${maxDepth}`);
  const text = Object.hasOwn(scripts, name) ? scripts[name] : undefined;
  if (text === undefined) throw new OpaqueScript(`script ${name} is not in package.json`);
  const inner = [...chain, name];
  const own = splitAnd(text).flatMap((command) => expandCommand(scripts, name, command, options, inner));
  if (!(withHooks && options.runsHooks)) return own;
  const hook = (prefix: string): ScriptStep[] =>
    Object.hasOwn(scripts, `${prefix}${name}`) ? expandNamed(scripts, `${prefix}${name}`, options, inner, false) : [];
  return [...hook('pre'), ...own, ...hook('post')];
}

function expandCommand(
  scripts: Readonly<Record<string, string>>,
  script: string,
  command: string,
  options: ExpandOptions,
  chain: readonly string[],
): ScriptStep[] {
  const words = command.split(/\s+/).filter(Boolean);
  const referenced = scriptReferences(words, scripts);
  if (referenced === undefined) return [{ command, script }];
  // `npm-run-all` names are globs: `lint:*` is every script whose name starts with `lint:` and has no more colons.
  return referenced.flatMap((pattern) =>
    matchScripts(scripts, pattern).flatMap((name) =>
      options.gateScripts?.has(name)
        ? [{ command, script, gateScript: name }]
        : expandNamed(scripts, name, options, chain, true),
    ),
  );
}

/**
 * The script names a command runs, when it only runs scripts (`npm run a`, `pnpm b`, `run-s c d`); undefined
 * when it is a command of its own. Arguments passed on to a script make it opaque: they change what it runs.
 */
function scriptReferences(words: readonly string[], scripts: Readonly<Record<string, string>>): string[] | undefined {
  const [program, first, second, ...rest] = words;
  if (program === undefined) return undefined;
  const single = (name: string | undefined, after: readonly string[]): string[] => {
    if (name === undefined || name.startsWith('-')) throw new OpaqueScript(`"${words.join(' ')}" names no script`);
    if (after.length > 0) throw new OpaqueScript(`"${words.join(' ')}" passes arguments to script ${name}`);
    return [name];
  };
  switch (program) {
    case 'npm':
      if (first === 'run' || first === 'run-script') return single(second, rest);
      if (first === 'test' || first === 't') return single('test', second === undefined ? [] : [second, ...rest]);
      return undefined;
    case 'pnpm':
    case 'yarn':
    case 'bun':
      if (first === 'run') return single(second, rest);
      // `yarn lint` runs script lint, but `yarn eslint .` runs the eslint bin: only names of scripts count.
      if (program !== 'bun' && first !== undefined && Object.hasOwn(scripts, first)) {
        return single(first, second === undefined ? [] : [second, ...rest]);
      }
      return undefined;
    case 'run-s':
    case 'run-p':
    case 'npm-run-all': {
      const names = words.slice(1);
      // Options such as --continue-on-error or --npm-path change what runs; -s, -p and --serial do not.
      const unknown = names.find(
        (word) => word.startsWith('-') && !['-s', '-p', '--serial', '--parallel'].includes(word),
      );
      if (unknown) throw new OpaqueScript(`"${words.join(' ')}" uses ${unknown}`);
      return names.filter((word) => !word.startsWith('-')).map((word) => word.replace(/^["']|["']$/g, ''));
    }
    default:
      return undefined;
  }
}

/** The scripts a name or an npm-run-all glob (`lint:*`, `test:**`) matches, in package.json order. */
function matchScripts(scripts: Readonly<Record<string, string>>, pattern: string): string[] {
  if (!pattern.includes('*')) return [pattern];
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.+' : part === '*' ? '[^:]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const matcher = new RegExp(`^${source}$`);
  const names = Object.keys(scripts).filter((name) => matcher.test(name));
  if (names.length === 0) throw new OpaqueScript(`no script matches ${pattern}`);
  return names;
}

/**
 * The commands of a script joined by `&&`, outside quotes. Any other shell syntax (`||`, pipes, `;`, `&`,
 * subshells, redirections, substitutions) keeps the script whole: splitting would change what it does.
 */
function splitAnd(script: string): string[] {
  const commands: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let index = 0; index < script.length; index++) {
    const char = script[index] ?? '';
    if (quote) {
      if (char === quote) quote = undefined;
      current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      current += char;
      continue;
    }
    if (char === '&' && script[index + 1] === '&') {
      commands.push(current.trim());
      current = '';
      index++;
      continue;
    }
    if (/[|;&<>()`\n\\]/.test(char) || (char === '$' && script[index + 1] === '(')) {
      throw new OpaqueScript(`"${script}" uses shell syntax (${char}) that is kept whole`);
    }
    current += char;
  }
  if (quote) throw new OpaqueScript(`"${script}" has an unclosed quote`);
  commands.push(current.trim());
  if (commands.some((command) => command === '')) throw new OpaqueScript(`"${script}" has an empty command`);
  return commands;
}
