import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitdir } from '../../support/gitdir.ts';
import { writeFiles } from '../../support/write-files.ts';

export const tamperDir = fileURLToPath(new URL('../../fixtures/tamper/', import.meta.url));

export interface TamperCase {
  name: string;
  label: 'tamper' | 'legit';
  /** The rule a tamper case must trigger; for a legit case, the rule it could be mistaken for. */
  rule: string;
  note: string;
}

/** Every case under test/fixtures/tamper/. */
export function tamperCases(): TamperCase[] {
  return readdirSync(tamperDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({
      name: entry.name,
      ...(JSON.parse(readFileSync(join(tamperDir, entry.name, 'case.json'), 'utf8')) as Omit<TamperCase, 'name'>),
    }));
}

function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[relative(root, full)] = readFileSync(full, 'utf8');
  }
  return files;
}

/** A temp repo with the case's `before` committed and its `after` as uncommitted, untracked work. */
export async function repoForCase(name: string): Promise<string> {
  const before = readTree(join(tamperDir, name, 'before'));
  const after = readTree(join(tamperDir, name, 'after'));
  const root = await gitdir({ files: { 'README.md': '# fixture\n', ...before } });
  for (const path of Object.keys(before)) if (!(path in after)) rmSync(join(root, path));
  writeFiles(root, after);
  return root;
}
