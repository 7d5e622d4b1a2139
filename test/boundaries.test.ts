/**
 * The line between the oracle and the plan compiler (issue 14): the plan-vs-oracle tests only test
 * something if neither side runs the other's code. This test reads the import and export-from
 * statements of every .ts file under src/ and fails if a file on one side reaches a file on the
 * other, directly or through any module that is not a join.
 *
 * - Oracle side: src/oracle/**, src/frameworks/<fw>/oracle.ts, and any module only they import.
 * - Compiler side: src/plan/**, src/frameworks/<fw>/compile*.ts, src/backends/**, src/stats/**, and
 *   any module only they import.
 * - Neutral (either side may use them; a path through them is still followed): src/frameworks/
 *   python.ts, noise.ts, types.ts, src/frameworks/<fw>/configs.ts, src/errors.ts, src/spec/**.
 * - Joins, which may see both and where a path stops: src/frameworks/<fw>/kinds.ts (an entry names
 *   its oracle and its compiler) and src/frameworks/registry.ts (the list of entries). Whoever
 *   dispatches through the registry reaches both sides only through it: the oracle's dispatcher
 *   src/oracle/index.ts is itself on the oracle side and checked like any oracle file, so it may
 *   reach the kinds (and through them the compilers) only via registry.ts; plan/compile.ts likewise
 *   on the compiler side.
 *
 * Type-only imports (`import type`, or every name marked `type`) are erased from the build
 * (isolatedModules, no verbatimModuleSyntax): they carry no code across the line and are not
 * followed. types.ts's `import type { Tracks } from '../plan/segments.js'` is one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type Side = 'oracle' | 'compiler' | 'neutral' | 'join' | 'other';

/** Where a file under src/ sits by its path (repository-relative, '/' separated). */
function sideOfPath(file: string): Side {
  if (/^src\/frameworks\/[^/]+\/kinds\.ts$/.test(file) || file === 'src/frameworks/registry.ts') return 'join';
  if (file.startsWith('src/oracle/') || /^src\/frameworks\/[^/]+\/oracle\.ts$/.test(file)) return 'oracle';
  if (/^src\/(plan|backends|stats)\//.test(file) || /^src\/frameworks\/[^/]+\/compile[^/]*\.ts$/.test(file))
    return 'compiler';
  if (
    /^src\/frameworks\/(python|noise|types)\.ts$/.test(file) ||
    /^src\/frameworks\/[^/]+\/configs\.ts$/.test(file) ||
    file === 'src/errors.ts' ||
    file.startsWith('src/spec/')
  )
    return 'neutral';
  return 'other';
}

interface ImportEdge {
  /** The module specifier as written. */
  specifier: string;
  /** Erased from the build: only types are imported. */
  typeOnly: boolean;
}

/** The import, export-from and import() statements of one source text. */
function importsOf(fileName: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const named = (elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>) =>
    elements.length > 0 && elements.every((e) => e.isTypeOnly);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            named(clause.namedBindings.elements)));
      edges.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const typeOnly = node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && named(clause.elements));
      edges.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      edges.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return tsFilesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Value imports between files under src/ (packages, assets and type-only imports left out). */
