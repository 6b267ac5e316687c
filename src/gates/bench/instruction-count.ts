import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findOnPath } from '../../process/sandbox/bubblewrap.ts';
import { makeScratchDir } from '../../process/scratch-dir.ts';

/**
 * Instructions executed by a bench run: the command runs under valgrind's cachegrind (cache simulation
 * off: it only counts), which follows every fork and, with `--trace-children=yes`, every exec, and
 * writes each process's count (`summary: N`, its Ir) to a file of its own when the process ends. The
 * run's count is the sum over the process tree. Unlike wall or CPU time it does not depend on what
 * else the machine is doing, so a few runs settle a verdict; the price is a run some 20-50x slower.
 *
 * Processes still running when the command ends are killed by containment before they write a count:
 * as with CPU time, work the command did not wait for is not counted. perf's hardware counter
 * (`perf stat -e instructions`) would be faster, but is missing in most VMs and containers.
 */
export interface InstructionCountedCommand {
  command: { file: string; args: string[] };
  /** Where valgrind writes the counts and its own messages; removed by readInstructionCount. */
  dir: string;
}

/** The tool that counts; the gate refuses to start without it. */
export const instructionCounter = 'valgrind';

/** Whether valgrind is on PATH here. */
export function canCountInstructions(): boolean {
  return findOnPath(instructionCounter) !== undefined;
}

/** What a gate without valgrind tells people: what is missing and how to get it. */
export function missingCounterProblem(metric: string): string {
  return (
    `metric ${metric} counts instructions with valgrind, which is not installed here: install it ` +
    '(Debian/Ubuntu `apt-get install valgrind`, Fedora `dnf install valgrind`, macOS has no working valgrind), ' +
    'or measure `time: cpu` instead'
  );
}

export async function instructionCountedCommand(command: string): Promise<InstructionCountedCommand> {
  const dir = await makeScratchDir('instructions');
  const args = [
    '--tool=cachegrind',
    '--cache-sim=no',
    '--branch-sim=no',
    '--trace-children=yes',
    // %p: one file per process, so processes of the tree never overwrite each other's counts.
    `--cachegrind-out-file=${join(dir, '%p.out')}`,
    // Valgrind's own messages stay out of the run's output, where metrics are read.
    `--log-file=${join(dir, '%p.log')}`,
    '--',
    '/bin/sh',
    '-c',
    command,
  ];
  return { command: { file: instructionCounter, args }, dir };
}

/** The run's instruction count (summed over its process tree), or why there is none; the folder is removed. */
export async function readInstructionCount(
  dir: string,
): Promise<{ ok: true; count: number } | { ok: false; problem: string }> {
  try {
    const names = await readdir(dir).catch(() => [] as string[]);
    let count = 0;
    let counted = 0;
    for (const name of names.filter((candidate) => candidate.endsWith('.out'))) {
      const text = await readFile(join(dir, name), 'utf8').catch(() => '');
      const summary = /^summary: (\d+)\s*$/m.exec(text);
      if (!summary) return { ok: false, problem: `valgrind's count ${name} has no summary line (cut short?)` };
      count += Number(summary[1]);
      counted++;
    }
    if (counted === 0) {
      const complaint = await firstValgrindError(dir, names);
      return {
        ok: false,
        problem: `valgrind counted no process of the run${complaint ? `: ${complaint}` : ' (did valgrind start?)'}`,
      };
    }
    return { ok: true, count };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first line of valgrind's logs that says what went wrong, without its `==pid==` prefix. */
async function firstValgrindError(dir: string, names: string[]): Promise<string | undefined> {
  for (const name of names.filter((candidate) => candidate.endsWith('.log'))) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    const line = text
      .split('\n')
      .map((candidate) => candidate.replace(/^==\d+==\s?/, '').trim())
      .find((candidate) => /error|fail|cannot|unable|fatal/i.test(candidate));
    if (line) return line;
  }
  return undefined;
}
