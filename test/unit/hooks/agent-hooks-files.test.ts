import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeSettingsFile, installClaudeHooks, uninstallClaudeHooks } from '../../../src/hooks/claude-settings.ts';
import { codexHooksFile, installCodexHooks, uninstallCodexHooks } from '../../../src/hooks/codex-hooks.ts';
import type { InstallOutcome, UninstallOutcome } from '../../../src/hooks/hooks-json.ts';
import type { SluiceInvocation } from '../../../src/hooks/sluice-hook-commands.ts';
import { tempDir } from '../../support/temp-dir.ts';

const sluice: SluiceInvocation = { node: '/usr/bin/node', bin: '/opt/sluice/bin/sluice.js' };
const stopCommand = '/usr/bin/node /opt/sluice/bin/sluice.js hook stop';
const preToolUseCommand = '/usr/bin/node /opt/sluice/bin/sluice.js hook pre-tool-use';
const matcher = 'Write|Edit|MultiEdit|NotebookEdit|Bash';

/** A user's file, formatted their way (tabs, key order), with a Stop hook and a PreToolUse hook of their own. */
const userFile = `{
\t"model": "opus",
\t"hooks": {
\t\t"Stop": [{ "hooks": [{ "type": "command", "command": "say done" }] }],
\t\t"PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "audit" }] }]
\t},
\t"permissions": { "allow": ["Bash(npm test)"] }
}
`;

interface Agent {
  name: string;
  path: (dir: string) => string;
  install: (dir: string, invocation?: SluiceInvocation) => Promise<InstallOutcome>;
  uninstall: (dir: string) => Promise<UninstallOutcome>;
}

const agents: Agent[] = [
  {
    name: 'Claude Code (.claude/settings.json)',
    path: (dir) => claudeSettingsFile(dir).path,
    install: (dir, invocation = sluice) => installClaudeHooks(dir, invocation),
    uninstall: uninstallClaudeHooks,
  },
  {
    name: 'Codex (.codex/hooks.json)',
    path: (dir) => codexHooksFile(dir).path,
    install: (dir, invocation = sluice) => installCodexHooks(dir, invocation),
    uninstall: uninstallCodexHooks,
  },
];

