import { access, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SluiceError } from '../../errors.ts';
import { configFileNames } from '../config-file.ts';
import { configSchema } from '../schema.ts';
import { detectStack } from './detect-stack.ts';
import type { GatePlan, PlannedGate } from './gate-plan.ts';
import { planGates } from './plan-gates.ts';
import { renderConfig } from './render-config.ts';

export interface InitOptions {
  /** The repository folder; sluice.yaml is written here. */
  dir: string;
  /** Overwrite an existing sluice.yaml. */
  force?: boolean;
  /** Plan and render only: write nothing (not sluice.yaml, not .gitignore); the result carries the text. */
  dryRun?: boolean;
  /** The PATH searched for package managers; the process's own by default. */
  searchPath?: string;
}

/** Why each gate is there, for `--dry-run`: its name, command and the script or file it came from. */
export interface GateOrigin {
  name: string;
  run: string;
  why: string;
}

/** What `sluice init` did; the CLI prints it. `actions` lists the changes made besides sluice.yaml. */
export type InitResult =
  | {
      status: 'written';
      path: string;
      found: string[];
      guessed: string[];
      warnings: string[];
      gateNames: string[];
      gates: GateOrigin[];
      actions: string[];
      /** The sluice.yaml text (written, or with `dryRun` what would be). */
      text: string;
      dryRun: boolean;
    }
  | { status: 'exists'; path: string }
  // `found` can list facts that gave no gate (a package.json without check scripts, a bare pyproject.toml).
  | {
      status: 'nothing-found';
      path: string;
      found: string[];
      guessed: string[];
      warnings: string[];
      gateNames: string[];
      gates: GateOrigin[];
      actions: string[];
      text: string;
      dryRun: boolean;
    };

/**
 * When nothing is recognized we still write a config, with one gate that fails until it is replaced:
 * the user asked for a sluice.yaml to edit, and a gate that passed would let agent runs count as
 * done with nothing checked.
 */
const placeholderGate: PlannedGate = {
  name: 'check',
  run: "echo 'replace me with your checks' && exit 1",
  kind: 'other',
  tier: 1,
  needs: [],
  report: { format: 'generic' },
  why: 'nothing recognized in this repository, so this placeholder stands in for your checks',
  guesses: ['placeholder that fails on purpose until you replace run with your build, lint and test commands'],
};

const gitignoreEntries = new Set([
  '.sluice',
  '.sluice/',
  '/.sluice',
  '/.sluice/',
  '.sluice/*',
  '/.sluice/*',
  '.sluice/**',
]);

/** Detects the stack at `dir` and writes a commented sluice.yaml there, unless one exists and `force` is off. */
export async function initConfig({ dir, force = false, dryRun = false, searchPath }: InitOptions): Promise<InitResult> {
  const root = resolve(dir);
  const existing = await firstExisting(configFileNames.map((name) => join(root, name)));
  const path = existing ?? join(root, 'sluice.yaml');
  if (existing && !force && !dryRun) return { status: 'exists', path };

  const detected = planGates(await detectStack(root, searchPath === undefined ? {} : { searchPath }));
  const nothingFound = detected.gates.length === 0;
  const plan: GatePlan = nothingFound
    ? { ...detected, gates: [placeholderGate], guessed: [...detected.guessed, `check: ${placeholderGate.guesses[0]}`] }
    : detected;
  const text = renderConfig(plan);
  assertValidConfig(text);
  const actions: string[] = [];
  if (!dryRun) {
    await writeFile(path, text);
    actions.push(`wrote ${path}`);
    if (await ignoreSluiceFolder(root)) actions.push('added .sluice/ to .gitignore');
  }
  const gateNames = plan.gates.map((gate) => gate.name);
  const gates = plan.gates.map(({ name, run, why }) => ({ name, run, why }));
  const status = nothingFound ? 'nothing-found' : 'written';
  const warnings = plan.warnings ?? [];
  return { status, path, found: plan.found, guessed: plan.guessed, warnings, gateNames, gates, actions, text, dryRun };
}

/** The written file must load; a failure here is a bug in init, not in the user's repository. */
function assertValidConfig(text: string): void {
  const result = configSchema.safeParse(parse(text));
  if (!result.success) {
    throw new SluiceError(
      'INIT_INVALID_OUTPUT',
      `sluice init produced an invalid sluice.yaml: ${result.error.message}`,
      {
        cause: result.error,
      },
    );
  }
}

/** Adds `.sluice/` (reports, cache) to an existing .gitignore that lacks it; never creates one. */
async function ignoreSluiceFolder(root: string): Promise<boolean> {
  const gitignore = join(root, '.gitignore');
  let text: string;
  try {
    text = await readFile(gitignore, 'utf8');
  } catch {
    return false;
  }
  if (text.split(/\r?\n/).some((line) => gitignoreEntries.has(line.trim()))) return false;
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFile(gitignore, `${text}${separator}.sluice/\n`);
  return true;
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path);
      return path;
    } catch {
      // Not there; try the next name.
    }
  }
  return undefined;
}