function srcImportGraph(): Map<string, string[]> {
  const files = tsFilesUnder('src');
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets: string[] = [];
    for (const edge of importsOf(file, readFileSync(join(ROOT, file), 'utf8'))) {
      if (edge.typeOnly || !edge.specifier.startsWith('.')) continue;
      const base = relative(ROOT, resolve(ROOT, dirname(file), edge.specifier))
        .split('\\')
        .join('/');
      const target = [base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`].find((t) => known.has(t));
      if (target) targets.push(target);
      else if (/\.(js|ts)$/.test(base)) throw new Error(`${file}: cannot resolve ${edge.specifier}`);
    }
    graph.set(file, targets);
  }
  return graph;
}

/**
 * Each side's files: by path, then every 'other' module all of whose importers are on one side
 * joins that side (to a fixpoint).
 */
function sidesOf(graph: ReadonlyMap<string, readonly string[]>, byPath: (file: string) => Side) {
  const side = new Map<string, Side>([...graph.keys()].map((f) => [f, byPath(f)]));
  const importers = new Map<string, string[]>();
  for (const [from, targets] of graph)
    for (const to of targets) importers.set(to, [...(importers.get(to) ?? []), from]);
  for (let changed = true; changed;) {
    changed = false;
    for (const [file, s] of side) {
      const users = importers.get(file) ?? [];
      if (s !== 'other' || users.length === 0) continue;
      for (const candidate of ['oracle', 'compiler'] as const)
        if (users.every((u) => side.get(u) === candidate)) {
          side.set(file, candidate);
          changed = true;
        }
    }
  }
  return side;
}

/**
 * Every path from a file on one side to a file on the other, as 'a -> b -> c': followed through
 * any module but a join; the first such path to each reached file.
 */
function crossings(
  graph: ReadonlyMap<string, readonly string[]>,
  byPath: (file: string) => Side = sideOfPath,
): string[] {
  const side = sidesOf(graph, byPath);
  const found: string[] = [];
  for (const [start, own] of side) {
    if (own !== 'oracle' && own !== 'compiler') continue;
    const other = own === 'oracle' ? 'compiler' : 'oracle';
    const cameFrom = new Map<string, string>([[start, '']]);
    const queue = [start];
    while (queue.length) {
      const file = queue.shift()!;
      for (const next of graph.get(file) ?? []) {
        if (cameFrom.has(next)) continue;
        cameFrom.set(next, file);
        const nextSide = side.get(next) ?? byPath(next);
        if (nextSide === 'join') continue;
        if (nextSide === other) {
          const path = [next];
          for (let at = file; at; at = cameFrom.get(at)!) path.unshift(at);
          found.push(path.join(' -> '));
          continue;
        }
        queue.push(next);
      }
    }
  }
  return found;
}

describe('the oracle/compiler line', () => {
  const graph = srcImportGraph();

  it('sees every framework from both sides (the patterns match the tree)', () => {
    const frameworks = new Set(
      [...graph.keys()].map((f) => /^src\/frameworks\/([^/]+)\//.exec(f)?.[1]).filter(Boolean),
    );
    expect(frameworks.size).toBeGreaterThanOrEqual(7);
    for (const fw of frameworks) {
      const files = [...graph.keys()].filter((f) => f.startsWith(`src/frameworks/${fw}/`));
      expect(
        files.filter((f) => sideOfPath(f) === 'oracle'),
        fw,
      ).not.toHaveLength(0);
      expect(
        files.filter((f) => sideOfPath(f) === 'compiler'),
        fw,
      ).not.toHaveLength(0);
      expect(
        files.filter((f) => sideOfPath(f) === 'join'),
        fw,
      ).not.toHaveLength(0);
    }
    expect(sideOfPath('src/oracle/index.ts')).toBe('oracle');
    expect(graph.get('src/oracle/index.ts')).toContain('src/frameworks/registry.ts');
  });

  it('no file under src/ reaches across it except through a kind list or the registry', () => {
    expect(crossings(graph)).toEqual([]);
  });

  it("the oracle's dispatcher reaches the compiler side only through the registry", () => {
    // the registry reaches every compile.ts (through the kinds): it must be the only way there
    const reached = new Set<string>();
    const walk = (file: string) => {
      for (const next of graph.get(file) ?? [])
        if (!reached.has(next) && next !== 'src/frameworks/registry.ts') {
          reached.add(next);
          walk(next);
        }
    };
    walk('src/oracle/index.ts');
    expect([...reached].filter((f) => sideOfPath(f) === 'compiler' || sideOfPath(f) === 'join')).toEqual([]);
  });
});

describe('the line check itself', () => {
  it('flags a synthetic graph that crosses, directly, through neutral modules and through helpers', () => {
    const graph = new Map<string, string[]>([
      // oracle -> neutral -> compiler
      ['src/frameworks/a/oracle.ts', ['src/frameworks/python.ts']],
      ['src/frameworks/python.ts', ['src/plan/segments.ts']],
      ['src/plan/segments.ts', []],
      // compiler -> a helper only compilers use -> oracle
      ['src/frameworks/b/compile.ts', ['src/frameworks/b/helper.ts']],
      ['src/frameworks/b/helper.ts', ['src/frameworks/b/oracle.ts']],
      ['src/frameworks/b/oracle.ts', []],
      // joins see both: allowed
      ['src/frameworks/c/kinds.ts', ['src/frameworks/c/oracle.ts', 'src/frameworks/c/compile.ts']],
      ['src/frameworks/c/oracle.ts', ['src/frameworks/c/configs.ts']],
      ['src/frameworks/c/compile.ts', ['src/frameworks/c/configs.ts', 'src/plan/segments.ts']],
      ['src/frameworks/c/configs.ts', []],
      ['src/frameworks/registry.ts', ['src/frameworks/c/kinds.ts']],
      // the dispatcher through the registry: allowed; directly to a kind list would be too (a join),
      // but straight to a compiler is not
      ['src/oracle/index.ts', ['src/frameworks/registry.ts', 'src/backends/cpu.ts']],
      ['src/backends/cpu.ts', []],
    ]);
    expect(crossings(graph).sort()).toEqual(
      [
        'src/frameworks/a/oracle.ts -> src/frameworks/python.ts -> src/plan/segments.ts',
        'src/frameworks/b/compile.ts -> src/frameworks/b/helper.ts -> src/frameworks/b/oracle.ts',
        'src/frameworks/b/helper.ts -> src/frameworks/b/oracle.ts',
        'src/oracle/index.ts -> src/backends/cpu.ts',
      ].sort(),
    );
    expect(sidesOf(graph, sideOfPath).get('src/frameworks/b/helper.ts')).toBe('compiler');
  });

  it('passes the same graph with the crossings removed', () => {
    const clean = new Map<string, string[]>([
      ['src/frameworks/c/kinds.ts', ['src/frameworks/c/oracle.ts', 'src/frameworks/c/compile.ts']],
      ['src/frameworks/c/oracle.ts', ['src/frameworks/c/configs.ts', 'src/frameworks/python.ts']],
      ['src/frameworks/c/compile.ts', ['src/frameworks/c/configs.ts', 'src/frameworks/python.ts']],
      ['src/frameworks/c/configs.ts', ['src/errors.ts']],
      ['src/frameworks/python.ts', []],
      ['src/errors.ts', []],
      ['src/frameworks/registry.ts', ['src/frameworks/c/kinds.ts']],
      ['src/oracle/index.ts', ['src/frameworks/registry.ts']],
    ]);
    expect(crossings(clean)).toEqual([]);
  });

  it('reads value and type-only imports apart', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import { type C, type D } from './c.js';",
      "import { type E, f } from './e.js';",
      "import * as g from './g.js';",
      "import './side-effect.js';",
      "export { h } from './h.js';",
      "export type { I } from './i.js';",
      "export * from './j.js';",
      "const k = await import('./k.js');",
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: './a.js', typeOnly: false },
      { specifier: './b.js', typeOnly: true },
      { specifier: './c.js', typeOnly: true },
      { specifier: './e.js', typeOnly: false },
      { specifier: './g.js', typeOnly: false },
      { specifier: './side-effect.js', typeOnly: false },
      { specifier: './h.js', typeOnly: false },
      { specifier: './i.js', typeOnly: true },
      { specifier: './j.js', typeOnly: false },
      { specifier: './k.js', typeOnly: false },
    ]);
  });
});
