import { describe, expect, it } from 'vitest';
import { parseGoTests } from '../../../src/guard/go/parse-tests.ts';
import { isGoTestFile } from '../../../src/guard/go/test-files.ts';
import type { TestCase } from '../../../src/guard/tests/test-case.ts';
import { testLanguageOf } from '../../../src/guard/tests/test-languages.ts';

const parseGo = (source: string) => parseGoTests('calc/calc_test.go', source);
const titlesOf = (tests: TestCase[]) => tests.map((test) => test.titles.join(' > '));
const markersOf = (test: TestCase | undefined) =>
  test?.markers.map(({ kind, text, line }) => `${kind} ${text} @${line}`);
const assertionsOf = (test: TestCase | undefined) => test?.assertions.map((assertion) => assertion.key);
const testNamed = (tests: TestCase[], name: string) => tests.find((test) => test.titles.join(' > ') === name);
const only = (source: string): TestCase => {
  const [test, ...rest] = parseGo(source);
  if (!test || rest.length > 0) throw new Error(`expected one test, got ${rest.length + (test ? 1 : 0)}`);
  return test;
};

describe('isGoTestFile', () => {
  it.each(['calc_test.go', 'internal/calc/calc_test.go'])('takes %s', (path) => {
    expect(isGoTestFile(path)).toBe(true);
    expect(testLanguageOf(path)?.name).toBe('go');
  });

  it.each(['calc.go', 'calc_test.go.orig', 'testdata/calc.go', 'test/calc.go'])('leaves %s', (path) =>
    expect(isGoTestFile(path)).toBe(false),
  );
});

describe('parseGoTests titles', () => {
  it('finds tests, fuzz targets and examples with output, not benchmarks, helpers or TestMain', () => {
    const tests = parseGo(`package calc

import "testing"

func TestMain(m *testing.M) { m.Run() }
func TestAdd(t *testing.T) {}
func Test_sub(t *testing.T) {}
func Testify(t *testing.T) {}
func FuzzParse(f *testing.F) {}
func BenchmarkAdd(b *testing.B) {}
func helper(t *testing.T) {}
func ExampleAdd() {
	fmt.Println(Add(1, 2))
	// Output: 3
}
func ExampleSub() {
	fmt.Println(Sub(1, 2))
}
func (s *suite) TestMethod(t *testing.T) {}
`);
    expect(titlesOf(tests)).toEqual(['TestAdd', 'Test_sub', 'FuzzParse', 'ExampleAdd']);
    expect(tests.map((test) => test.line)).toEqual([6, 7, 9, 12]);
  });

  it('reads t.Run subtests as nested tests, also inside loops and nested subtests', () => {
    const tests = parseGo(`package calc

func TestAdd(t *testing.T) {
	t.Run("positive", func(t *testing.T) {
		t.Run(\`zero\`, func(t *testing.T) {})
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {})
	}
	t.Run("named", testNamed)
	errgroup.Run("not a subtest", func() {})
}
`);
    expect(titlesOf(tests)).toEqual([
      'TestAdd',
      'TestAdd > positive',
      'TestAdd > positive > zero',
      'TestAdd > tc.name',
      'TestAdd > named',
    ]);
  });

  it('reads what it can of a file that does not parse', () => {
    const tests = parseGo(`package calc

func TestBroken(t *testing.T) {
	if got := Add(1, 2; got != 3 {
		t.Errorf("got %d", got)
	}
}

func TestFine(t *testing.T) { t.Fatal("x") }
`);
    expect(titlesOf(tests)).toContain('TestFine');
    for (const garbage of ['', '}}} fn func {{ #[test]', '\u0000\uFFFF']) expect(parseGo(garbage)).toEqual([]);
    expect(assertionsOf(testNamed(tests, 'TestFine'))).toEqual(['t . Fatal ( )']);
  });
});

