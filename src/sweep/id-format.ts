/**
 * Variant ids from a template: `{name}` prints a swept value in its shortest round-trip form (what
 * JSON and Python's repr print), `{name:spec}` with a Python format spec: `.3g`, `.2f`, `.1e`, `.0%`,
 * `d`. Numbers from linspace such as 0.7233333333333333 read as `0.723` with `{name:.3g}`.
 */
import { SpecError } from '../errors.js';

const SPEC = /^\.?(\d*)([gGfFeE%d]?)$/;

/** Check a template's format specs once, before any variant is built. */
export function checkIdTemplate(template: string): void {
  for (const m of template.matchAll(/\{([^}:]+):([^}]*)\}/g))
    if (!SPEC.test(m[2]) || m[2] === '' || (m[2].startsWith('.') && !/\d/.test(m[2])))
      throw new SpecError(['id'], `{${m[1]}:${m[2]}} has an unknown format (use .3g, .2f, .1e, .0% or d)`, template);
}

/** Fill a template; names it cannot resolve stay as written. */
export function fillIdTemplate(template: string, lookup: (name: string) => unknown): string {
  return template.replace(/\{([^}:]+)(?::([^}]*))?\}/g, (whole, name: string, spec?: string) => {
    const value = lookup(name);
    if (value === undefined) return whole;
    return spec === undefined ? String(value) : formatNumber(value, spec);
  });
}

/** Python's format(value, spec) for the number specs above; non-numbers print as they are. */
export function formatNumber(value: unknown, spec: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value);
  const [, digits, type] = SPEC.exec(spec) ?? [];
  const p = digits === '' || digits === undefined ? 6 : Number(digits);
  switch (type) {
    case 'f':
    case 'F':
      return fixed(value, p);
    case 'e':
    case 'E':
      return pythonExponent(value.toExponential(p));
    case '%':
      return `${fixed(value * 100, p)}%`;
    case 'd':
      return fixed(Math.round(value), 0);
    default:
      return generalFormat(value, p === 0 ? 1 : p);
  }
}

/** toFixed, with Python's plain digits where JS switches to an exponent (1e21 and up: exact integers). */
function fixed(value: number, p: number): string {
  if (Math.abs(value) < 1e21) return value.toFixed(p);
  return `${BigInt(value)}${p > 0 ? `.${'0'.repeat(p)}` : ''}`;
}

/** Python's 'g': p significant digits, trailing zeros dropped, exponent when exp < -4 or >= p. */
function generalFormat(value: number, p: number): string {
  if (value === 0) return '0';
  const exp = Number(value.toExponential(p - 1).split('e')[1]);
  if (exp < -4 || exp >= p) {
    const [mantissa, e] = value.toExponential(p - 1).split('e');
    return pythonExponent(`${trimZeros(mantissa)}e${e}`);
  }
  return trimZeros(value.toFixed(Math.max(0, p - 1 - exp)));
}

const trimZeros = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** JS writes 1e-5 and 1e+3; Python writes 1e-05 and 1e+03. */
const pythonExponent = (s: string) => s.replace(/e([+-])(\d)$/, 'e$10$2');
