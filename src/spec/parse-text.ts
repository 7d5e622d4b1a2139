/** Spec text: YAML (a superset of JSON) or JSON, parsed with one-line errors. No file access: browser-safe. */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { Shown, SpecError } from '../errors.js';

export function parseSpecText(text: string, name = 'spec', format?: 'json' | 'yaml'): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new SpecError(name, `is not valid JSON (${(e as Error).message})`, new Shown(`${text.length} characters`));
    }
  }
  try {
    return refuseCycles(parseYaml(text, { maxAliasCount: 1000 }), name);
  } catch (e) {
    // the yaml package's guard against alias bombs throws a plain ReferenceError
    if (e instanceof ReferenceError && /alias/i.test(e.message))
      throw new SpecError(
        name,
        'is not valid YAML (too many aliases: an alias bomb?)',
        new Shown(`${text.length} characters`),
      );
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const reason = e.message.split('\n')[0].replace(/:$/, '');
      const line = pos ? (text.split('\n')[pos.line - 1] ?? '').trim() : '';
      throw new SpecError(name, `is not valid YAML (${reason})`, line);
    }
    throw e;
  }
}

/** An alias inside its own anchor (`&a [*a]`) makes a cycle no spec can mean: refused, never walked forever. */
function refuseCycles(value: unknown, name: string): unknown {
  const onPath = new Set<object>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (onPath.has(node))
      throw new SpecError(
        name,
        'is not valid YAML for a spec (an alias refers to a node that contains it)',
        new Shown('a cycle'),
      );
    onPath.add(node);
    for (const child of Object.values(node)) visit(child);
    onPath.delete(node);
  };
  visit(value);
  return value;
}
