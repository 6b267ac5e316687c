import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workflowsDir } from './workflow-file.ts';

/** Workflows shipped with Sluice, as files users copy into .sluice/workflows and change. */
export const builtinWorkflowNames = ['plan'] as const;
export type BuiltinWorkflowName = (typeof builtinWorkflowNames)[number];

/** The shipped file of a built-in workflow (`workflows/<name>.yaml` in the package). */
export function builtinWorkflowFile(name: BuiltinWorkflowName): string {
  return fileURLToPath(new URL(`../../workflows/${name}.yaml`, import.meta.url));
}

/**
 * Copy a built-in workflow into `.sluice/workflows/` unless a file of that name is there (a user's copy
 * is never overwritten, unless `force`). Says whether it wrote the file.
 */
export async function ejectBuiltinWorkflow(
  configRoot: string,
  name: BuiltinWorkflowName,
  options: { force?: boolean } = {},
): Promise<{ path: string; written: boolean }> {
  const dir = workflowsDir(configRoot);
  const path = join(dir, `${name}.yaml`);
  if (!options.force && (existsSync(path) || existsSync(join(dir, `${name}.yml`)))) return { path, written: false };
  await mkdir(dir, { recursive: true });
  await copyFile(builtinWorkflowFile(name), path);
  return { path, written: true };
}
