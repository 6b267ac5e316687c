// Prints the built dashboard's size, gzipped as a browser downloads it, and fails past the budget:
// the whole front end must stay under 200 kB gzipped (issue 14).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const budgetBytes = 200 * 1024;
const root = fileURLToPath(new URL('../dist/web', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let total = 0;
const lines: string[] = [];
for (const path of files(root).sort()) {
  const gzipped = gzipSync(readFileSync(path), { level: 9 }).length;
  total += gzipped;
  lines.push(`  ${relative(root, path).padEnd(36)} ${(gzipped / 1024).toFixed(1).padStart(7)} kB gz`);
}
lines.push(`web front end: ${(total / 1024).toFixed(1)} kB gzipped (budget ${budgetBytes / 1024} kB)`);
process.stdout.write(`${lines.join('\n')}\n`);
if (total > budgetBytes) {
  process.stderr.write('the built front end is over its 200 kB gzipped budget\n');
  process.exit(1);
}
