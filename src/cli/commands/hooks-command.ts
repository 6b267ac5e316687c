import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import { writeOut } from '../output/write.ts';

const help = `Usage: sluice hooks install|uninstall --claude [options]

Install or remove Sluice's Stop hook in .claude/settings.json: Claude Code then cannot end its
turn while a blocking gate fails. The user's own hooks and settings are kept; uninstall leaves the
file as it was before install (or removes it, when Sluice created it).

Options:
  -C, --dir <path>   The project folder holding .claude/ (default: the current folder)
      --claude       Claude Code (.claude/settings.json)
  -h, --help         Show this help`;

/** `sluice hooks install|uninstall --claude`: flags -> settings merge -> one line of output. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      dir: { type: 'string', short: 'C' },
      claude: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  const [action, ...extra] = positionals;
  if ((action !== 'install' && action !== 'uninstall') || extra.length > 0) {
    throw new UsageError(`expected "sluice hooks install|uninstall --claude"; run "sluice hooks --help"`);
  }
  if (!values.claude) throw new UsageError('choose the agent: --claude (the only one supported so far)');
  const projectDir = resolve(values.dir ?? '.');
  const settings = await import('../../hooks/claude-settings.ts');
  const path = settings.claudeSettingsPaths(projectDir).settings;
  if (action === 'install') {
    const outcome = await settings.installClaudeStopHook(projectDir, stopHookCommand());
    writeOut(`${outcome === 'unchanged' ? 'already installed' : outcome}: Sluice's Stop hook in ${path}`);
  } else {
    const outcome = await settings.uninstallClaudeStopHook(projectDir);
    writeOut(`${outcome === 'not-installed' ? 'not installed' : outcome.replace('-', ' ')}: ${path}`);
  }
  return 0;
}

/** This Node and this Sluice, by absolute paths: the hook must not depend on the agent's PATH. */
function stopHookCommand(): string {
  const bin = fileURLToPath(new URL('../../../bin/sluice.js', import.meta.url));
  return `${shellQuote(process.execPath)} ${shellQuote(bin)} hook stop`;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
