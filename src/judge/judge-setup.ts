import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import picomatch from 'picomatch';
import type { SetupStep } from '../config/setup-schema.ts';
import { runProcess } from '../process/run-process.ts';
import { runGitChecked } from '../workspace/git.ts';
import { untrackedPaths } from './untracked-paths.ts';

/** Longest a setup command (installing dependencies) may take. */
const setupTimeoutMs = 20 * 60_000;

/** Per step with inputs (by index): the key of its inputs when it last succeeded here, and what it made. */
export type SetupMemory = Map<number, { key: string; made: string[] }>;

export interface JudgeSetupInput {
  steps: readonly SetupStep[];
  /** The folder of sluice.yaml in the judge checkout, where the steps run. */
  root: string;
  /** The top of the judge checkout. */
  checkoutPath: string;
  /** The user's checkout (SLUICE_MAIN_CHECKOUT for steps that copy `.env`). */
  repoRoot: string;
  commit: string;
  configDir: string;
  logDir: string;
  memory: SetupMemory;
  signal?: AbortSignal;
}

/**
 * `keep`: what the steps with inputs made (paths relative to the checkout), to be kept until their inputs
 * change. What plain steps make is not kept: they run again on a clean tree, never over their own output.
 */
export type JudgeSetupResult =
  | { status: 'ready'; ran: string[]; keep: string[] }
  | { status: 'failed'; reason: string };

/**
 * Run the setup steps in the judge checkout: a step with `inputs` only when the blob ids of its inputs
 * at the commit differ from its last success here, a plain step every time.
 */
export async function runJudgeSetup(input: JudgeSetupInput): Promise<JudgeSetupResult> {
  if (input.steps.length === 0) return { status: 'ready', ran: [], keep: [] };
  await mkdir(input.logDir, { recursive: true });
  const tree = input.steps.some((step) => step.inputs) ? await listTree(input.root, input.commit, input.configDir) : [];
  const ran: string[] = [];
  for (const [index, step] of input.steps.entries()) {
    const key = step.inputs ? inputsKey(step, tree) : undefined;
    const remembered = input.memory.get(index);
    if (key !== undefined && remembered?.key === key) continue;
    // A step run again starts from a tree without what it made last time (a link made twice nests).
    for (const made of remembered?.made ?? [])
      await rm(join(input.checkoutPath, made), { recursive: true, force: true });
    input.memory.delete(index);
    const before = key === undefined ? undefined : new Set(await untrackedPaths(input.checkoutPath));
    const logPath = join(input.logDir, `judge-setup-${index + 1}.log`);
    const result = await runProcess({
      command: step.run,
      cwd: input.root,
      env: { SLUICE_MAIN_CHECKOUT: join(input.repoRoot, input.configDir), SLUICE_JUDGED_COMMIT: input.commit },
      timeoutMs: setupTimeoutMs,
      outputPath: logPath,
      // Nothing a setup step starts may still run when the gates do.
      contain: true,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    if (result.status !== 'exited' || result.exitCode !== 0) {
      input.memory.delete(index);
      const how = result.status === 'exited' ? `exit ${result.exitCode}` : result.status;
      const tail = (await readFile(logPath, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' / ');
      return {
        status: 'failed',
        reason: `setup step ${index + 1} (${step.run}) failed in the judge checkout: ${how}${tail ? `: ${tail}` : ''} (log: ${logPath})`,
      };
    }
    if (key !== undefined && before !== undefined) {
      const made = (await untrackedPaths(input.checkoutPath)).filter((path) => !before.has(path));
      input.memory.set(index, { key, made });
    }
    ran.push(step.run);
  }
  const keep = [...input.memory.values()].flatMap((entry) => entry.made);
  return { status: 'ready', ran, keep };
}

interface TreeEntry {
  /** Relative to the folder of sluice.yaml. */
  path: string;
  blob: string;
}

/** Every file of the commit under the config folder with its blob id: what a step's inputs are matched against. */
async function listTree(root: string, commit: string, configDir: string): Promise<TreeEntry[]> {
  const output = await runGitChecked(root, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  return output
    .split('\0')
    .filter((line) => line !== '')
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      return { path: configDir === '' ? path : relative(configDir, path), blob: meta.split(' ')[2] ?? '' };
    })
    .filter((entry) => !entry.path.startsWith('..'));
}

function inputsKey(step: SetupStep, tree: TreeEntry[]): string {
  const matches = picomatch(step.inputs ?? [], { dot: true });
  const hash = createHash('sha256').update(`${step.run}\n`);
  for (const entry of tree) if (matches(entry.path)) hash.update(`${entry.path}\0${entry.blob}\n`);
  return hash.digest('hex');
}
