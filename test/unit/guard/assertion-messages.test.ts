import { describe, it } from 'vitest';
import { expectMessageOnly, expectValueChange } from './message-change.ts';

/** `source` with each [from, to] replaced once. */
const edit = (source: string, ...changes: Array<[string, string]>) =>
  changes.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`no ${from} in the source`);
    return text.replace(from, to);
  }, source);

describe('failure messages in JS/TS', () => {
  const nodeAssert = `const assert = require('node:assert');
const { test } = require('node:test');

test('adds', () => {
  assert.equal(add(2, 3), 5, 'sum is wrong');
  assert.ok(add(1, 1) > 1, 'positive');
  assert(add(0, 0) === 0, 'zero');
  assert.strict.deepEqual([add(1, 2)], [3], \`sum of \${1} and \${2}\`);
  assert.throws(() => add('x'), TypeError, 'rejects strings');
  assert.throws(() => add(null), 'rejects null');
  if (add(2, 2) !== 4) assert.fail('two and two');
});
`;
  const vitest = `import { assert, expect, it } from 'vitest';

it('adds', () => {
  expect(add(2, 3), 'sum of two').toBe(5);
  expect.soft(add(1, 1), 'soft').toBe(2);
  assert.equal(add(2, 2), 4, 'chai message');
  assert.isTrue(add(1, 0) === 1, 'identity');
  assert.closeTo(add(0.1, 0.2), 0.3, 0.001, 'float');
  assert.throws(() => add('x'), TypeError, 'expected text');
});
`;
  const path = 'test/add.test.js';

  it('leaves node:assert messages out of the assertions and the body', () => {
    const reworded = edit(
      nodeAssert,
      ["'sum is wrong'", "'add(2, 3) should be 5'"],
      ["'positive'", '"sum is positive"'],
      ["'zero'", "'zero plus zero'"],
      ['`sum of', '`one plus two, the sum of'],
      ["'rejects strings'", "'strings are rejected'"],
      ["'rejects null'", "'null is rejected'"],
      ["'two and two'", "'2 + 2'"],
    );
    expectMessageOnly(path, nodeAssert, reworded);
    expectMessageOnly(path, nodeAssert, edit(nodeAssert, [", 'sum is wrong'", '']));
  });

  it('still reads node:assert values', () => {
    expectValueChange(path, nodeAssert, edit(nodeAssert, ['add(2, 3), 5,', 'add(2, 3), 6,']));
    expectValueChange(path, nodeAssert, edit(nodeAssert, ['[3]', '[4]']));
  });

  it('leaves the messages of expect(value, message) and chai assert out', () => {
    const reworded = edit(
      vitest,
      ["'sum of two'", "'2 + 3'"],
      ["'soft'", "'soft check'"],
      ["'chai message'", "'two and two'"],
      ["'identity'", "'adding zero'"],
      ["'float'", "'floating point sum'"],
    );
    expectMessageOnly('test/add.test.ts', vitest, reworded);
  });

  it("still reads expect and chai values, chai's expected error text included", () => {
    expectValueChange('test/add.test.ts', vitest, edit(vitest, ['toBe(5)', 'toBe(6)']));
    expectValueChange('test/add.test.ts', vitest, edit(vitest, ['0.3, 0.001', '0.3, 0.1']));
    expectValueChange('test/add.test.ts', vitest, edit(vitest, ["'expected text'", "'other text'"]));
  });
});

