/** Whether `path` is a Go test file: `go test` compiles only files named `*_test.go`. */
export function isGoTestFile(path: string): boolean {
  return path.endsWith('_test.go');
}
