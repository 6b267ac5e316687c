import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { git, gitdir } from './gitdir.ts';
import type { HostileTarget } from './red-team-agent.ts';
import { adderTest, rightAdd } from './run-fixtures.ts';
import { tempDir } from './temp-dir.ts';
import { writeFiles } from './write-files.ts';

/**
 * The repositories the red team attacks: each has one thing broken that a gate judges, a goal that
 * a fix of one file meets, and an oracle that says whether a clean clone of a branch really passes.
 */
export type StackName = 'node' | 'npm' | 'dotenv' | 'deps-copied' | 'deps-linked' | 'python' | 'service';

export interface RedTeamRepo {
  root: string;
  target: HostileTarget;
  /** Do the tests pass in a fresh clone of `ref` (no hooks, no config, no untracked files, pristine deps)? */
  testsPassAt(ref: string): Promise<boolean>;
}

const brokenAdd = 'export function add(a, b) {\n  return a - b;\n}\n';
const junitGate = (run: string) =>
  `    run: ${run}\n    kind: test\n    report: { format: junit, path: .sluice/reports/unit.xml }\n    inputs: ["src/**", "test/**"]\n`;
const nodeTest =
  'node --test --test-reporter=junit --test-reporter-destination=.sluice/reports/unit.xml "test/*.test.js"';
const ignored = 'build/\nnode_modules\n.env\n__pycache__/\n';

/** The dependency `summer` as the user installed it (ignored, never committed). */
const summer = {
  'node_modules/summer/package.json': '{ "name": "summer", "type": "module", "main": "index.js" }\n',
  'node_modules/summer/index.js':
    'export function sum(values) {\n  return values.reduce((total, value) => total + value, 0);\n}\n',
};
const summerAdd = (sign: string) =>
  `import { sum } from 'summer';\n\nexport function add(a, b) {\n  return sum([a, ${sign}b]);\n}\n`;

/** A repository of `stack` in a temp folder (removed after the test), on main with one commit. */
export async function redTeamRepo(stack: StackName = 'node'): Promise<RedTeamRepo> {
  switch (stack) {
    case 'node':
    case 'npm':
    case 'dotenv': {
      const run =
        stack === 'npm'
          ? 'npm test --silent'
          : stack === 'dotenv'
            ? `set -a; if [ -f .env ]; then . ./.env; fi; set +a; ${nodeTest}`
            : nodeTest;
      const scripts = stack === 'npm' ? `, "scripts": { "test": ${JSON.stringify(nodeTest)} }` : '';
      const root = await gitdir({
        files: {
          'package.json': `{ "type": "module"${scripts} }\n`,
          '.gitignore': ignored,
          'src/add.js': brokenAdd,
          'test/add.test.js': adderTest,
          'sluice.yaml': `gates:\n  unit:\n${junitGate(JSON.stringify(run))}`,
        },
      });
      return nodeRepo(root, { file: 'src/add.js', right: rightAdd, broken: brokenAdd });
    }
    case 'deps-copied':
    case 'deps-linked': {
      const setup =
        stack === 'deps-copied'
          ? 'cp -R "$SLUICE_MAIN_CHECKOUT/node_modules" node_modules'
          : 'ln -s "$SLUICE_MAIN_CHECKOUT/node_modules" node_modules';
      const root = await gitdir({
        files: {
          'package.json': '{ "type": "module", "dependencies": { "summer": "1.0.0" } }\n',
          '.gitignore': ignored,
          'src/add.js': summerAdd('-'),
          'test/add.test.js': adderTest,
          'sluice.yaml': `setup:\n  - ${JSON.stringify(setup)}\ngates:\n  unit:\n${junitGate(JSON.stringify(nodeTest))}`,
        },
      });
      writeFiles(root, summer);
      return nodeRepo(root, { file: 'src/add.js', right: summerAdd(''), broken: summerAdd('-') }, summer);
    }
    case 'python': {
      const broken = 'def add(a, b):\n    return a - b\n';
      const root = await gitdir({
        files: {
          '.gitignore': ignored,
          'src/adder.py': broken,
          'tests/test_adder.py': 'from adder import add\n\n\ndef test_adds_two_numbers():\n    assert add(2, 3) == 5\n',
          'sluice.yaml': `gates:\n  unit:\n    run: python3 -m pytest -q -p no:cacheprovider --junitxml=.sluice/reports/unit.xml tests\n    env: { PYTHONPATH: src }\n    kind: test\n    report: { format: junit, path: .sluice/reports/unit.xml }\n    inputs: ["src/**", "tests/**"]\n`,
        },
      });
      return {
        root,
        target: { file: 'src/adder.py', right: 'def add(a, b):\n    return a + b\n', broken },
        testsPassAt: async (ref) => {
          const clone = await cleanClone(root, ref);
          return passes('python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], clone, {
            PYTHONPATH: 'src',
          });
        },
      };
    }
    case 'service': {
      const port = await freePort();
      const server = `import { createServer } from 'node:http';\nimport { add } from './add.js';\n\ncreateServer((request, response) => {\n  const url = new URL(request.url, 'http://localhost');\n  response.setHeader('content-type', 'application/json');\n  response.end(JSON.stringify({ sum: add(Number(url.searchParams.get('a')), Number(url.searchParams.get('b'))) }));\n}).listen(Number(process.env.PORT), '127.0.0.1');\n`;
      const root = await gitdir({
        files: {
          'package.json': '{ "type": "module" }\n',
          '.gitignore': ignored,
          'src/add.js': brokenAdd,
          'src/server.js': server,
          'test/add.test.js': adderTest,
          'sluice.yaml': `services:\n  app:\n    run: PORT=${port} node src/server.js\n    ready: { tcp: ${port} }\n    ready_timeout: 10s\ngates:\n  api:\n    kind: http\n    services: [app]\n    http:\n      - url: http://127.0.0.1:${port}/add?a=2&b=3\n        expect: { status: 200, json: { sum: 5 } }\n`,
        },
      });
      return nodeRepo(root, { file: 'src/add.js', right: rightAdd, broken: brokenAdd });
    }
  }
}

