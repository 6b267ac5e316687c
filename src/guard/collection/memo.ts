import picomatch from 'picomatch';

/**
 * `compute` remembered by its key: a configuration is read, and a glob compiled, once per guard however many
 * files are asked about. Bounded: the guard of a long run sees few configurations, but never keeps them all.
 */
export function remembered<T>(compute: (key: string) => T): (key: string) => T {
  const seen = new Map<string, T>();
  return (key) => {
    if (seen.has(key)) return seen.get(key) as T;
    if (seen.size >= 256) seen.clear();
    const value = compute(key);
    seen.set(key, value);
    return value;
  };
}

const compiled = remembered((key) => {
  const { globs, dot } = JSON.parse(key) as { globs: string[]; dot: boolean };
  return picomatch(globs, { dot });
});

/** picomatch's matcher of `globs`, compiled once. */
export function globMatcher(
  globs: string | readonly string[],
  options: { dot?: boolean } = {},
): (path: string) => boolean {
  return compiled(JSON.stringify({ globs: typeof globs === 'string' ? [globs] : globs, dot: options.dot === true }));
}
