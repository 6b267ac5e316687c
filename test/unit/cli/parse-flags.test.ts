import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FlagDeclaration } from '../../../src/cli/command-declaration.ts';
import { parseFlags } from '../../../src/cli/parse-flags.ts';

const flags = {
  dir: { type: 'string', alias: 'C', description: 'folder' },
  gate: { type: 'string', alias: 'g', multiple: true, description: 'gate' },
  json: { type: 'boolean', description: 'json' },
  quiet: { type: 'boolean', alias: 'q', description: 'quiet' },
  verbose: { type: 'boolean', alias: 'v', description: 'verbose' },
  concurrency: { type: 'whole', alias: 'j', description: 'jobs' },
  land: { type: 'enum', values: ['squash', 'fast-forward'], description: 'how' },
} as const satisfies Record<string, FlagDeclaration>;

/** The same flags as Node's parseArgs takes them: the reference the parser must agree with. */
function nodeParse(argv: string[], allowPositionals: boolean) {
  const options: ParseArgsOptionsConfig = { help: { type: 'boolean', short: 'h' } };
  for (const [name, flag] of Object.entries(flags as Record<string, FlagDeclaration>)) {
    options[name] = {
      type: flag.type === 'boolean' ? 'boolean' : 'string',
      ...(flag.alias ? { short: flag.alias } : {}),
      ...(flag.type === 'string' && flag.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals });
    const { help, ...rest } = values;
    return { ok: true, values: { ...rest }, positionals, help: help === true };
  } catch {
    return { ok: false };
  }
}

const lines: string[][] = [
  [],
  ['--json'],
  ['--dir', 'src'],
  ['--dir=src'],
  ['--dir=-x'],
  ['--dir', '-x'],
  ['--dir'],
  ['-C', 'src'],
  ['-Csrc'],
  ['-C'],
  ['-qv'],
  ['-qvC', 'src'],
  ['-qvCsrc'],
  ['-j4'],
  ['-j', '4'],
  ['--gate', 'a', '-g', 'b', '--gate=c'],
  ['--dir', 'a', '--dir', 'b'],
  ['--json=yes'],
  ['--nope'],
  ['-z'],
  ['goal'],
  ['goal', '--json', 'more'],
  ['--', '--json', '-C'],
  ['--json', '--', 'x'],
  ['-'],
  ['--dir', '-'],
  ['-h'],
  ['--help'],
  ['--land', 'squash'],
  ['--dir', ''],
];

describe('parseFlags', () => {
  it.each(lines)('agrees with Node parseArgs (strict) on %j', (...argv) => {
    for (const allowPositionals of [true, false]) {
      const ours = parseFlags(flags, argv, allowPositionals);
      const reference = nodeParse(argv, allowPositionals);
      if (!reference.ok) {
        expect(ours.ok).toBe(false);
        continue;
      }
      expect(ours).toEqual(reference);
    }
  });

  it('says which flag is missing its value and which one it does not know', () => {
    expect(parseFlags(flags, ['--dir'], false)).toEqual({ ok: false, problem: "Option '--dir' argument missing" });
    expect(parseFlags(flags, ['-C'], false)).toEqual({ ok: false, problem: "Option '--dir' argument missing" });
    expect(parseFlags(flags, ['--jsno'], false)).toEqual({ ok: false, problem: "Unknown option '--jsno'" });
    expect(parseFlags(flags, ['extra'], false)).toEqual({ ok: false, problem: "Unexpected argument 'extra'" });
  });
});
