import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GateCache } from '../../../src/gates/cache/gate-cache.ts';
import { readHookSession, writeHookSession } from '../../../src/hooks/hook-sessions.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** A file outside the tree, and links an agent planted at the temp and final names Sluice writes in `dir`. */
function plantLinks(dir: string, name: string): string {
  const victim = join(tempDir(), 'victim.txt');
  writeFileSync(victim, 'the user file\n');
  mkdirSync(dir, { recursive: true });
  symlinkSync(victim, join(dir, `${name}.${process.pid}.tmp`));
  return victim;
}

describe('writes into folders the agent can write', () => {
  it('records a gate pass without writing through a link planted under its temp name', async () => {
    const dir = join(tempDir(), 'cache');
    const victim = plantLinks(dir, 'unit.json');
    const cache = new GateCache(dir);
    await cache.recordPass('unit', { key: 'k1', passedAt: '2026-12-07T00:00:00.000Z', durationMs: 5 });
    expect(readFileSync(victim, 'utf8')).toBe('the user file\n');
    expect((await cache.findPass('unit', 'k1'))?.key).toBe('k1');
    expect(lstatSync(join(dir, 'unit.json')).isFile()).toBe(true);
  });

  it('records a hook session without writing through a link planted under its temp name, or its own name', async () => {
    const sluiceDir = tempDir();
    const hooks = join(sluiceDir, 'hooks');
    const victim = plantLinks(hooks, 's-1.json');
    const other = join(tempDir(), 'other.txt');
    writeFileSync(other, 'another user file\n');
    symlinkSync(other, join(hooks, 's-1.json'));
    const session = { session_id: 's-1', status: 'done', blocks: 0, total_blocks: 1, updated_at: 'now' } as const;
    await writeHookSession(sluiceDir, session);
    expect(readFileSync(victim, 'utf8')).toBe('the user file\n');
    expect(readFileSync(other, 'utf8')).toBe('another user file\n');
    expect((await readHookSession(sluiceDir, 's-1')).total_blocks).toBe(1);
  });
});
