import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installClaudeStopHook, uninstallClaudeStopHook } from '../../../src/hooks/claude-settings.ts';
import { tempDir } from '../../support/temp-dir.ts';

const command = '/usr/bin/node /opt/sluice/bin/sluice.js hook stop';
const settingsOf = (dir: string) => join(dir, '.claude', 'settings.json');
const readSettings = (dir: string) => JSON.parse(readFileSync(settingsOf(dir), 'utf8'));

/** A user's settings, formatted their way (tabs, key order), with a Stop hook and other hooks of their own. */
const userSettings = `{
\t"model": "opus",
\t"hooks": {
\t\t"Stop": [{ "hooks": [{ "type": "command", "command": "say done" }] }],
\t\t"PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "audit" }] }]
\t},
\t"permissions": { "allow": ["Bash(npm test)"] }
}
`;

function projectWith(text: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, '.claude'));
  writeFileSync(settingsOf(dir), text);
  return dir;
}

describe('installClaudeStopHook / uninstallClaudeStopHook', () => {
  it('creates the settings Claude Code reads, and uninstall removes what it created', async () => {
    const dir = tempDir();
    expect(await installClaudeStopHook(dir, command)).toBe('installed');
    expect(readSettings(dir)).toEqual({ hooks: { Stop: [{ hooks: [{ type: 'command', command }] }] } });
    expect(await uninstallClaudeStopHook(dir)).toBe('removed-file');
    expect(existsSync(settingsOf(dir))).toBe(false);
    expect(existsSync(join(dir, '.claude'))).toBe(false);
  });

  it('keeps the user’s hooks and settings, installs once, and uninstall restores the exact bytes', async () => {
    const dir = projectWith(userSettings);
    expect(await installClaudeStopHook(dir, command)).toBe('installed');
    expect(await installClaudeStopHook(dir, command)).toBe('unchanged');
    const merged = readSettings(dir);
    expect(merged.model).toBe('opus');
    expect(merged.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(merged.hooks.PreToolUse).toEqual([{ matcher: 'Bash', hooks: [{ type: 'command', command: 'audit' }] }]);
    expect(merged.hooks.Stop).toEqual([
      { hooks: [{ type: 'command', command: 'say done' }] },
      { hooks: [{ type: 'command', command }] },
    ]);
    expect(await uninstallClaudeStopHook(dir)).toBe('restored');
    expect(readFileSync(settingsOf(dir), 'utf8')).toBe(userSettings);
    expect(await uninstallClaudeStopHook(dir)).toBe('not-installed');
    expect(readFileSync(settingsOf(dir), 'utf8')).toBe(userSettings);
  });

  it('updates its command in place when Sluice moved, instead of adding a second entry', async () => {
    const dir = projectWith(userSettings);
    await installClaudeStopHook(dir, command);
    const moved = "'/home/me/my node/node' /srv/sluice/bin/sluice.js hook stop";
    expect(await installClaudeStopHook(dir, moved)).toBe('updated');
    const stop = readSettings(dir).hooks.Stop;
    expect(stop).toHaveLength(2);
    expect(stop[1].hooks[0].command).toBe(moved);
    expect(await uninstallClaudeStopHook(dir)).toBe('restored');
    expect(readFileSync(settingsOf(dir), 'utf8')).toBe(userSettings);
  });

  it('removes only its entry when the user changed the file since install', async () => {
    const dir = projectWith(userSettings);
    await installClaudeStopHook(dir, command);
    const edited = readSettings(dir);
    edited.theme = 'dark';
    writeFileSync(settingsOf(dir), JSON.stringify(edited));
    expect(await uninstallClaudeStopHook(dir)).toBe('removed-entry');
    const after = readSettings(dir);
    expect(after.theme).toBe('dark');
    expect(after.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'say done' }] }]);
    expect(JSON.stringify(after)).not.toContain('sluice');
  });

  it('refuses to touch a settings file it cannot read as JSON', async () => {
    const dir = projectWith('{ "model": ');
    await expect(installClaudeStopHook(dir, command)).rejects.toThrow('is not a JSON object');
    expect(readFileSync(settingsOf(dir), 'utf8')).toBe('{ "model": ');
  });
});
