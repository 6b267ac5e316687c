import { describe, expect, it } from 'vitest';
import type { ChangedFile } from '../../../src/guard/changed-files.ts';
import type { Finding } from '../../../src/guard/finding.ts';
import { assertionsUnreachable } from '../../../src/guard/rules/assertions-unreachable.ts';
import { compareTests } from '../../../src/guard/tests/test-changes.ts';

function findingsFor(path: string, before: string, after: string): Finding[] {
  const changed: ChangedFile[] = [{ path, status: 'modified', before, after }];
  return assertionsUnreachable.check({ ...compareTests('main', changed), changed, protectedBy: () => undefined });
}

const js = (body: string) =>
  `import { expect, it } from 'vitest';\nimport { total } from '../src/total.js';\n\nit('adds the lines', () => {\n${body}\n});\n`;
const jsBase = js('  const sum = total([1, 2]);\n  expect(sum).toBe(3);\n  expect(total([])).toBe(0);');

const py = (body: string) => `from shop import total\n\n\ndef test_total():\n${body}\n`;
const pyBase = py('    s = total([1, 2])\n    assert s == 3\n    assert total([]) == 0');

const go = (body: string) => `package shop\n\nimport "testing"\n\nfunc TestTotal(t *testing.T) {\n${body}\n}\n`;
const goBase = go(
  '\tif got := Total(1, 2); got != 3 {\n\t\tt.Errorf("got %d", got)\n\t}\n\tif Total() != 0 {\n\t\tt.Fatal("empty")\n\t}',
);

const rs = (body: string) => `use shop::total;\n\n#[test]\nfn adds_the_lines() {\n${body}\n}\n`;
const rsBase = rs('    let sum = total(&[1, 2]);\n    assert_eq!(sum, 3);\n    assert_eq!(total(&[]), 0);');

