import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile } from '../../../src/config/config-file.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { writeFiles } from '../../support/write-files.ts';

describe('findConfigFile', () => {
  it('finds sluice.yaml in the folder or above it', () => {
    const root = tempDir();
    writeFiles(root, { 'sluice.yaml': 'gates: {}\n', 'packages/a/src/x.ts': '' });
    expect(findConfigFile(join(root, 'packages/a/src'))).toBe(join(root, 'sluice.yaml'));
  });

  it('accepts sluice.yml', () => {
    const root = tempDir();
    writeFiles(root, { 'sluice.yml': 'gates: {}\n' });
    expect(findConfigFile(root)).toBe(join(root, 'sluice.yml'));
  });

  it("stops at the repository root instead of using an outer project's config", () => {
    const outer = tempDir();
    writeFiles(outer, { 'sluice.yaml': 'gates: {}\n', 'inner/.git/HEAD': 'ref: refs/heads/main\n', 'inner/sub/x': '' });
    expect(findConfigFile(join(outer, 'inner/sub'))).toBeUndefined();
  });
});
