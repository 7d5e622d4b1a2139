/**
 * The runnable examples that end each command's `--help`: one shell line each, run from a clone's
 * root (the files are under examples/). test/newcomer-help.test.ts runs every one of them.
 */
export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
