/**
 * DIR/manifest.json: what a sweep directory holds and how far it got. Rewritten whole (atomically),
 * so a crash leaves either the old or the new manifest, never a torn one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dtype, TileRect } from '../backends/types.js';
import { SpecError } from '../errors.js';
import type { Plan } from '../plan/compile.js';
import { writeFileAtomic } from '../sinks/atomic-file.js';

export const MANIFEST_FORMAT = 'schedgpu-sweep/1';

export interface ManifestEntry {
  index: number;
  id: string;
  kind: string;
  steps: number;
  /** sha256 of the validated spec (fields with defaults, run-level fields), canonical JSON. */
  spec: string;
}

export interface ManifestTile extends TileRect {
  done: boolean;
  /** sha256 of the tile's values as stored (row-major, little-endian), once done. */
  sha256: string | null;
}

export interface Manifest {
  format: string;
  schedgpu: string;
  sweepHash: string;
  planHash: string;
  created: string;
  updated: string;
  complete: boolean;
  shard: { index: number; count: number; rows: [number, number] };
  table: { file: string; dtype: Dtype; rows: number; steps: number; dataOffset: number };
  backend: { name: string; device: string };
  tile: { rows: number; steps: number };
  paramNames: string[];
  entries: ManifestEntry[];
  tiles: ManifestTile[];
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export function sha256(data: string | ArrayBufferView): string {
  const hash = createHash('sha256');
  hash.update(typeof data === 'string' ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return hash.digest('hex');
}

/** A digest of every array of the plan: the same sweep compiled by a different schedgpu may differ here. */
export function planHash(plan: Plan): string {
  const hash = createHash('sha256');
  for (const a of [
    plan.rowTracks,
    plan.trackSegments,
    plan.segStart,
    plan.segPrim,
    plan.segOffset,
    plan.segQuantum,
    plan.segLevelsAt,
    plan.segBreaksAt,
    plan.segCount,
    plan.segParams,
    plan.segShift,
    plan.levels,
    plan.breaks,
  ])
    hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  hash.update(canonicalJson({ steps: plan.steps, ids: plan.ids, kinds: plan.kinds }));
  return hash.digest('hex');
}

export function manifestPath(dir: string): string {
  return join(dir, 'manifest.json');
}

export function readManifest(dir: string): Manifest | null {
  const path = manifestPath(dir);
  if (!existsSync(path)) return null;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (e) {
    // schedgpu replaces it whole, so a cut one was written by something else: nothing in it can be trusted
    throw new SpecError(
      'resume',
      `${path} is not a whole manifest (${(e as Error).message}); move the directory aside and start again`,
      path,
      'resume-format',
    );
  }
  if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.tiles) || !Array.isArray(manifest.entries))
    throw new SpecError('resume', `${path} is not a schedgpu sweep manifest`, path, 'resume-format');
  return manifest;
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeFileAtomic(manifestPath(dir), JSON.stringify(manifest));
}
