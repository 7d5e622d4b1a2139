/**
 * CSV and JSON renderings of an in-memory table. CSV is step-major (a `step` column, then one column
 * per schedule id) so that spreadsheet and dataframe tools read it directly; JSON lists schedules
 * with their values.
 */
import type { Table } from './table.js';
import { AtomicFile } from './atomic-file.js';
import { csvRecord } from './csv.js';

/** Shortest decimal that reads back as the same value in the table's precision. */
export function formatValue(v: number, dtype: Table['dtype']): string {
  if (Number.isNaN(v)) return 'NaN';
  if (dtype === 'float64' || !Number.isFinite(v)) return String(v);
  for (let digits = 1; digits < 10; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(v);
}

export function writeCsv(table: Table, path: string): void {
  const file = new AtomicFile(path);
  try {
    file.append(csvRecord(['step', ...table.ids]));
    // the rows after the header hold only numbers, which never need quotes: joined directly for speed
    const lines: string[] = [];
    for (let t = 0; t < table.steps; t++) {
      let line = String(t);
      for (let r = 0; r < table.rows; r++) line += ',' + formatValue(table.values[r * table.steps + t], table.dtype);
      lines.push(line);
      if (lines.length === 4096) {
        file.append(lines.join('\n') + '\n');
        lines.length = 0;
      }
    }
    if (lines.length) file.append(lines.join('\n') + '\n');
    file.commit();
  } catch (e) {
    file.abort();
    throw e;
  }
}

export function writeJson(table: Table, path: string): void {
  const file = new AtomicFile(path);
  try {
    file.append(
      `{"steps":${table.steps},"dtype":${JSON.stringify(table.dtype)},"backend":${JSON.stringify(table.backend)},"schedules":[`,
    );
    for (let r = 0; r < table.rows; r++) {
      const values: string[] = [];
      for (let t = 0; t < table.steps; t++) {
        const v = table.values[r * table.steps + t];
        values.push(Number.isFinite(v) ? formatValue(v, table.dtype) : 'null');
      }
      file.append(
        `${r ? ',' : ''}\n{"id":${JSON.stringify(table.ids[r])},"kind":${JSON.stringify(table.kinds[r])},"values":[${values.join(',')}]}`,
      );
    }
    file.append('\n]}\n');
    file.commit();
  } catch (e) {
    file.abort();
    throw e;
  }
}
