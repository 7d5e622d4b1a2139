/** Plain-text tables on stdout: aligned columns, readable numbers. */

/** Seven significant digits, exponent notation outside [1e-3, 1e6): a summary is for reading. */
export function readable(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(7)));
  return v.toExponential(6).replace(/\.?0+e/, 'e');
}

/** Print a header and rows with every column padded to its widest cell. */
export function printColumns(out: (line: string) => void, header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  for (const line of [header, ...rows])
    out(
      line
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    );
}
