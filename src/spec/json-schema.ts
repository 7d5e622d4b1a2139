/**
 * JSON Schema (draft 2020-12) for spec files and sweep files, generated from the same zod schemas
 * that validate them: every kind with its fields (lax inputs as pydantic takes them), nested
 * schedules by reference. For editors (`# yaml-language-server: $schema=...`); schedgpu itself
 * validates with zod, so framework checks across fields stay its own.
 */
import * as z from 'zod';
import { KINDS } from '../frameworks/registry.js';
import type { KindEntry } from '../frameworks/types.js';
import { sweepSchema } from '../sweep/expand.js';

type Json = Record<string, unknown>;

const SPEC_REF = { $ref: '#/$defs/spec' };

function toJson(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

/** A slot that holds a nested spec (an empty loose object in zod) becomes a reference to `spec`. */
function linkNestedSpecs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(linkNestedSpecs);
  if (!node || typeof node !== 'object') return node;
  const o = node as Json;
  const isSlot =
    o.type === 'object' &&
    o.properties !== undefined &&
    Object.keys(o.properties as Json).length === 0 &&
    JSON.stringify(o.additionalProperties) === '{}';
  if (isSlot) return SPEC_REF;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, linkNestedSpecs(v)]));
}

function kindSchema(k: KindEntry): Json {
  const json = linkNestedSpecs(toJson(k.schema)) as Json;
  const properties = (json.properties ?? {}) as Json;
  json.properties = {
    kind: { enum: [k.kind, k.shortName], description: `${k.framework}: ${k.summary.replace(/`/g, '')}` },
    id: { type: 'string', description: 'label in outputs' },
    ...(k.epochInterval
      ? {
          interval: { enum: ['update', 'epoch'] },
          updates_per_epoch: { type: 'integer', minimum: 1, description: 'with interval: epoch' },
        }
      : {}),
    ...Object.fromEntries(Object.entries(properties).filter(([name]) => name !== 'kind')),
  };
  json.required = [...new Set(['kind', ...((json.required as string[]) ?? [])])];
  return json;
}

export function specJsonSchema(): Json {
  const defs: Json = {};
  for (const k of KINDS) defs[k.kind] = kindSchema(k);
  defs.spec = { anyOf: KINDS.map((k) => ({ $ref: `#/$defs/${k.kind}` })) };
  // a sweep's base may leave out fields its grid supplies: only its kind is checked here
  defs.sweepBase = {
    type: 'object',
    required: ['kind'],
    properties: { kind: { enum: KINDS.flatMap((k) => [k.kind, k.shortName]) } },
  };
  defs.sweep = JSON.parse(
    JSON.stringify(linkNestedSpecs(toJson(sweepSchema))).replaceAll('"#/$defs/spec"', '"#/$defs/sweepBase"'),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'schedgpu spec or sweep file',
    anyOf: [SPEC_REF, { type: 'array', items: SPEC_REF, minItems: 1 }, { $ref: '#/$defs/sweep' }],
    $defs: defs,
  };
}
