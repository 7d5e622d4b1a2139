/**
 * "Did you mean" by edit distance: a one-letter typo in a kind or a field names the right one.
 * Case is ignored (a difference in case alone is always close).
 */

/** Levenshtein distance with adjacent transpositions (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push([i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) rows[0][j] = j;
  for (let i = 1; i <= s.length; i++)
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  return rows[s.length][t.length];
}

/** How many edits still read as a typo of a name this long: 1 for short names, up to 3 for long ones. */
export function typoBudget(length: number): number {
  return Math.max(1, Math.min(3, Math.floor(length / 5)));
}

/**
 * The candidates closest to `name` within the typo budget, all of those at the least distance (two
 * names that differ only in case are equally near), or none when nothing reads as a misspelling.
 */
export function nearest(name: string, candidates: Iterable<string>): string[] {
  let best: string[] = [];
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d > typoBudget(Math.max(name.length, c.length)) || d > bestDistance) continue;
    if (d < bestDistance) best = [];
    best.push(c);
    bestDistance = d;
  }
  return best;
}

/** The one candidate nearest `name` (the first listed on a tie), or null. */
export function closest(name: string, candidates: Iterable<string>): string | null {
  return nearest(name, candidates)[0] ?? null;
}