describe('failure messages in Python', () => {
  const source = `import unittest

def test_add():
    assert add(2, 3) == 5, "sum is wrong"
    assert add(1, 1) == 2, f"got {add(1, 1)}"

class AddCase(unittest.TestCase):
    def test_add(self):
        self.assertEqual(add(2, 3), 5, msg="sum is wrong")
        self.assertEqual(add(1, 1), 2, "positional message")
        self.assertTrue(add(0, 1), "truthy")
        self.assertAlmostEqual(add(0.1, 0.2), 0.3, 7, "close")
        if add(1, 2) != 3:
            self.fail("bad sum")
`;
  const path = 'tests/test_add.py';

  it('leaves the messages of assert statements, unittest asserts and self.fail out', () => {
    const reworded = edit(
      source,
      ['"sum is wrong"', "'add(2, 3) is not 5'"],
      ['f"got {add(1, 1)}"', '"one and one"'],
      ['msg="sum is wrong"', 'msg="two and three"'],
      ['"positional message"', '"one and one"'],
      ['"truthy"', '"nonzero"'],
      ['"close"', '"float sum"'],
      ['"bad sum"', '"1 + 2 is not 3"'],
    );
    expectMessageOnly(path, source, reworded);
    expectMessageOnly(path, source, edit(source, [', msg="sum is wrong"', '']));
  });

  it('still reads the values, and the places of assertAlmostEqual', () => {
    expectValueChange(path, source, edit(source, ['== 5, "sum', '== 6, "sum']));
    expectValueChange(path, source, edit(source, ['(2, 3), 5, msg', '(2, 3), 6, msg']));
    expectValueChange(path, source, edit(source, ['0.3, 7,', '0.3, 1,']));
  });
});

describe('failure messages in Go', () => {
  const source = `package calc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAdd(t *testing.T) {
	if got := Add(2, 3); got != 5 {
		t.Errorf("got %d", got)
	}
	t.Logf("checked %d", 5)
	assert.Equal(t, 4, Add(2, 2), "sum of %d and %d", 2, 2)
	assert.Equalf(t, 4, Add(3, 1), "sum %s", "three")
	if err := Check(-1); err.Error() != "negative" {
		t.Fatal(err)
	}
	t.Run("zero", func(t *testing.T) {
		if Add(0, 0) != 0 {
			t.Fatalf("zero: %s", "none")
		}
	})
}
`;
  const path = 'calc_test.go';

  it('leaves the arguments of t.Errorf, t.Fatal, t.Log and testify messages out', () => {
    const reworded = edit(
      source,
      ['"got %d", got', '"Add(2, 3) = %d; want 5", got'],
      ['"checked %d", 5', '"checked"'],
      ['"sum of %d and %d", 2, 2', '"2 + 2"'],
      ['"sum %s", "three"', '"three and one"'],
      ['"zero: %s", "none"', '"Add(0, 0) is not 0"'],
    );
    expectMessageOnly(path, source, reworded);
  });

  it('still reads the conditions, testify values and values compared with', () => {
    expectValueChange(path, source, edit(source, ['got != 5', 'got != 6']));
    expectValueChange(path, source, edit(source, ['assert.Equal(t, 4,', 'assert.Equal(t, 5,']));
    expectValueChange(path, source, edit(source, ['!= "negative"', '!= "positive"']));
    expectValueChange(path, source, edit(source, ['Add(0, 0) != 0', 'Add(0, 0) != 1']));
  });
});

describe('failure messages in Rust', () => {
  const source = `#[test]
fn adds() {
    assert_eq!(add(2, 3), 5, "sum of {} and {}", 2, 3);
    assert_ne!(add(1, 1), 3, "not three");
    assert!(add(1, 1) < 3, "small: {}", add(1, 1));
    assert_eq!(HashMap::<i32, i32>::new().len(), 0, "empty");
    assert_eq!(name(), "bob", r"names");
    if add(0, 0) != 0 { panic!("zero sum {}", 0) }
}
`;
  const path = 'tests/add.rs';

  it('leaves the format string and its arguments after the checked values out, and panic! messages', () => {
    const reworded = edit(
      source,
      ['"sum of {} and {}", 2, 3', '"2 + 3 is 5"'],
      ['"not three"', '"1 + 1 is not {}", 3'],
      ['"small: {}", add(1, 1)', 'r"under three"'],
      ['"empty"', '"no entries"'],
      ['r"names"', '"the name"'],
      ['"zero sum {}", 0', '"0 + 0 is not 0"'],
    );
    expectMessageOnly(path, source, reworded);
  });

  it('still reads the checked values, a string expected value included', () => {
    expectValueChange(path, source, edit(source, ['add(2, 3), 5', 'add(2, 3), 6']));
    expectValueChange(path, source, edit(source, ['new().len(), 0', 'new().len(), 1']));
    expectValueChange(path, source, edit(source, ['"bob"', '"alice"']));
    expectValueChange(path, source, edit(source, ['< 3', '< 4']));
  });
});
