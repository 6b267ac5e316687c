import go from '@ast-grep/lang-go';
import python from '@ast-grep/lang-python';
import rust from '@ast-grep/lang-rust';
import { registerDynamicLanguage } from '@ast-grep/napi';

/** Names under which ast-grep parses the languages it does not build in. */
export const DynamicLanguages = { python: 'python', go: 'go', rust: 'rust' } as const;

let registered = false;

/** Load the Python, Go and Rust tree-sitter grammars (prebuilt, shipped in their npm packages) once. */
export function ensureTreeSitterLanguages(): void {
  if (registered) return;
  registerDynamicLanguage({ python, go, rust });
  registered = true;
}
