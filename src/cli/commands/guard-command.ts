import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import { hasBlockingFinding, runGuard } from '../../guard/run-guard.ts';
import { repoRootOf } from '../../workspace/repo-root.ts';
import { writeOut } from '../output/write.ts';

const help = `Usage: sluice guard [options]

Check the change from a base ref to the working tree (uncommitted and untracked files included) for
weakened tests: deleted test files or cases, added skip/only/todo markers, removed assertions.

Options:
  -C, --dir <path>   Run as if started in <path>
      --base <ref>   Compare against this ref (default: HEAD, i.e. the uncommitted work)
      --json         Print machine-readable findings only
  -h, --help         Show this help

Exit: 0 no blocking finding, 1 a blocking finding, 2 usage error.`;

/** `sluice guard`: flags -> runGuard -> findings -> exit code. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      dir: { type: 'string', short: 'C' },
      base: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument "${positionals[0]}"; see "sluice guard --help"`);
  const startDir = resolve(values.dir ?? '.');
  if (!existsSync(startDir)) throw new UsageError(`no such folder: ${startDir}`);
  const repoRoot = await repoRootOf(startDir);
  const result = await runGuard({ repoRoot, ...(values.base === undefined ? {} : { base: values.base }) });
  const blocked = hasBlockingFinding(result.findings);
  if (values.json) {
    writeOut(
      JSON.stringify(
        {
          verdict: blocked ? 'blocked' : 'passed',
          base: result.base,
          base_commit: result.baseCommit,
          findings: result.findings,
        },
        null,
        2,
      ),
    );
  } else if (result.findings.length === 0) {
    writeOut(`guard: no weakened tests since ${result.base}`);
  } else {
    for (const finding of result.findings) {
      const warning = finding.severity === 'warn' ? ' (warning)' : '';
      writeOut(`${finding.path}:${finding.line} ${finding.rule}${warning}: ${finding.message}`);
    }
  }
  return blocked ? 1 : 0;
}
