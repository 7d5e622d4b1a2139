/** Spec files: YAML or JSON (by extension; YAML, a superset of JSON, otherwise). */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Shown, SpecError } from '../errors.js';
import { parseSpecText } from './parse-text.js';

export { parseSpecText };

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
