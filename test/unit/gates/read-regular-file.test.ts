import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRegularFileSync } from '../../../src/gates/cache/read-regular-file.ts';

describe('readRegularFileSync', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-regular-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a regular file, and one a link points at', () => {
    writeFileSync(join(dir, 'record.json'), '{"blocks":1}\n');
    symlinkSync(join(dir, 'record.json'), join(dir, 'link.json'));
    expect(readRegularFileSync(join(dir, 'record.json'))?.toString('utf8')).toBe('{"blocks":1}\n');
    expect(readRegularFileSync(join(dir, 'link.json'))?.toString('utf8')).toBe('{"blocks":1}\n');
  });

  it('answers undefined for a missing file, a folder and a dangling link', () => {
    mkdirSync(join(dir, 'folder'));
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling'));
    expect(readRegularFileSync(join(dir, 'missing'))).toBeUndefined();
    expect(readRegularFileSync(join(dir, 'folder'))).toBeUndefined();
    expect(readRegularFileSync(join(dir, 'dangling'))).toBeUndefined();
  });

  it('refuses a FIFO and a device without waiting for a writer or reading forever', () => {
    // A blocking open of a FIFO with no writer would hang this test (and the hook) for good.
    execFileSync('mkfifo', [join(dir, 'index')]);
    const started = Date.now();
    expect(readRegularFileSync(join(dir, 'index'))).toBeUndefined();
    expect(readRegularFileSync('/dev/zero')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
