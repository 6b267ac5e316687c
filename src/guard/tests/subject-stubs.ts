/**
 * Stubs a change adds over the code its tests check: `cart.totalCents = () => 280`, `Cart.prototype.total = ...`,
 * `vi.spyOn(cart, 'total').mockReturnValue(280)`, `monkeypatch.setattr(calc, "total", lambda v: 6)`. An
 * assertion that then calls `cart.totalCents()` checks the stub, not the code, and still reads as before.
 */
export interface SubjectStub {
  /**
   * What the call is made on: `cart`, `calc`; `*` for a prototype, whose every instance has the stub; empty for a
   * function called by itself (imported from a mocked module).
   */
  receiver: string;
  /** The replaced function or method: `totalCents`; `*` for every export of a mocked module's namespace. */
  name: string;
  line: number;
  /** The stubbing line, trimmed. */
  text: string;
}

const receiver = String.raw`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)`;
const quoted = String.raw`['"]([A-Za-z_$][\w$]*)['"]`;

/** Each gives the receiver (group 1) and the name (group 2). */
const jsPatterns: RegExp[] = [
  // `cart.totalCents = () => 280`, `Cart.prototype.totalCents = function () {...}`
  new RegExp(String.raw`^\s*${receiver}\.([A-Za-z_$][\w$]*)\s*=(?![=>])`),
  // A spy with a made-up result (a bare spyOn calls through, so it is no stub).
  new RegExp(
    String.raw`\b(?:vi|jest)\.spyOn\(\s*${receiver}\s*,\s*${quoted}\s*\)[\s\S]*?\.mock(?:ReturnValue|ResolvedValue|RejectedValue|Implementation)`,
  ),
  new RegExp(String.raw`\bsinon\.(?:stub|replace)\(\s*${receiver}\s*,\s*${quoted}`),
  // node:test's `mock.method(object, 'name', implementation)`; without an implementation it calls through.
  new RegExp(String.raw`\bmock\.method\(\s*${receiver}\s*,\s*${quoted}\s*,`),
  new RegExp(String.raw`\bObject\.defineProperty\(\s*${receiver}\s*,\s*${quoted}`),
];
const pythonPatterns: RegExp[] = [
  new RegExp(String.raw`^\s*${receiver}\.([A-Za-z_]\w*)\s*=(?!=)`),
  new RegExp(String.raw`\b(?:monkeypatch\.setattr|setattr|patch\.object)\(\s*${receiver}\s*,\s*${quoted}`),
  // `monkeypatch.setattr("calc.total", ...)`, `patch("shop.calc.total")`: the module's last part is the receiver.
  /\b(?:monkeypatch\.setattr|patch)\(\s*['"](?:[\w.]*\.)?(\w+)\.(\w+)['"]/,
];

/** `vi.mock('../src/math.js', () => ({ ... }))`: the module's exports replaced by a factory (group 1: the path). */
const moduleMock = /\b(?:vi|jest)\.(?:mock|doMock)\(\s*['"]([^'"]+)['"]\s*,/;

/** The names a JS file takes from `specifier`, as stubs of what the mock factory on `line` replaced. */
function mockedImports(source: string, specifier: string, line: number, text: string): SubjectStub[] {
  const from = String.raw`\s*from\s*['"]${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`;
  const stubs: SubjectStub[] = [];
  const add = (receiver: string, name: string) => stubs.push({ receiver, name, line, text });
  for (const match of source.matchAll(
    new RegExp(String.raw`import\s+(?:type\s+)?(?:([\w$]+)\s*,\s*)?\{([^}]*)\}${from}`, 'g'),
  )) {
    if (match[1]) add('', match[1]);
    for (const part of (match[2] ?? '').split(',')) {
      const local = part
        .trim()
        .split(/\s+as\s+/)
        .at(-1)
        ?.trim();
      if (local && /^[\w$]+$/.test(local)) add('', local);
    }
  }
  for (const match of source.matchAll(new RegExp(String.raw`import\s+\*\s+as\s+([\w$]+)${from}`, 'g'))) {
    if (match[1]) add(match[1], '*');
  }
  for (const match of source.matchAll(new RegExp(String.raw`import\s+([\w$]+)${from}`, 'g'))) {
    if (match[1]) add('', match[1]);
  }
  return stubs;
}

/** Receivers whose members are settings, not code under test. */
const notCode = /^(?:process\.env|os\.environ|module|exports|module\.exports|this|self|cls|window\.location)$/;

/** Stubs on lines of `after` that `before` does not have (a file new in the change: every line). */
export function addedStubs(path: string, before: string | undefined, after: string): SubjectStub[] {
  const patterns = path.endsWith('.py') ? pythonPatterns : /\.[cm]?[jt]sx?$/.test(path) ? jsPatterns : [];
  if (patterns.length === 0) return [];
  const had = new Set((before ?? '').split('\n').map((line) => line.trim()));
  return after.split('\n').flatMap((line, index) => {
    if (had.has(line.trim())) return [];
    const mocked = patterns === jsPatterns ? moduleMock.exec(line)?.[1] : undefined;
    if (mocked !== undefined) return mockedImports(after, mocked, index + 1, line.trim());
    for (const pattern of patterns) {
      const match = pattern.exec(line);
      const [, owner, name] = match ?? [];
      if (owner === undefined || name === undefined || notCode.test(owner)) continue;
      const prototype = owner.endsWith('.prototype');
      return [{ receiver: prototype ? '*' : owner, name, line: index + 1, text: line.trim() }];
    }
    return [];
  });
}

/**
 * Whether `assertion` calls what `stub` replaced: `cart.totalCents(` (any `.totalCents(` for a prototype, a bare
 * `total(` for a function imported from a mocked module, any `math.x(` for its namespace).
 */
export function callsStub(assertion: string, stub: SubjectStub): boolean {
  const name = stub.name === '*' ? String.raw`[\w$]+` : stub.name.replaceAll('$', '\\$');
  if (stub.receiver === '') return new RegExp(String.raw`(?<![\w$.])${name}\s*\(`).test(assertion);
  const owner = stub.receiver === '*' ? String.raw`[\w$)\]]` : `(?<![\\w$.])${stub.receiver.replaceAll('.', '\\.')}`;
  return new RegExp(`${owner}\\s*\\.\\s*${name}\\s*\\(`).test(assertion);
}
