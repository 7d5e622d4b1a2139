/**
 * Completion of kinds and of the fields of the kind being written, from the project's JSON Schema.
 * codemirror-json-schema checks values but offers nothing under this schema's top-level anyOf (a
 * spec, a list of specs or a sweep file), so kinds and fields are completed here from the same
 * schema: a `kind:` value takes any kind's name, a key takes the fields of its mapping's kind.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';

type Json = Record<string, unknown>;

export interface KindFields {
  names: string[];
  /** Fields per kind name (full and short names alike), with their descriptions. */
  fields: Map<string, { label: string; detail?: string }[]>;
}

export function kindFields(schema: Json): KindFields {
  const names: string[] = [];
  const fields = new Map<string, { label: string; detail?: string }[]>();
  for (const def of Object.values((schema.$defs ?? {}) as Record<string, Json>)) {
    const props = def.properties as Record<string, Json> | undefined;
    const kinds = (props?.kind?.enum ?? []) as string[];
    if (!kinds.length) continue;
    const list = Object.entries(props!)
      .filter(([k]) => k !== 'kind')
      .map(([label, p]) => ({ label, detail: typeof p.description === 'string' ? p.description : undefined }));
    // a sweep's base lists every kind with no fields of its own: the first entry with fields wins
    for (const k of kinds) {
      if (!names.includes(k)) names.push(k);
      if (list.length > (fields.get(k)?.length ?? 0)) fields.set(k, list);
    }
  }
  return { names, fields };
}

export function kindCompletion(known: KindFields) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const value = /^(\s*(?:-\s+)?kind:\s*)(\S*)$/.exec(before);
    if (value) {
      return {
        from: context.pos - value[2].length,
        options: known.names.map((label): Completion => ({ label, type: 'class' })),
      };
    }
    const key = /^(\s*(?:-\s+)?)(\w*)$/.exec(before);
    if (!key || (!context.explicit && key[2] === '')) return null;
    // the kind of the mapping this key belongs to: a `kind:` line at the same indent, above or below
    const indent = key[1].length;
    const doc = context.state.doc;
    let kind: string | undefined;
    for (const dir of [-1, 1]) {
      for (let n = line.number + dir; n >= 1 && n <= doc.lines && kind === undefined; n += dir) {
        const m = /^(\s*(?:-\s+)?)(\w+):\s*(\S*)/.exec(doc.line(n).text);
        if (!m) continue;
        if (m[1].length < indent) break; // left the mapping
        if (m[1].length === indent && m[2] === 'kind') kind = m[3];
      }
    }
    const list = kind === undefined ? undefined : known.fields.get(kind);
    if (!list) return null;
    return {
      from: context.pos - key[2].length,
      options: list.map(({ label, detail }): Completion => ({ label, type: 'property', detail, apply: `${label}: ` })),
    };
  };
}
