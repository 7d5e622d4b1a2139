/**
 * CSV as RFC 4180 reads it: a field holding a comma, a double quote, a carriage return or a line
 * feed is quoted, with its double quotes doubled. Every CSV schedgpu writes (eval tables, stats,
 * a sweep's params.csv) goes through here. Records end in `\n`, as most tools expect.
 */

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted when it has to be. */
export function csvField(value: string | number): string {
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, with its line end. */
export function csvRecord(fields: readonly (string | number)[]): string {
  return fields.map(csvField).join(',') + '\n';
}