const tampered: Array<[string, string, string, string, string]> = [
  [
    'js early return',
    'test/total.test.ts',
    jsBase,
    js('  const sum = total([1, 2]);\n  return;\n  expect(sum).toBe(3);\n  expect(total([])).toBe(0);'),
    '`return;`',
  ],
  [
    'js return value',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  if (sum) {}\n  return sum;\n  expect(sum).toBe(3);\n  expect(total([])).toBe(0);',
    ),
    '`return sum;`',
  ],
  [
    'js if (true) return',
    'test/total.test.ts',
    jsBase,
    js('  if (true) return;\n  const sum = total([1, 2]);\n  expect(sum).toBe(3);\n  expect(total([])).toBe(0);'),
    '`if (true) return;`',
  ],
  [
    'js if (false)',
    'test/total.test.ts',
    jsBase,
    js('  const sum = total([1, 2]);\n  if (false) {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  }'),
    '`if (false)`',
  ],
  [
    'js if (1 === 2)',
    'test/total.test.ts',
    jsBase,
    js('  const sum = total([1, 2]);\n  if (1 === 2) {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  }'),
    '`if (1 === 2)`',
  ],
  [
    'js constant flag',
    'test/total.test.ts',
    jsBase,
    `const checking = false;\n${js('  const sum = total([1, 2]);\n  if (checking) {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  }')}`,
    '`if (checking)`',
  ],
  [
    'js while (false)',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  while (false) {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  }',
    ),
    '`while (false)`',
  ],
  [
    'js empty catch',
    'test/total.test.ts',
    jsBase,
    js('  const sum = total([1, 2]);\n  try {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  } catch {}'),
    '`try { ... } catch {}`',
  ],
  [
    'js catch that logs',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  try {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  } catch (e) {\n    console.warn(e);\n  }',
    ),
    'catch (e)',
  ],
  [
    'js finally return',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  try {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  } finally {\n    return;\n  }',
    ),
    'finally { return }',
  ],
  [
    'py early return',
    'tests/test_total.py',
    pyBase,
    py('    s = total([1, 2])\n    return\n    assert s == 3\n    assert total([]) == 0'),
    '`return`',
  ],
  [
    'py if False',
    'tests/test_total.py',
    pyBase,
    py('    s = total([1, 2])\n    if False:\n        assert s == 3\n        assert total([]) == 0'),
    '`if False`',
  ],
  [
    'py if 0 and x',
    'tests/test_total.py',
    pyBase,
    py('    s = total([1, 2])\n    if 0 and s:\n        assert s == 3\n        assert total([]) == 0'),
    '`if 0 and s`',
  ],
  [
    'py bare except pass',
    'tests/test_total.py',
    pyBase,
    py(
      '    s = total([1, 2])\n    try:\n        assert s == 3\n        assert total([]) == 0\n    except:\n        pass',
    ),
    'try: ... except: pass',
  ],
  [
    'py except AssertionError',
    'tests/test_total.py',
    pyBase,
    py(
      '    s = total([1, 2])\n    try:\n        assert s == 3\n        assert total([]) == 0\n    except AssertionError as e:\n        print(e)',
    ),
    'except AssertionError as e',
  ],
  [
    'py suppress',
    'tests/test_total.py',
    `import contextlib\n${pyBase}`,
    `import contextlib\n${py('    s = total([1, 2])\n    with contextlib.suppress(AssertionError):\n        assert s == 3\n        assert total([]) == 0')}`,
    'suppress(AssertionError)',
  ],
  [
    'py skip after conditional skip',
    'tests/test_total.py',
    `import os\nimport pytest\n${py('    if os.environ.get("NO_DB"):\n        pytest.skip("no db")\n    s = total([1, 2])\n    assert s == 3\n    assert total([]) == 0')}`,
    `import os\nimport pytest\n${py('    if os.environ.get("NO_DB"):\n        pytest.skip("no db")\n    pytest.skip("later")\n    s = total([1, 2])\n    assert s == 3\n    assert total([]) == 0')}`,
    'pytest.skip("later")',
  ],
  [
    'go early return',
    'shop/total_test.go',
    goBase,
    go(
      '\treturn\n\tif got := Total(1, 2); got != 3 {\n\t\tt.Errorf("got %d", got)\n\t}\n\tif Total() != 0 {\n\t\tt.Fatal("empty")\n\t}',
    ),
    '`return`',
  ],
  [
    'go if false',
    'shop/total_test.go',
    goBase,
    go(
      '\tif false {\n\t\tif got := Total(1, 2); got != 3 {\n\t\t\tt.Errorf("got %d", got)\n\t\t}\n\t\tif Total() != 0 {\n\t\t\tt.Fatal("empty")\n\t\t}\n\t}',
    ),
    '`if false`',
  ],
  [
    'go if true return',
    'shop/total_test.go',
    goBase,
    go(
      '\tif true {\n\t\treturn\n\t}\n\tif got := Total(1, 2); got != 3 {\n\t\tt.Errorf("got %d", got)\n\t}\n\tif Total() != 0 {\n\t\tt.Fatal("empty")\n\t}',
    ),
    'if true',
  ],
  [
    'rust early return',
    'tests/total.rs',
    rsBase,
    rs('    let sum = total(&[1, 2]);\n    return;\n    assert_eq!(sum, 3);\n    assert_eq!(total(&[]), 0);'),
    '`return`',
  ],
  [
    'rust if false',
    'tests/total.rs',
    rsBase,
    rs(
      '    let sum = total(&[1, 2]);\n    if false {\n        assert_eq!(sum, 3);\n        assert_eq!(total(&[]), 0);\n    }',
    ),
    '`if false`',
  ],
  [
    'rust catch_unwind',
    'tests/total.rs',
    rsBase,
    rs(
      '    let sum = total(&[1, 2]);\n    let _ = std::panic::catch_unwind(|| {\n        assert_eq!(sum, 3);\n        assert_eq!(total(&[]), 0);\n    });',
    ),
    'let _ = std::panic::catch_unwind(...)',
  ],
  [
    'rust catch_unwind ok()',
    'tests/total.rs',
    rsBase,
    rs(
      '    let sum = total(&[1, 2]);\n    std::panic::catch_unwind(|| {\n        assert_eq!(sum, 3);\n        assert_eq!(total(&[]), 0);\n    }).ok();',
    ),
    'catch_unwind(...)',
  ],
  [
    'ts cast of false',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  if (false as boolean) {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  }',
    ),
    '`if (false as boolean)`',
  ],
  [
    'js void 0',
    'test/total.test.ts',
    jsBase,
    js('  const sum = total([1, 2]);\n  if (void 0) {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  }'),
    '`if (void 0)`',
  ],
  [
    'js return in a nested block',
    'test/total.test.ts',
    jsBase,
    js('  const sum = total([1, 2]);\n  {\n    return;\n  }\n  expect(sum).toBe(3);\n  expect(total([])).toBe(0);'),
    '`return;`',
  ],
  [
    'py while False',
    'tests/test_total.py',
    pyBase,
    py('    s = total([1, 2])\n    while False:\n        assert s == 3\n        assert total([]) == 0'),
    '`while False`',
  ],
  [
    'py except Exception that prints',
    'tests/test_total.py',
    pyBase,
    py(
      '    s = total([1, 2])\n    try:\n        assert s == 3\n        assert total([]) == 0\n    except (ValueError, Exception):\n        print("flaky")',
    ),
    'except (ValueError, Exception)',
  ],
  [
    'py finally return',
    'tests/test_total.py',
    pyBase,
    py(
      '    s = total([1, 2])\n    try:\n        assert s == 3\n        assert total([]) == 0\n    finally:\n        return',
    ),
    'finally: return',
  ],
  [
    'go skip after a conditional skip',
    'shop/total_test.go',
    go('\tif testing.Short() {\n\t\tt.Skip("slow")\n\t}\n\tif Total() != 0 {\n\t\tt.Fatal("empty")\n\t}'),
    go(
      '\tif testing.Short() {\n\t\tt.Skip("slow")\n\t}\n\tt.SkipNow()\n\tif Total() != 0 {\n\t\tt.Fatal("empty")\n\t}',
    ),
    '`t.SkipNow()`',
  ],
  [
    'rust drop(catch_unwind)',
    'tests/total.rs',
    rsBase,
    rs(
      '    let sum = total(&[1, 2]);\n    drop(std::panic::catch_unwind(|| {\n        assert_eq!(sum, 3);\n        assert_eq!(total(&[]), 0);\n    }));',
    ),
    'catch_unwind(...)',
  ],
  [
    'rust if 1 == 2',
    'tests/total.rs',
    rsBase,
    rs(
      '    let sum = total(&[1, 2]);\n    if 1 == 2 {\n        assert_eq!(sum, 3);\n        assert_eq!(total(&[]), 0);\n    }',
    ),
    '`if 1 == 2`',
  ],
  [
    'py if TYPE_CHECKING',
    'tests/test_total.py',
    pyBase,
    py('    s = total([1, 2])\n    if typing.TYPE_CHECKING:\n        assert s == 3\n        assert total([]) == 0'),
    '`if typing.TYPE_CHECKING`',
  ],
];