describe('parseGoTests markers', () => {
  it('notes t.Skip, t.Skipf and t.SkipNow of the test, and skips before a subtest for the subtest', () => {
    const tests = parseGo(`package calc

func TestAdd(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	t.Run("a", func(t *testing.T) { t.SkipNow() })
	t.Skipf("later %d", 1)
	t.Run("b", func(t *testing.T) {})
}
`);
    expect(markersOf(testNamed(tests, 'TestAdd'))).toEqual([
      'skip t.Skip("slow") @5',
      'skip t.Skipf("later %d", 1) @8',
    ]);
    expect(markersOf(testNamed(tests, 'TestAdd > a'))).toEqual(['skip t.Skip("slow") @5', 'skip t.SkipNow() @7']);
    expect(markersOf(testNamed(tests, 'TestAdd > b'))).toEqual([
      'skip t.Skip("slow") @5',
      'skip t.Skipf("later %d", 1) @8',
    ]);
  });

  it('marks every test of a file under //go:build ignore', () => {
    const test = only(`//go:build ignore

package calc

func TestAdd(t *testing.T) {}
`);
    expect(markersOf(test)).toEqual(['skip //go:build ignore @1']);
    expect(markersOf(only('//go:build !ignore\n\npackage calc\n\nfunc TestAdd(t *testing.T) {}\n'))).toEqual([]);
  });

  it('marks every test of a file under a build constraint plain go test does not satisfy on this machine', () => {
    const markers = (constraint: string) =>
      markersOf(only(`${constraint}\n\npackage calc\n\nfunc TestAdd(t *testing.T) {}\n`))?.length ?? 0;
    for (const excluding of [
      '//go:build never',
      '//go:build integration && linux',
      '//go:build !go1.20',
      '// +build e2e',
    ]) {
      expect(markers(excluding), excluding).toBe(1);
    }
    const here = `//go:build ${process.platform === 'win32' ? 'windows' : process.platform}`;
    for (const kept of [
      here,
      '//go:build !never',
      '//go:build gc || gccgo',
      '//go:build go1.18 && cgo',
      '// +build !e2e',
    ]) {
      expect(markers(kept), kept).toBe(0);
    }
    // `//go:build` wins over `// +build` lines, as in the go command.
    expect(markers('//go:build !e2e\n// +build e2e')).toBe(0);
  });

  it('ignores a Skip on something that is not the test', () => {
    expect(markersOf(only('package calc\n\nfunc TestAdd(t *testing.T) { reader.Skip(3) }\n'))).toEqual([]);
  });
});

describe('parseGoTests assertions', () => {
  it('takes the if around a failure call, or the call alone, and testify calls', () => {
    const test = only(`package calc

func TestAdd(t *testing.T) {
	if got := Add(1, 2); got != 3 {
		t.Errorf("Add(1, 2) = %d", got)
	}
	t.Fail()
	assert.Equal(t, 3, Add(1, 2))
	require.NoError(t, err)
	is := assert.New(t)
	if err := fmt.Errorf("not an assertion"); err != nil {
		t.Log(err)
	}
}
`);
    expect(assertionsOf(test)).toEqual([
      'if got := Add ( 1 2 ) got != 3 { t . Errorf ( ) }',
      't . Fail ( )',
      'assert . Equal ( t 3 Add ( 1 2 ) )',
      'require . NoError ( t err )',
    ]);
    expect(test.assertions.map((assertion) => assertion.line)).toEqual([4, 7, 8, 9]);
  });

  it('gives each assertion to the subtest that runs it, and reads fuzz targets', () => {
    const tests = parseGo(`package calc

func TestAdd(t *testing.T) {
	if Add(0, 0) != 0 { t.Fatal("zero") }
	t.Run("one", func(t *testing.T) {
		if Add(1, 0) != 1 { t.Error("one") }
	})
}

func FuzzAdd(f *testing.F) {
	f.Add(1)
	f.Fuzz(func(t *testing.T, n int) {
		if Add(n, 0) != n { t.Errorf("%d", n) }
	})
}
`);
    expect(assertionsOf(testNamed(tests, 'TestAdd'))).toEqual(['if Add ( 0 0 ) != 0 { t . Fatal ( ) }']);
    expect(assertionsOf(testNamed(tests, 'TestAdd > one'))).toEqual(['if Add ( 1 0 ) != 1 { t . Error ( ) }']);
    expect(assertionsOf(testNamed(tests, 'FuzzAdd'))).toEqual(['if Add ( n 0 ) != n { t . Errorf ( ) }']);
  });

  it('reads the output comment of an example as its assertion', () => {
    const test = only(`package calc

func ExampleAdd() {
	fmt.Println(Add(1, 2)) // prints the sum
	fmt.Println(Add(2, 2))
	// Output:
	// 3
	// 4
}
`);
    expect(test.assertions).toMatchObject([
      { key: 'output: 3\n4', skeleton: 'output: \u2047', literals: ['3\n4'], line: 6 },
    ]);
  });
});

