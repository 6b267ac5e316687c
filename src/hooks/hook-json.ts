/** A hook's stdin as a JSON object, or the problem with it: garbage is expected input, not an error. */
export function parseHookJson(
  text: string,
  expected: string,
): { ok: true; fields: Record<string, unknown> } | { ok: false; problem: string } {
  if (text.trim() === '') return { ok: false, problem: `empty stdin (expected the ${expected} JSON)` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `stdin is not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: 'stdin is not a JSON object' };
  }
  return { ok: true, fields: value as Record<string, unknown> };
}
