import type { StackDetection } from './stack-detection.ts';

/** A `setup:` step `sluice init` writes: how to install dependencies, and the files whose change reinstalls them. */
export interface PlannedSetupStep {
  run: string;
  inputs: string[];
  why: string;
}

/**
 * The install step of each stack Sluice knows, from its lockfile. Sluice judges every commit in a clean
 * checkout of its own, and dependencies there come from this step — never from the agent's worktree.
 * Go and Rust need none (their module caches are outside the tree); a Python project without uv or
 * poetry gets none and borrows the `.venv` of the user's checkout.
 */
export function planSetup(detection: StackDetection): PlannedSetupStep[] {
  const steps: PlannedSetupStep[] = [];
  const node = detection.node;
  if (node) {
    const lockfile = node.packageManagerEvidence;
    const hasLock = lockfile !== undefined && lockfile !== 'package.json';
    const inputs = hasLock ? ['package.json', lockfile] : ['package.json'];
    const why = hasLock ? `${lockfile} pins the dependencies` : 'package.json lists the dependencies';
    // A manager that is not installed cannot install: npm reads package.json instead, and init warns.
    const manager = node.packageManagerMissing ? 'npm' : node.packageManager;
    if (node.packageManagerMissing) {
      steps.push({
        run: 'npm install --no-audit --no-fund',
        inputs,
        why: `${node.packageManager} is not installed, so npm installs from package.json (it cannot read ${lockfile ?? 'the lockfile'})`,
      });
    }
    switch (node.packageManagerMissing ? undefined : manager) {
      case 'npm':
        steps.push({ run: hasLock ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', inputs, why });
        break;
      case 'pnpm':
        steps.push({ run: `pnpm install${hasLock ? ' --frozen-lockfile' : ''}`, inputs, why });
        break;
      case 'yarn':
        steps.push({ run: `yarn install${hasLock ? ' --frozen-lockfile' : ''}`, inputs, why });
        break;
      case 'bun':
        steps.push({ run: `bun install${hasLock ? ' --frozen-lockfile' : ''}`, inputs, why });
        break;
    }
  }
  const prefix = detection.python?.runPrefix;
  if (prefix?.name === 'uv run') {
    steps.push({
      run: 'uv sync --frozen',
      inputs: ['pyproject.toml', 'uv.lock'],
      why: 'uv.lock pins the dependencies',
    });
  } else if (prefix?.name === 'poetry run') {
    steps.push({
      run: 'poetry install --no-interaction',
      inputs: ['pyproject.toml', 'poetry.lock'],
      why: 'poetry.lock pins the dependencies',
    });
  }
  return steps;
}