describe('parseGoTests body', () => {
  const tidy = `package calc

func TestAdd(t *testing.T) {
	cases := []struct{ a, b, want int }{
		{1, 2, 3},
	}
	for _, tc := range cases {
		if got := Add(tc.a, tc.b); got != tc.want {
			t.Errorf("got %d", got)
		}
	}
}
`;

  it('keeps the key through gofmt-style reformatting and comments', () => {
    const messy = `package calc
func TestAdd(t *testing.T) {
	// the table
	cases := []struct{ a, b, want int }{ {1, 2, 3} }
	for _, tc := range cases { if got := Add(tc.a, tc.b); got != tc.want { t.Errorf("got %d", got) } } /* done */ }
`;
    expect(only(messy).body.key).toBe(only(tidy).body.key);
    expect(only(messy).assertions.map((a) => a.key)).toEqual(only(tidy).assertions.map((a) => a.key));
  });

  it('keeps the skeleton but not the key when only a value changes in the table', () => {
    const changed = only(tidy.replace('{1, 2, 3}', '{1, 2, 4}'));
    const original = only(tidy);
    expect(changed.body.key).not.toBe(original.body.key);
    expect(changed.body.skeleton).toBe(original.body.skeleton);
    expect(original.body.literals).toContain('3');
    expect(changed.assertions[0]?.skeleton).toBe(original.assertions[0]?.skeleton);
  });

  it('changes the key when the code changes', () => {
    expect(only(tidy.replace('tc.a, tc.b', 'tc.b, tc.a')).body.key).not.toBe(only(tidy).body.key);
  });

  describe('of a test with subtests', () => {
    const parent = `package calc

func TestAdd(t *testing.T) {
	cases := map[string]int{"one": 1}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			if Add(want, 0) != want { t.Error("sum") }
		})
	}
	t.Run("zero", func(t *testing.T) {
		if Add(0, 0) != 0 { t.Error("zero") }
	})
}
`;
    const bodies = (source: string) => parseGo(source).map((test) => test.body);

    it('leaves the values of a subtest, its title included, to the subtest', () => {
      const [before, , zeroBefore] = bodies(parent);
      const [after, , zeroAfter] = bodies(
        parent.replace('"zero", func', '"zero sum", func').replace('0) != 0', '0) != 1'),
      );
      expect(after?.key).toBe(before?.key);
      expect(zeroAfter?.key).not.toBe(zeroBefore?.key);
      expect(zeroAfter?.skeleton).toBe(zeroBefore?.skeleton);
    });

    it('keeps the table and the code of its subtests', () => {
      const [before] = bodies(parent);
      const [tableChanged] = bodies(parent.replace('"one": 1', '"one": 2'));
      const [codeChanged] = bodies(parent.replace('Add(0, 0)', 'Sub(0, 0)'));
      expect(tableChanged?.key).not.toBe(before?.key);
      expect(tableChanged?.skeleton).toBe(before?.skeleton);
      expect(codeChanged?.skeleton).not.toBe(before?.skeleton);
    });
  });
});

describe('parseGoTests sources', () => {
  it('knows a subtest by its code and the testers around it, which decide what its code asserts', () => {
    const tests = parseGo(`package calc

import "testing"

func TestA(t *testing.T) {
	t.Run("x", func(s *testing.T) {
		if add(1, 1) != 2 {
			u.Errorf("sum %d", add(1, 1))
		}
	})
}

func TestB(t *testing.T) {
	check := func(u *testing.T) {
		t.Run("x", func(s *testing.T) {
			if add(1, 1) != 2 {
				u.Errorf("sum %d", add(1, 1))
			}
		})
	}
	check(t)
}
`);
    const [a, b] = [testNamed(tests, 'TestA > x'), testNamed(tests, 'TestB > x')];
    expect(assertionsOf(a)).toEqual([]);
    expect(assertionsOf(b)).toHaveLength(1);
    expect(a?.source).toBeDefined();
    expect(b?.source).toBeDefined();
    expect(a?.source).not.toBe(b?.source);
  });
});
