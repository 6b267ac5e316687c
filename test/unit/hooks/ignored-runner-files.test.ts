import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignoredEntries, ignoredRunnerFindings, listIgnored } from '../../../src/hooks/ignored-runner-files.ts';
import { gitdir } from '../../support/gitdir.ts';

const files = {
  '.gitignore': 'node_modules\n__pycache__/\n.pytest_cache/\ndist/\ncoverage/\n*.log\n',
  'package.json': '{ "type": "module" }\n',
  'calc.py': 'def add(a, b):\n    return a + b\n',
  'tests/test_calc.py': 'from calc import add\n',
};

async function snapshot(repo: string) {
  const listed = await listIgnored(repo);
  if (!listed) throw new Error('git could not list the ignored files');
  return ignoredEntries(repo, listed);
}

function write(repo: string, path: string, content = 'x\n'): void {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), content);
}

describe('ignored runner files', () => {
  it('lets through what builds and test runs leave in ignored folders', async () => {
    const repo = await gitdir({ files });
    const atStart = await snapshot(repo);
    for (const path of [
      'dist/index.js',
      'tests/__pycache__/test_calc.cpython-311.pyc',
      '.pytest_cache/v/cache/nodeids',
      'node_modules/left-pad/index.js',
      'coverage/lcov.info',
      'debug.log',
    ]) {
      write(repo, path);
    }
    expect(await ignoredRunnerFindings(repo, await snapshot(repo), atStart)).toEqual([]);
  });

  it('reports a runner file, a node_modules beside no committed package.json and a shadowing module', async () => {
    const repo = await gitdir({ files });
    const atStart = await snapshot(repo);
    appendFileSync(join(repo, '.git/info/exclude'), 'conftest.py\ncalc.py\nhelpers/\n');
    write(repo, 'tests/conftest.py');
    write(repo, 'tests/node_modules/calc/index.js');
    write(repo, 'tests/calc.py');
    // A new ignored folder that is no module's name, and not on the path: nothing a runner finds by name.
    write(repo, 'helpers/calc.py');
    const findings = await ignoredRunnerFindings(repo, await snapshot(repo), atStart);
    expect(findings.map(({ rule, path, severity }) => `${rule} ${path} ${severity}`).sort()).toEqual([
      'ignored-runner-file tests/calc.py block',
      'ignored-runner-file tests/conftest.py block',
      'ignored-runner-file tests/node_modules/ block',
    ]);
  });

  it('lists the whole work tree from a subfolder, paths from the top', async () => {
    const repo = await gitdir({ files });
    appendFileSync(join(repo, '.git/info/exclude'), 'conftest.py\n');
    write(repo, 'conftest.py');
    expect(await listIgnored(join(repo, 'tests'))).toContain('conftest.py');
  });
});