const legit: Array<[string, string, string, string]> = [
  [
    'js conditional return on a real condition',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  if (process.env.SKIP_TOTAL) return;\n  expect(sum).toBe(3);\n  expect(total([])).toBe(0);',
    ),
  ],
  [
    'js return that was there at the base',
    'test/total.test.ts',
    js('  return;\n  expect(total([1, 2])).toBe(3);'),
    js('  return;\n  expect(total([1, 2])).toBe(3);\n  expect(total([])).toBe(0);'),
  ],
  [
    'js catch that re-throws',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  try {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  } catch (e) {\n    console.warn(sum);\n    throw e;\n  }',
    ),
  ],
  [
    'js catch that asserts on the error',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  expect(sum).toBe(3);\n  try {\n    total(null);\n    expect(total([])).toBe(0);\n  } catch (e) {\n    expect(e).toBeInstanceOf(TypeError);\n  }',
    ),
  ],
  [
    'js return inside a callback',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = [[1, 2]].map((lines) => {\n    return total(lines);\n  })[0];\n  expect(sum).toBe(3);\n  expect(total([])).toBe(0);',
    ),
  ],
  [
    'py except ValueError pass',
    'tests/test_total.py',
    pyBase,
    py(
      '    s = total([1, 2])\n    try:\n        assert s == 3\n        assert total([]) == 0\n    except ValueError:\n        pass',
    ),
  ],
  [
    'py except that re-raises',
    'tests/test_total.py',
    pyBase,
    py(
      '    s = total([1, 2])\n    try:\n        assert s == 3\n        assert total([]) == 0\n    except Exception:\n        print(s)\n        raise',
    ),
  ],
  [
    'py guard clause on a real condition',
    'tests/test_total.py',
    `import sys\n${pyBase}`,
    `import sys\n${py('    if sys.platform == "win32":\n        return\n    s = total([1, 2])\n    assert s == 3\n    assert total([]) == 0')}`,
  ],
  [
    'py if True keeps its body',
    'tests/test_total.py',
    pyBase,
    py('    s = total([1, 2])\n    if True:\n        assert s == 3\n        assert total([]) == 0'),
  ],
  [
    'go conditional return',
    'shop/total_test.go',
    goBase,
    go(
      '\tif testing.Short() {\n\t\treturn\n\t}\n\tif got := Total(1, 2); got != 3 {\n\t\tt.Errorf("got %d", got)\n\t}\n\tif Total() != 0 {\n\t\tt.Fatal("empty")\n\t}',
    ),
  ],
  [
    'rust catch_unwind whose result is asserted',
    'tests/total.rs',
    rsBase,
    rs(
      '    let sum = total(&[1, 2]);\n    assert_eq!(sum, 3);\n    let result = std::panic::catch_unwind(|| {\n        assert_eq!(total(&[]), 0);\n    });\n    assert!(result.is_ok());',
    ),
  ],
  [
    'rust return after the assertions',
    'tests/total.rs',
    rsBase,
    rs('    let sum = total(&[1, 2]);\n    assert_eq!(sum, 3);\n    assert_eq!(total(&[]), 0);\n    return;'),
  ],
  [
    'js mocha catch that hands the error to done',
    'test/total.test.ts',
    jsBase,
    js(
      '  const sum = total([1, 2]);\n  try {\n    expect(sum).toBe(3);\n    expect(total([])).toBe(0);\n  } catch (error) {\n    done(error);\n  }',
    ),
  ],
  [
    'py except that calls self.fail',
    'tests/test_total.py',
    pyBase,
    py(
      '    s = total([1, 2])\n    try:\n        assert s == 3\n        assert total([]) == 0\n    except Exception as error:\n        self.fail(str(error))',
    ),
  ],
  [
    'py flag assigned twice',
    'tests/test_total.py',
    `CHECK = False\nCHECK = True\n${pyBase}`,
    `CHECK = False\nCHECK = True\n${py('    s = total([1, 2])\n    if CHECK:\n        assert s == 3\n        assert total([]) == 0')}`,
  ],
  [
    'js default parameter is no constant',
    'test/total.test.ts',
    jsBase,
    js(
      '  const check = (strict = false) => strict;\n  const sum = total([1, 2]);\n  if (check(true)) {\n    expect(sum).toBe(3);\n  }\n  expect(total([])).toBe(0);',
    ),
  ],
];

