import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const globCharacters = /[*?[\]{}!]/;

/**
 * Drops the files the repository's root .gitignore (and .git/info/exclude) ignores — build output,
 * caches — unless a glob points into an ignored folder explicitly (`dist/**` keeps dist/ as an input).
 * Nested .gitignore files are not read.
 */
export async function createGitignoreFilter(root: string, patterns: string[]): Promise<(file: string) => boolean> {
  const rules = await Promise.all(
    ['.gitignore', join('.git', 'info', 'exclude')].map((file) => readFile(join(root, file), 'utf8').catch(() => '')),
  );
  if (rules.every((text) => text.trim() === '')) return () => true;
  // Loaded only when a .gitignore has to be applied by hand (outside git, nested repositories).
  const { default: ignore } = await import('ignore');
  const ignored = ignore().add(rules.join('\n'));
  const explicitPrefixes = patterns
    .filter((pattern) => !pattern.startsWith('!'))
    .map(literalPrefix)
    .filter((prefix) => prefix !== '' && ignored.ignores(prefix));
  return (file) => !ignored.ignores(file) || explicitPrefixes.some((prefix) => file.startsWith(prefix));
}

/** The part of a glob before its first wildcard segment: "dist/**" -> "dist/", "**\/*" -> "". */
export function literalPrefix(pattern: string): string {
  const segments = pattern.replace(/^\.\//, '').split('/');
  const firstGlob = segments.findIndex((segment) => globCharacters.test(segment));
  if (firstGlob === -1) return segments.join('/');
  return segments
    .slice(0, firstGlob)
    .map((segment) => `${segment}/`)
    .join('');
}
