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
    return parseYaml(text, { maxAliasCount: 1000 });
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const reason = e.message.split('\n')[0].replace(/:$/, '');
      const line = pos ? (text.split('\n')[pos.line - 1] ?? '').trim() : '';
      throw new SpecError(name, `is not valid YAML (${reason})`, line);
    }
    throw e;
  }
}
