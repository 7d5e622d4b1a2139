/** Dotted paths into specs: `schedule_configs.1.schedule.end_value`. */

export function splitPath(path: string): (string | number)[] {
  return path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Set the field at `path` in a (copied) spec. The parent must exist; the leaf may be new. Returns
 * the part of the path that does not exist, or null on success.
 */
export function setPath(spec: unknown, path: string, value: unknown): string | null {
  const parts = splitPath(path);
  let node = spec as Record<string | number, unknown>;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node?.[parts[i]];
    if (typeof next !== 'object' || next === null) return parts.slice(0, i + 1).join('.');
    node = next as Record<string | number, unknown>;
  }
  const leaf = parts[parts.length - 1];
  if (Array.isArray(node) && (typeof leaf !== 'number' || leaf >= node.length)) return path;
  node[leaf] = value;
  return null;
}
