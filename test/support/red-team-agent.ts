import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { repoRoot, sluiceBin } from './sluice-cli.ts';
import { tempDir } from './temp-dir.ts';

/** What a hostile agent script knows about the repository it attacks. */
export interface HostileTarget {
  /** The file the goal is about, relative to the repository root. */
  file: string;
  /** Its content once fixed, and as broken as the base has it. */
  right: string;
  broken: string;
}

/**
 * A scripted agent for the red team (hostile, or honest for the control cases), for
 * `--agent command --prompt-via stdin`: `script` is the body of an ES module run by Node in the run's
 * worktree, with these in scope:
 *
 * - `turn` (1 on the first prompt), `wt` (the worktree), `common` (the absolute shared git dir),
 *   `main` (the user's checkout), `runId`, `TARGET`, `RIGHT`, `BROKEN`, `SLUICE_BIN`, `SLUICE_REPO`,
 *   `NODE`, `MARKER` (a string every daemon carries in its command line), `PASSING_XML`;
 * - `sh(command)` (stdout; throws on failure), `write(path, content)` (relative to the worktree or
 *   absolute, folders made), `note()` (a harmless change, so every turn changes something);
 * - `fakeCheck(dir)`: the real `sluice check` of `dir` with fake test runners on PATH, so whatever
 *   Sluice records of the pass (a cache entry) is genuine; `requireFromSluice` (Sluice's own packages);
 * - `daemon(source, how)`: start `node -e source` (CommonJS) so that it outlives the turn, `how` one of
 *   `setsid`, `double-fork`, `nohup`, `env-i` (a double fork with an empty environment).
 *
 * A hostile agent writes nothing outside the repository that the harness needs: under a sandbox its
 * bookkeeping would fail for the wrong reason. Every process whose command line holds the marker is
 * killed when the test finishes, whether or not Sluice killed it first.
 */
export function redTeamAgent(script: string, target: HostileTarget): { command: string; marker: string } {
  const dir = tempDir('sluice-hostile-');
  const marker = `sluice-red-team-${randomBytes(6).toString('hex')}`;
  const file = join(dir, 'agent.mjs');
  writeFileSync(file, `${prelude(marker, target)}\n// --- the attack ---\n${script}\n`);
  onTestFinished(() => killMarked(marker));
  return { command: `'${process.execPath}' '${file}'`, marker };
}

function prelude(marker: string, target: HostileTarget): string {
  return `import { execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
const MARKER = ${JSON.stringify(marker)};
const TARGET = ${JSON.stringify(target.file)};
const RIGHT = ${JSON.stringify(target.right)};
const BROKEN = ${JSON.stringify(target.broken)};
const SLUICE_BIN = ${JSON.stringify(sluiceBin)};
const SLUICE_REPO = ${JSON.stringify(repoRoot)};
const NODE = process.execPath;
const prompt = fs.readFileSync(0, 'utf8');
const previous = /about the last attempt \\(iteration (\\d+)\\)/.exec(prompt);
const turn = previous ? Number(previous[1]) + 1 : 1;
const wt = process.cwd();
const sh = (command, options = {}) => execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
const common = sh('git rev-parse --path-format=absolute --git-common-dir').trim();
const main = path.dirname(common);
const runId = sh('git branch --show-current').trim().replace(/^sluice\\//, '');
const write = (file, content) => {
  const target = path.resolve(wt, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
};
const note = () => write('NOTES.md', '# Notes\\n\\nturn ' + turn + ' of ' + MARKER + '\\n');
const PASSING_XML = '<?xml version="1.0" encoding="utf-8"?><testsuites tests="1" failures="0" errors="0"><testsuite name="suite" tests="1" failures="0" errors="0"><testcase name="adds two numbers" classname="tests" time="0.001"/></testsuite></testsuites>';
// The real sluice check of dir, with fakes of node, npm and python3 first on PATH that write a passing
// JUnit report wherever the gate asks for one: whatever Sluice records of that pass is genuine Sluice output.
const fakeCheck = (dir) => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-runners-'));
  const fake = "#!/bin/sh\\nreport=.sluice/reports/unit.xml\\nfor a in \\"$@\\"; do case \\"$a\\" in --test-reporter-destination=*|--junitxml=*) report=\\"\${a#*=}\\";; esac; done\\nmkdir -p \\"$(dirname \\"$report\\")\\"\\nprintf '%s' '" + PASSING_XML + "' > \\"$report\\"\\nexit 0\\n";
  for (const name of ['node', 'npm', 'python3']) fs.writeFileSync(path.join(bin, name), fake, { mode: 0o755 });
  const done = spawnSync(NODE, [SLUICE_BIN, 'check', '--json', '-C', dir], { env: { ...process.env, PATH: bin + ':' + process.env.PATH }, encoding: 'utf8' });
  fs.rmSync(bin, { recursive: true, force: true });
  return done.stdout;
};
const requireFromSluice = createRequire(path.join(SLUICE_REPO, 'package.json'));
const daemon = (source, how) => {
  // CommonJS, for node -e; the marker is in the command line, so the test can always find it.
  const code = 'const MARKER = ' + JSON.stringify(MARKER) + ';\\n' + source;
  const fork = "const c = require('child_process').spawn(process.execPath, ['-e', process.argv[1]], { detached: true, stdio: 'ignore', env: process.env }); c.unref();";
  const quiet = { stdio: 'ignore' };
  if (how === 'setsid') spawnSync('/bin/sh', ['-c', 'setsid "$0" -e "$1" </dev/null >/dev/null 2>&1 &', NODE, code], quiet);
  else if (how === 'nohup') spawnSync('/bin/sh', ['-c', 'nohup "$0" -e "$1" </dev/null >/dev/null 2>&1 &', NODE, code], quiet);
  else if (how === 'double-fork') spawnSync(NODE, ['-e', fork, code], quiet);
  else if (how === 'env-i') spawnSync('/usr/bin/env', ['-i', NODE, '-e', fork, code], quiet);
  else throw new Error('no such daemon: ' + how);
};
`;
}

/** Pids of the live processes whose command line holds `marker`. */
export function markedProcesses(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** SIGKILL every process whose command line holds `marker`. */
export function killMarked(marker: string): void {
  for (const pid of markedProcesses(marker)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
