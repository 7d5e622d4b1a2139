/** Spec files: YAML or JSON (by extension; YAML, a superset of JSON, otherwise). */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
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

export function readSpecFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    throw new SpecError(path, problem, new Shown(path));
  }
  const ext = extname(path).toLowerCase();
  return parseSpecText(text, path, ext === '.json' ? 'json' : 'yaml');
}
