/** The tree-sitter kinds of a JS/TS function body: where a test's callback, a suite's body or a macro begins. */
export const jsFunctionKinds: ReadonlySet<string> = new Set([
  'arrow_function',
  'function_expression',
  'function_declaration',
  'generator_function',
  'generator_function_declaration',
  'method_definition',
]);
