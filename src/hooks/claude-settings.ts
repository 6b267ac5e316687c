import { join } from 'node:path';
import {
  type HooksJsonFile,
  type InstallOutcome,
  installHookEntries,
  type UninstallOutcome,
  uninstallHookEntries,
} from './hooks-json.ts';
import { type SluiceInvocation, sluiceAgentHooks } from './sluice-hook-commands.ts';

/** Where a project's Claude Code settings live, and where Sluice keeps what the file was before it. */
export function claudeSettingsFile(projectDir: string): HooksJsonFile {
  return {
    projectDir,
    path: join(projectDir, '.claude', 'settings.json'),
    beforePath: join(projectDir, '.sluice', 'claude-settings.before.json'),
  };
}

/**
 * Add Sluice's Stop and PreToolUse hooks to `.claude/settings.json`, keeping every other setting and
 * hook; idempotent, and uninstall gives the file back byte for byte.
 */
export function installClaudeHooks(projectDir: string, invocation: SluiceInvocation): Promise<InstallOutcome> {
  return installHookEntries(claudeSettingsFile(projectDir), sluiceAgentHooks(invocation));
}

/** Remove Sluice's hooks from `.claude/settings.json` (see `uninstallHookEntries`). */
export function uninstallClaudeHooks(projectDir: string): Promise<UninstallOutcome> {
  return uninstallHookEntries(claudeSettingsFile(projectDir));
}
