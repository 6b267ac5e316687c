import { readFile } from 'node:fs/promises';

const checkbox = /^\s*[-*+]\s+\[([ xX])\]\s+(.+)$/;
const maxOpenItems = 10;

/**
 * The progress of a Markdown plan (a checklist the agent keeps up to date in the worktree):
 * "3 of 7 steps done", then the open steps, first one first. Undefined when the file is missing.
 */
export async function readPlanProgress(planPath: string): Promise<string | undefined> {
  const text = await readFile(planPath, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return describePlanProgress(text);
}

/** The `- [ ] item` / `- [x] item` lines of a Markdown checklist, in order, with their 1-based line. */
export function checklistItems(text: string): Array<{ done: boolean; title: string; line: number }> {
  return text.split('\n').flatMap((line, index) => {
    const match = checkbox.exec(line);
    return match ? [{ done: match[1] !== ' ', title: (match[2] ?? '').trim(), line: index + 1 }] : [];
  });
}

/** The same from the plan's text. */
export function describePlanProgress(text: string): string {
  const items = checklistItems(text);
  if (items.length === 0) return 'The plan has no checklist items ("- [ ] step"): add them so progress can be tracked.';
  const open = items.filter((item) => !item.done);
  const lines = [`${items.length - open.length} of ${items.length} steps done.`];
  if (open.length > 0) {
    lines.push('Open steps, do the first one next and tick it in the plan when the checks pass:');
    lines.push(...open.slice(0, maxOpenItems).map((item) => `- [ ] ${item.title}`));
    if (open.length > maxOpenItems) lines.push(`… and ${open.length - maxOpenItems} more in the plan file.`);
  }
  return lines.join('\n');
}
