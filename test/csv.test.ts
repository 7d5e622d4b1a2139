/** The one CSV quoter: fields that RFC 4180 says must be quoted are, and they read back whole. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../src/sinks/csv.js';

/** A minimal RFC 4180 reader of one record (enough to read back what csvRecord writes). */
function readRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        field += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        field += '"';
        i++;
      }
    } else {
      const end = line.slice(i).search(/[,\n]/);
      field = line.slice(i, i + end);
      i += end;
    }
    fields.push(field);
    if (line[i] === '\n') return fields;
    i++; // the comma
  }
}

describe('csv', () => {
  it('quotes a field with a comma, a double quote, a carriage return or a line feed', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('plain id-1.5')).toBe('plain id-1.5');
    expect(csvField(0.25)).toBe('0.25');
  });

  it('reads back field for field', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', 'é') });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), (fields) => {
        expect(readRecord(csvRecord(fields))).toEqual(fields);
      }),
    );
  });
});