describe('assertions-unreachable', () => {
  it.each(tampered)('blocks %s', (_name, path, before, after, construct) => {
    const findings = findingsFor(path, before, after);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'assertions-unreachable', path, severity: 'block' });
    expect(findings[0]?.message).toContain(construct);
    expect(findings[0]?.message).toMatch(/test "[^"]+": \d assertions? that ran at the base/);
  });

  it.each(legit)('stays quiet on %s', (_name, path, before, after) => {
    expect(findingsFor(path, before, after)).toEqual([]);
  });

  it('names the test, the construct with its line, each assertion and the fix', () => {
    const after = js('  const sum = total([1, 2]);\n  return;\n  expect(sum).toBe(3);\n  expect(total([])).toBe(0);');
    expect(findingsFor('test/total.test.ts', jsBase, after)).toEqual([
      {
        rule: 'assertions-unreachable',
        path: 'test/total.test.ts',
        line: 6,
        severity: 'block',
        message:
          'test "adds the lines": 2 assertions that ran at the base never run: they come after `return;` (line 6): ' +
          '`expect(sum).toBe(3)` (line 7), `expect(total([])).toBe(0)` (line 8); delete `return;` (line 6) so the ' +
          'assertions after it run again',
      },
    ]);
  });

  it('names the tests of a suite whose body returns before them', () => {
    const before = `describe('cart', () => {\n  it('a', () => {\n    expect(1).toBe(1);\n  });\n  it('b', () => {\n    expect(2).toBe(2);\n  });\n});\n`;
    const after = before.replace("describe('cart', () => {\n", "describe('cart', () => {\n  return;\n");
    const findings = findingsFor('test/cart.test.ts', before, after);
    expect(findings.map((finding) => finding.message.split(':')[0])).toEqual(['test "cart > a"', 'test "cart > b"']);
  });

  it('reads a file of 2000 tests in a few seconds at most', () => {
    const many = Array.from(
      { length: 2000 },
      (_, index) => `it('t${index}', () => {\n  expect(total([${index}])).toBe(${index});\n});\n`,
    ).join('');
    const after = many.replace("it('t7', () => {\n", "it('t7', () => {\n  return;\n");
    const changed: ChangedFile[] = [{ path: 'test/many.test.ts', status: 'modified', before: many, after }];
    const context = { ...compareTests('main', changed), changed, protectedBy: () => undefined };
    const started = performance.now();
    const findings = assertionsUnreachable.check(context);
    // Measured about 0.4 s on a 2-core machine (a walk of the tree in JS took 5 s); the bound leaves room for load.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(findings.map((finding) => finding.message.split(':')[0])).toEqual(['test "t7"']);
  });

  it('leaves a skip call in a test that had no skip to skip-marker-added', () => {
    const after = py('    pytest.skip("later")\n    s = total([1, 2])\n    assert s == 3\n    assert total([]) == 0');
    expect(findingsFor('tests/test_total.py', pyBase, after)).toEqual([]);
  });
});