describe.each(agents)('Sluice hooks in the file of $name', (agent) => {
  const read = (dir: string) => JSON.parse(readFileSync(agent.path(dir), 'utf8'));
  const projectWith = (text: string) => {
    const dir = tempDir();
    mkdirSync(dirname(agent.path(dir)));
    writeFileSync(agent.path(dir), text);
    return dir;
  };

  it('creates the file with a Stop and a PreToolUse hook, and uninstall removes the file and its folder', async () => {
    const dir = tempDir();
    expect(await agent.install(dir)).toBe('installed');
    expect(read(dir)).toEqual({
      hooks: {
        Stop: [{ hooks: [{ type: 'command', command: stopCommand }] }],
        PreToolUse: [{ matcher, hooks: [{ type: 'command', command: preToolUseCommand }] }],
      },
    });
    expect(await agent.uninstall(dir)).toBe('removed-file');
    expect(existsSync(dirname(agent.path(dir)))).toBe(false);
  });

  it('keeps a folder that was there before, and everything else in it', async () => {
    const dir = tempDir();
    mkdirSync(dirname(agent.path(dir)));
    writeFileSync(join(dirname(agent.path(dir)), 'other.json'), '{}');
    await agent.install(dir);
    expect(await agent.uninstall(dir)).toBe('removed-file');
    expect(existsSync(agent.path(dir))).toBe(false);
    expect(readFileSync(join(dirname(agent.path(dir)), 'other.json'), 'utf8')).toBe('{}');
  });

  it('keeps the user’s hooks and settings, installs once, and uninstall restores the exact bytes', async () => {
    const dir = projectWith(userFile);
    expect(await agent.install(dir)).toBe('installed');
    expect(await agent.install(dir)).toBe('unchanged');
    const merged = read(dir);
    expect(merged.model).toBe('opus');
    expect(merged.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(merged.hooks.Stop).toEqual([
      { hooks: [{ type: 'command', command: 'say done' }] },
      { hooks: [{ type: 'command', command: stopCommand }] },
    ]);
    expect(merged.hooks.PreToolUse).toEqual([
      { matcher: 'Bash', hooks: [{ type: 'command', command: 'audit' }] },
      { matcher, hooks: [{ type: 'command', command: preToolUseCommand }] },
    ]);
    expect(await agent.uninstall(dir)).toBe('restored');
    expect(readFileSync(agent.path(dir), 'utf8')).toBe(userFile);
    expect(await agent.uninstall(dir)).toBe('not-installed');
    expect(readFileSync(agent.path(dir), 'utf8')).toBe(userFile);
  });

  it('updates its commands in place when Sluice moved, instead of adding second entries', async () => {
    const dir = projectWith(userFile);
    await agent.install(dir);
    const moved = { node: '/home/me/my node/node', bin: '/srv/sluice/bin/sluice.js' };
    expect(await agent.install(dir, moved)).toBe('updated');
    const { Stop, PreToolUse } = read(dir).hooks;
    expect(Stop).toHaveLength(2);
    expect(Stop[1].hooks[0].command).toBe("'/home/me/my node/node' /srv/sluice/bin/sluice.js hook stop");
    expect(PreToolUse).toHaveLength(2);
    expect(PreToolUse[1].hooks[0].command).toBe("'/home/me/my node/node' /srv/sluice/bin/sluice.js hook pre-tool-use");
    expect(await agent.uninstall(dir)).toBe('restored');
    expect(readFileSync(agent.path(dir), 'utf8')).toBe(userFile);
  });

  it('adds the PreToolUse hook to an install of an older Sluice that had only the Stop hook', async () => {
    const dir = projectWith(userFile);
    await agent.install(dir);
    const stopOnly = read(dir);
    stopOnly.hooks.PreToolUse.pop();
    writeFileSync(agent.path(dir), JSON.stringify(stopOnly));
    expect(await agent.install(dir)).toBe('installed');
    expect(read(dir).hooks.PreToolUse).toHaveLength(2);
    // What the file was before the very first install is still what comes back.
    expect(await agent.uninstall(dir)).toBe('restored');
    expect(readFileSync(agent.path(dir), 'utf8')).toBe(userFile);
  });

  it('puts its matcher back on its own group, and never changes the matcher of a group the user shares', async () => {
    const dir = projectWith(userFile);
    await agent.install(dir);
    const edited = read(dir);
    edited.hooks.PreToolUse[1].matcher = 'Bash';
    edited.hooks.PreToolUse[0].hooks.push({ type: 'command', command: stopCommand.replace('stop', 'pre-tool-use') });
    writeFileSync(agent.path(dir), JSON.stringify(edited));
    expect(await agent.install(dir)).toBe('updated');
    const groups = read(dir).hooks.PreToolUse;
    expect(groups.map((group: { matcher: string }) => group.matcher)).toEqual(['Bash', matcher]);
  });

  it('removes only its entries when the user changed the file since install', async () => {
    const dir = projectWith(userFile);
    await agent.install(dir);
    const edited = read(dir);
    edited.theme = 'dark';
    writeFileSync(agent.path(dir), JSON.stringify(edited));
    expect(await agent.uninstall(dir)).toBe('removed-entry');
    const after = read(dir);
    expect(after.theme).toBe('dark');
    expect(after.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'say done' }] }]);
    expect(after.hooks.PreToolUse).toEqual([{ matcher: 'Bash', hooks: [{ type: 'command', command: 'audit' }] }]);
    expect(JSON.stringify(after)).not.toContain('sluice');
  });

  it.each([
    ['{ "model": ', 'is not a JSON object'],
    ['{ "hooks": [] }', '"hooks" is not an object'],
    ['{ "hooks": { "PreToolUse": {} } }', '"hooks.PreToolUse" is not a list'],
  ])('refuses to touch a file it cannot merge into (%s), and leaves it as it was', async (text, message) => {
    const dir = projectWith(text);
    await expect(agent.install(dir)).rejects.toThrow(message);
    expect(readFileSync(agent.path(dir), 'utf8')).toBe(text);
    expect(existsSync(join(dir, '.sluice'))).toBe(false);
  });
});

describe('the two agents’ files', () => {
  it('are independent: uninstalling one leaves the other installed', async () => {
    const dir = tempDir();
    await installClaudeHooks(dir, sluice);
    await installCodexHooks(dir, sluice);
    expect(await uninstallClaudeHooks(dir)).toBe('removed-file');
    expect(JSON.parse(readFileSync(codexHooksFile(dir).path, 'utf8')).hooks.Stop).toHaveLength(1);
    expect(await uninstallCodexHooks(dir)).toBe('removed-file');
    expect(existsSync(join(dir, '.codex'))).toBe(false);
  });
});
