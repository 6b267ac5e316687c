// `npm run demo`: Sluice's main job, offline. Copies examples/shop into a fresh git repository, adds a
// test for a new rule (the goal's acceptance), and runs `sluice run` with a scripted demo agent.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = dirname(fileURLToPath(import.meta.url));
const repo = join(mkdtempSync(join(tmpdir(), 'sluice-demo-')), 'shop');
cpSync(join(examples, 'shop'), repo, { recursive: true, filter: (path) => !path.includes('.sluice') });
writeFileSync(
  join(repo, 'test/bulk.test.js'),
  "import assert from 'node:assert/strict';\nimport { it } from 'node:test';\nimport { linePrice } from '../src/pricing.js';\n\nit('gives 20% off from 50 items', () => {\n  assert.equal(linePrice(100, 50), 4000);\n});\n",
);
const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
git('init', '--quiet');
git('-c', 'user.name=Sluice demo', '-c', 'user.email=demo@localhost', 'add', '-A');
git(
  '-c',
  'user.name=Sluice demo',
  '-c',
  'user.email=demo@localhost',
  'commit',
  '--quiet',
  '--no-verify',
  '-m',
  'Shop with a test for bulk discounts',
);

// Sluice runs from the folder `npm run demo` was started in, with -C naming the demo repository, so
// every command it suggests (`npx sluice review show ... -C ...`) works as printed.
const sluice = join(examples, '..', 'bin', 'sluice.js');
const agent = `"${process.execPath}" "${join(examples, 'agents', 'demo-agent.mjs')}"`;
console.log(`demo repository: ${repo}\n`);
const run = spawnSync(
  process.execPath,
  [
    sluice,
    'run',
    'Give 20% off from 50 items',
    '--agent',
    'command',
    '--agent-command',
    agent,
    '--prompt-via',
    'stdin',
    '--max-iterations',
    '5',
    '-C',
    repo,
  ],
  { stdio: 'inherit' },
);
if (run.status === 0) {
  console.log(`\nThe receipts: npx sluice runs -C ${repo}   (then: show <run-id> --feedback, usage)`);
}
process.exitCode = run.status ?? 1;
