import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SluiceError } from '../../errors.ts';

/**
 * One `sluice work` per store: a pid file next to the database. A file left by a dead dispatcher
 * (kill -9) is taken over. Resolves to the function that releases it.
 */
export async function holdWorkLock(storePath: string): Promise<() => Promise<void>> {
  const path = join(dirname(storePath), 'work.pid');
  const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
    throw new SluiceError('WORK_RUNNING', `sluice work is already running here (pid ${holder}); stop it first`);
  }
  await writeFile(path, `${process.pid}\n`);
  return async () => {
    const current = (await readFile(path, 'utf8').catch(() => '')).trim();
    if (current === String(process.pid)) await rm(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
