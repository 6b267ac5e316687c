import type { SgNode } from '@ast-grep/napi';
import type { TestMarker } from '../tests/test-case.ts';

const goBuildLine = /^\/\/go:build\s+(.*)$/;
const plusBuildLine = /^\/\/ \+build\s+(.*)$/;

const goOs: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
const goArch: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64' };
const unixOses = new Set(['linux', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'aix', 'android', 'illumos']);

/**
 * The tags `go test` satisfies without `-tags`, on this machine: its GOOS and GOARCH, `unix`, `gc`, `cgo` and
 * every `go1.N` release tag. Anything else (`ignore`, `integration`, `never`) needs a `-tags` flag the gate does
 * not pass, so a file built only under it is never compiled.
 */
function defaultTag(tag: string): boolean {
  const os = goOs[process.platform] ?? process.platform;
  if (tag === os || tag === (goArch[process.arch] ?? process.arch)) return true;
  if (tag === 'unix') return unixOses.has(os);
  return tag === 'gc' || tag === 'cgo' || /^go1\.\d+$/.test(tag);
}

/** `//go:build` expression syntax: `!`, `&&`, `||`, parentheses and tags. Undefined when it does not parse. */
function evaluate(expression: string): boolean | undefined {
  const tokens = expression.match(/&&|\|\||[!()]|[\w.]+|\S/g) ?? [];
  let at = 0;
  const or = (): boolean | undefined => {
    let value = and();
    while (value !== undefined && tokens[at] === '||') {
      at += 1;
      const right = and();
      value = right === undefined ? undefined : value || right;
    }
    return value;
  };
  const and = (): boolean | undefined => {
    let value = not();
    while (value !== undefined && tokens[at] === '&&') {
      at += 1;
      const right = not();
      value = right === undefined ? undefined : value && right;
    }
    return value;
  };
  const not = (): boolean | undefined => {
    const token = tokens[at];
    at += 1;
    if (token === '!') {
      const value = not();
      return value === undefined ? undefined : !value;
    }
    if (token === '(') {
      const value = or();
      if (tokens[at] !== ')') return undefined;
      at += 1;
      return value;
    }
    return token !== undefined && /^[\w.]+$/.test(token) ? defaultTag(token) : undefined;
  };
  const value = or();
  return at === tokens.length ? value : undefined;
}

/** The old `// +build a,b c` syntax: spaces are "or", commas "and", `!` negates a tag. */
function evaluatePlusBuild(options: string): boolean {
  return options
    .trim()
    .split(/\s+/)
    .some((option) =>
      option.split(',').every((term) => (term.startsWith('!') ? !defaultTag(term.slice(1)) : defaultTag(term))),
    );
}

/**
 * Build constraints above the package clause that a plain `go test` does not satisfy (`//go:build ignore`,
 * `//go:build integration`, `//go:build windows` on Linux): no test of the file is built. `//go:build` wins
 * over `// +build` lines, as in the go command.
 */
export function buildIgnoreMarkers(root: SgNode): TestMarker[] {
  const goBuild: SgNode[] = [];
  const plusBuild: SgNode[] = [];
  for (const child of root.children()) {
    if (child.kind() === 'package_clause') break;
    if (child.kind() !== 'comment') continue;
    if (goBuildLine.test(child.text())) goBuild.push(child);
    else if (plusBuildLine.test(child.text())) plusBuild.push(child);
  }
  const excluding = (goBuild.length > 0 ? goBuild : plusBuild).filter((comment) => {
    const text = comment.text();
    const expression = goBuildLine.exec(text)?.[1];
    if (expression !== undefined) return evaluate(expression) !== true;
    return !evaluatePlusBuild(plusBuildLine.exec(text)?.[1] ?? '');
  });
  return excluding.map((comment) => ({ kind: 'skip', text: comment.text(), line: comment.range().start.line + 1 }));
}
