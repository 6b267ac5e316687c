/**
 * Names spelled in pieces so that no pattern sees them whole: `process.env['VIT' + 'EST']`,
 * `` process.env[`VIT${'EST'}`] ``, `['VIT', 'EST'].join('')`, `'VIT'.concat('EST')`, Python's adjacent literals
 * `os.environ.get("PY" "TEST_CURRENT_TEST")` and `getattr(sys, "modules")`. One line at a time, literals without
 * escapes only: a cheap rewrite of the line into the string its code computes, for the patterns to read.
 */

/** A line that may hold one of the forms below: most lines are returned as they are after this one test. */
const mayFold = /['"`]\s*(?:\+|['"]|\.\s*concat\b)|\$\{\s*['"]|\]\s*\.\s*join\s*\(|`[^`$]*`|\bgetattr\s*\(/;

const quoted = String.raw`(?:'[^'\\\n]*'|"[^"\\\n]*")`;
/** `'a' + 'b'`, `"a" "b"` (Python), `'a'.concat('b')`. */
const joinedPair = new RegExp(
  String.raw`(${quoted})\s*(?:\+\s*|\.\s*concat\s*\(\s*(${quoted})\s*\)|(?=['"]))(${quoted})?`,
  'g',
);
/** `['a', 'b'].join('')`. */
const joinedArray = new RegExp(
  String.raw`\[\s*(${quoted}(?:\s*,\s*${quoted})*)\s*,?\s*\]\s*\.\s*join\s*\(\s*(?:''|"")\s*\)`,
  'g',
);
/** A template literal whose substitutions are string literals only: `` `VIT${'EST'}` ``. */
const constantTemplate = new RegExp(String.raw`\`((?:[^\`\\$]|\$\{\s*${quoted}\s*\})*)\``, 'g');
/** `getattr(sys, "modules")`: the attribute read by name. */
const getattrByName = new RegExp(String.raw`\bgetattr\s*\(\s*([\w.]+)\s*,\s*(${quoted})\s*\)`, 'g');

/** The line with its constant string expressions folded into single literals. */
export function foldConstantStrings(line: string): string {
  if (!mayFold.test(line)) return line;
  let current = line
    .replace(constantTemplate, (_, body: string) =>
      literal(
        body.replace(new RegExp(String.raw`\$\{\s*(${quoted})\s*\}`, 'g'), (__, inner: string) => inner.slice(1, -1)),
      ),
    )
    .replace(joinedArray, (_, items: string) =>
      literal([...items.matchAll(new RegExp(quoted, 'g'))].map((item) => item[0].slice(1, -1)).join('')),
    );
  // `'a' + 'b' + 'c'`: each pass joins neighbours; a few passes fold any chain a line holds.
  for (let pass = 0; pass < 4; pass++) {
    const next = current.replace(joinedPair, (whole, first: string, concat?: string, second?: string) => {
      const other = concat ?? second;
      return other === undefined ? whole : literal(first.slice(1, -1) + other.slice(1, -1));
    });
    if (next === current) break;
    current = next;
  }
  return current.replace(getattrByName, (_, object: string, name: string) => `${object}.${name.slice(1, -1)}`);
}

function literal(text: string): string {
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}