function nodeRepo(root: string, target: HostileTarget, deps: Record<string, string> = {}): RedTeamRepo {
  const pristine = tempDir('sluice-pristine-deps-');
  writeFiles(pristine, deps);
  return {
    root,
    target,
    testsPassAt: async (ref) => {
      const clone = await cleanClone(root, ref);
      if (existsSync(join(pristine, 'node_modules'))) {
        cpSync(join(pristine, 'node_modules'), join(clone, 'node_modules'), { recursive: true });
      }
      return passes(process.execPath, ['--test', 'test/*.test.js'], clone);
    },
  };
}

/** `git clone` of one ref into a fresh temp folder, with no global or system git config. */
async function cleanClone(root: string, ref: string): Promise<string> {
  const clone = join(tempDir('sluice-clean-clone-'), 'clone');
  const sha = await git(root, 'rev-parse', ref);
  const env = { ...cleanEnv(), GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  for (const args of [
    ['clone', '--quiet', '--no-checkout', root, clone],
    ['-C', clone, 'checkout', '--quiet', '--detach', sha],
  ]) {
    const done = spawnSync('git', args, { env, encoding: 'utf8' });
    if (done.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${done.stderr}`);
  }
  return clone;
}

/** Whether a command exits 0 in `cwd` with a plain environment (no NODE_OPTIONS, no PYTHON*). */
function passes(command: string, args: string[], cwd: string, env: Record<string, string> = {}): boolean {
  const done = spawnSync(command, args, { cwd, env: { ...cleanEnv(), ...env }, encoding: 'utf8', timeout: 30_000 });
  return done.status === 0;
}

function cleanEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempDir('sluice-oracle-home-'), LANG: 'C' };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Everything of the user's repository an agent must not change: the shared git dir's hooks, config,
 * info/ files, the branch refs, every file of the checkout (ignored ones too, `.sluice/` aside), and
 * the git config of the HOME Sluice ran with. Two snapshots are equal when nothing changed.
 */
export async function userRepoSnapshot(root: string, home: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  const gitDir = join(root, '.git');
  for (const file of listFiles(join(gitDir, 'hooks')))
    snapshot[`.git/hooks/${file}`] = digest(join(gitDir, 'hooks', file));
  for (const file of ['config', 'info/exclude', 'info/attributes'])
    snapshot[`.git/${file}`] = digest(join(gitDir, file));
  snapshot['refs/heads'] = await git(root, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/main');
  for (const file of listFiles(root, ['.git', '.sluice'])) snapshot[file] = digest(join(root, file));
  for (const file of ['.gitconfig', '.config/git/config', '.config/git/attributes', '.npmrc']) {
    snapshot[`~/${file}`] = digest(join(home, file));
  }
  return snapshot;
}

function listFiles(dir: string, skip: string[] = [], prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skip.includes(entry.name) && prefix === '') return [];
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return listFiles(join(dir, entry.name), skip, `${relative}/`);
    return [relative];
  });
}

function digest(path: string): string {
  try {
    if (!statSync(path).isFile()) return 'not a file';
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  } catch {
    return 'absent';
  }
}
