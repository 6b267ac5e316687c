import { describe, expect, it } from 'vitest';
import { git, gitdir } from '../../support/gitdir.ts';
import { runSluice } from '../../support/sluice-cli.ts';

const cartTest =
  "import { expect, test } from 'vitest';\nimport { total } from '../src/cart.js';\n\ntest('sums the cart', () => {\n  expect(total([1, 2])).toBe(3);\n});\n";

describe('sluice guard: tests moved where the runner does not collect them', () => {
  it("exits 1 on a test file renamed out of vitest's include with git mv, and says how to move it back", async () => {
    const repo = await gitdir({
      files: {
        'package.json':
          '{ "type": "module", "scripts": { "test": "vitest run" }, "devDependencies": { "vitest": "^4.0.0" } }\n',
        'src/cart.js': 'export const total = (items) => items.reduce((a, b) => a + b, 0);\n',
        'test/cart.test.js': cartTest,
      },
    });
    await git(repo, 'mv', 'test/cart.test.js', 'test/cart.tset.js');
    const guard = await runSluice(['guard'], { cwd: repo });
    expect(guard.exitCode).toBe(1);
    expect(guard.stdout).toContain(
      'test/cart.tset.js:4 test-file-uncollected: 1 test moved here from test/cart.test.js',
    );
    expect(guard.stdout).toContain(
      'Move them back: git checkout HEAD -- test/cart.test.js, then delete test/cart.tset.js.',
    );
    // Moved back where vitest collects it, under another name: nothing to report.
    await git(repo, 'mv', 'test/cart.tset.js', 'test/cart.spec.js');
    const renamed = await runSluice(['guard'], { cwd: repo });
    expect(renamed.stdout).toContain('guard: no weakened tests or protected files changed since HEAD');
    expect(renamed.exitCode).toBe(0);
  });
});
