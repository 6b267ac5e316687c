import { describe, expect, it } from 'vitest';
import { lastJsonDocument } from '../../../src/gates/last-json-document.ts';

describe('lastJsonDocument', () => {
  it('takes the last top-level document, not an object nested in a pretty-printed one', () => {
    const output = '{"a": 1}\n[\n  {\n    "b": 2\n  }\n]\n[warn] trailing log line\n';
    expect(lastJsonDocument(output)?.value).toEqual([{ b: 2 }]);
    const text = `{"a":1}\n[INFO] start\n${JSON.stringify({ b: [{ c: 1 }, { c: 2 }] }, null, 2)}\nbye\n`;
    expect(lastJsonDocument(text)?.value).toEqual({ b: [{ c: 1 }, { c: 2 }] });
  });

  it('reads JSON lines, strings with brackets, and skips broken documents', () => {
    expect(lastJsonDocument('{"n": 1}\n{"n": 2, "s": "}{]["}\n{"n": 3\n')).toEqual({
      value: { n: 2, s: '}{][' },
      text: '{"n": 2, "s": "}{]["}',
    });
    expect(lastJsonDocument('[1, 2]')?.value).toEqual([1, 2]);
    expect(lastJsonDocument('nothing')).toBeUndefined();
  });

  it('reads an indented document when no line starts with one', () => {
    expect(lastJsonDocument('result:\n  {"ok": true}\n')?.value).toEqual({ ok: true });
    expect(lastJsonDocument('no json { here\n')).toBeUndefined();
  });

  it('gives up past its scanning budget on an output full of brackets that never close', () => {
    expect(lastJsonDocument(`{"first":1}\n${'{ not json\n'.repeat(100)}`)?.value).toEqual({ first: 1 });
    expect(lastJsonDocument(`{"first":1}\n${'{ not json\n'.repeat(200_000)}`)).toBeUndefined();
  });
});
