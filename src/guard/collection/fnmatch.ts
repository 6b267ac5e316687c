/** Python's `fnmatch` (what pytest matches `python_files`, `norecursedirs` and ignore globs with) as a RegExp. */
export function fnmatchRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern.charAt(index);
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = pattern.indexOf(']', index + 2);
      if (end === -1) source += '\\[';
      else {
        const inside = pattern.slice(index + 1, end);
        source += `[${inside.startsWith('!') ? `^${inside.slice(1)}` : inside.replace(/\\/g, '\\\\')}]`;
        index = end;
      }
    } else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

const compiled = new Map<string, RegExp>();

export function fnmatch(name: string, pattern: string): boolean {
  let regExp = compiled.get(pattern);
  if (!regExp) {
    regExp = fnmatchRegExp(pattern);
    if (compiled.size >= 256) compiled.clear();
    compiled.set(pattern, regExp);
  }
  return regExp.test(name);
}
