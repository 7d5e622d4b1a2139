/**
 * The view in the URL: `#spec=<base64url UTF-8 text>&steps=N&logy=1&diff=1`, so a shared link
 * reopens the same specs, steps and options.
 */
export interface ViewState {
  spec: string;
  steps: number;
  logY: boolean;
  diff: boolean;
}

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const fromBase64Url = (b64: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(b64.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));

export function encodeState(s: ViewState): string {
  const q = new URLSearchParams({ spec: toBase64Url(s.spec), steps: String(s.steps) });
  if (s.logY) q.set('logy', '1');
  if (s.diff) q.set('diff', '1');
  return `#${q.toString()}`;
}

/** The state in a URL hash, or null when it holds none (or a spec that does not decode). */
export function decodeState(hash: string): Partial<ViewState> | null {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const spec = q.get('spec');
  if (spec === null) return null;
  try {
    const steps = Number(q.get('steps'));
    return {
      spec: fromBase64Url(spec),
      ...(Number.isInteger(steps) && steps > 0 ? { steps } : {}),
      logY: q.get('logy') === '1',
      diff: q.get('diff') === '1',
    };
  } catch {
    return null;
  }
}
