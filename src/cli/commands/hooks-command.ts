import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfigFile, loadConfig } from '../../config/config-file.ts';
import { UsageError } from '../../errors.ts';
import { chainedHookSuffix } from '../../hooks/git-hook-script.ts';
import type { GitHooksLocation } from '../../hooks/git-hooks.ts';
import type { InstallOutcome, UninstallOutcome } from '../../hooks/hooks-json.ts';
import type { SluiceInvocation } from '../../hooks/sluice-hook-commands.ts';
import { declareCommand } from '../declare-command.ts';
import { writeOut } from '../output/write.ts';

const targets = ['claude', 'codex', 'git'] as const;

/** `sluice hooks install|uninstall --claude --codex --git`: flags -> installers -> one line per change. */
export const command = declareCommand({
  name: 'hooks',
  description: `Put Sluice's gates in the way of an agent or of a commit. Name at least one target (--claude, --codex,
--git). Your own hooks and settings are kept, and installing twice changes nothing. Uninstall removes
exactly what install added: each file comes back as it was (or goes, when Sluice created it).`,
  flags: {
    dir: {
      type: 'string',
      alias: 'C',
      placeholder: 'path',
      description: 'The project folder (default: the current folder)',
    },
    claude: {
      type: 'boolean',
      description:
        'Claude Code, in .claude/settings.json: a Stop hook (the agent cannot end its turn while a blocking gate fails) and a PreToolUse hook on Write|Edit|MultiEdit|NotebookEdit|Bash',
    },
    codex: {
      type: 'boolean',
      description:
        "Codex, in .codex/hooks.json: the same two hooks. Codex runs a project's hooks only when the project is trusted and the hooks are reviewed (/hooks in codex); in automation: codex exec --trust --dangerously-bypass-hook-trust",
    },
    git: {
      type: 'boolean',
      description:
        'git: pre-commit runs the cheapest tier of gates and "sluice guard", pre-push runs every blocking gate. A hook already there (yours, lefthook\'s, husky\'s) is moved to <hook>.sluice-chained and runs first, with the same arguments and stdin; a failure of either refuses the commit or push. Honours core.hooksPath.',
    },
  },
  positionals: { placeholder: 'action', description: 'install | uninstall' },
  async run(values, positionals) {
    const [action, ...extra] = positionals;
    if ((action !== 'install' && action !== 'uninstall') || extra.length > 0) {
      throw new UsageError(
        `expected "sluice hooks install|uninstall --claude|--codex|--git"; run "sluice hooks --help"`,
      );
    }
    if (!targets.some((target) => values[target])) {
      throw new UsageError(
        'choose what to hook: --claude (Claude Code), --codex (Codex), --git (pre-commit and pre-push), or several',
      );
    }
    const projectDir = resolve(values.dir ?? '.');
    if (!existsSync(projectDir)) throw new UsageError(`no such folder: ${projectDir}`);
    // Everything that can refuse is checked before anything is written.
    const git = values.git ? await gitTarget(projectDir, action) : undefined;
    const invocation = thisSluice();

    if (values.claude) {
      const claude = await import('../../hooks/claude-settings.ts');
      const path = claude.claudeSettingsFile(projectDir).path;
      if (action === 'install') reportInstall(await claude.installClaudeHooks(projectDir, invocation), path);
      else reportUninstall(await claude.uninstallClaudeHooks(projectDir), path);
    }
    if (values.codex) {
      const codex = await import('../../hooks/codex-hooks.ts');
      const path = codex.codexHooksFile(projectDir).path;
      if (action === 'install') reportInstall(await codex.installCodexHooks(projectDir, invocation), path);
      else reportUninstall(await codex.uninstallCodexHooks(projectDir), path);
    }
    if (git) await runGitTarget(git, action, invocation);
    return 0;
  },
});

export const run = command.run;

interface GitTarget {
  location: GitHooksLocation;
  /** The lowest tier of sluice.yaml: what pre-commit runs (install only). */
  cheapTier: number;
}

async function gitTarget(projectDir: string, action: 'install' | 'uninstall'): Promise<GitTarget> {
  const { locateGitHooks } = await import('../../hooks/git-hooks.ts');
  const location = await locateGitHooks(projectDir);
  if (!location) throw new UsageError(`${projectDir} is not inside a git working tree; --git needs one`);
  if (action === 'uninstall') return { location, cheapTier: 0 };
  const configPath = findConfigFile(location.top);
  if (!configPath) {
    throw new UsageError(`no sluice.yaml in ${location.top} or above: the git hooks run its gates; run "sluice init"`);
  }
  const { config } = await loadConfig(configPath);
  return { location, cheapTier: Math.min(...Object.values(config.gates).map((gate) => gate.tier)) };
}

async function runGitTarget(git: GitTarget, action: 'install' | 'uninstall', invocation: SluiceInvocation) {
  const hooks = await import('../../hooks/git-hooks.ts');
  if (action === 'install') {
    for (const { path, outcome } of await hooks.installGitHooks(git.location, {
      invocation,
      cheapTier: git.cheapTier,
    })) {
      const note = outcome === 'chained' ? ` (the hook that was there runs first: ${path}${chainedHookSuffix})` : '';
      writeOut(`${outcome === 'unchanged' ? 'already installed' : outcome}: ${path}${note}`);
    }
    return;
  }
  for (const { path, outcome } of await hooks.uninstallGitHooks(git.location)) {
    const line: Record<typeof outcome, string> = {
      removed: `removed: ${path}`,
      restored: `restored: ${path} (the hook that was there before)`,
      'not-installed': `not installed: ${path}`,
      replaced: `left alone: ${path} is no longer Sluice's; the hook it had replaced is still in ${path}${chainedHookSuffix}`,
    };
    writeOut(line[outcome]);
  }
}

function reportInstall(outcome: InstallOutcome, path: string): void {
  writeOut(`${outcome === 'unchanged' ? 'already installed' : outcome}: Sluice's Stop and PreToolUse hooks in ${path}`);
}

function reportUninstall(outcome: UninstallOutcome, path: string): void {
  writeOut(`${outcome === 'not-installed' ? 'not installed' : outcome.replace('-', ' ')}: ${path}`);
}

/** This Node and this Sluice, by absolute paths: the hooks must not depend on the agent's or git's PATH. */
function thisSluice(): SluiceInvocation {
  return { node: process.execPath, bin: fileURLToPath(new URL('../../../bin/sluice.js', import.meta.url)) };
}
