/**
 * The project's Markdown (README.md, CONTRIBUTING.md, docs/**) taken apart for the doc tests: fenced
 * code blocks with their skip marks, relative links, heading anchors, and the checks every block of
 * one language gets.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const DIST_INDEX = join(ROOT, 'dist/index.js');

/** Every Markdown file of the documentation, relative to the repository root. */
export function docFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
    );
  return ['README.md', 'CONTRIBUTING.md', ...walk('docs').sort()];
}

export function readDoc(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The reason given by a `<!-- doc-test: skip (reason) -->` line above the block, else null. */
  skip: string | null;
}

const SKIP_MARK = /^<!-- doc-test: skip \((.+)\) -->$/;

export function codeBlocks(text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    if (end === lines.length) throw new Error(`line ${i + 1}: code fence never closed`);
    let above = i - 1;
    while (above >= 0 && lines[above].trim() === '') above--;
    const skip = above >= 0 ? (SKIP_MARK.exec(lines[above])?.[1] ?? null) : null;
    blocks.push({ lang: open[1], code: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1, skip });
    i = end;
  }
  return blocks;
}

/** The text outside fenced blocks and inline code, where links live. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Relative link targets (links and images), without web and mail addresses. */
export function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/i.test(target));
}

/** The anchors GitHub gives a file's headings (lower case, punctuation dropped, spaces to -). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of text.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = m[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** A link's problem, or null when its file (and heading, for `#anchor`) exists. */
export function brokenLink(fromFile: string, target: string): string | null {
  const [path, anchor] = target.split('#');
  const file = path === '' ? fromFile : relative(ROOT, resolve(ROOT, dirname(fromFile), path));
  if (!existsSync(join(ROOT, file))) return `${target}: no file ${file}`;
  if (anchor && file.endsWith('.md') && !headingAnchors(readDoc(file)).has(anchor))
    return `${target}: ${file} has no heading #${anchor}`;
  return null;
}

/**
 * The commands of a block: a shell block's lines (continuations joined, comments dropped, split at
 * && ; |), or in any other block the lines that start with `schedgpu` (a synopsis, with its indented
 * continuation lines).
 */
export function commands(block: CodeBlock): string[][] {
  const lines = block.code.replace(/\\\n/g, ' ').split('\n');
  if (block.lang === 'sh')
    return lines
      .map((l) => l.replace(/(^|\s)#.*$/, ''))
      .flatMap((l) => l.split(/&&|;|\|/))
      .map((c) => c.trim().split(/\s+/).filter(Boolean))
      .filter((words) => words.length > 0);
  const joined: string[] = [];
  for (const l of lines)
    if (l.startsWith('schedgpu ')) joined.push(l);
    else if (/^\s+\S/.test(l) && joined.length > 0) joined[joined.length - 1] += ' ' + l.trim();
  return joined.map((c) => c.split(/\s+/));
}

const helpCache = new Map<string, string>();
function cliHelp(command?: string): string {
  const key = command ?? '';
  if (!helpCache.has(key)) {
    const r = spawnSync(process.execPath, [CLI, ...(command ? [command] : []), '--help'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`schedgpu ${key} --help failed: ${r.stderr}`);
    helpCache.set(key, r.stdout);
  }
  return helpCache.get(key)!;
}

const REPO_PATH = /^(examples|test|tools|bench|src|shaders|docs|playground|\.ci)\/[\w./-]*[\w]$/;
const scripts = (): Record<string, string> => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;

/** Problems of one command: an unknown schedgpu command or option, a missing repository file or npm script. */
export function commandProblems(words: string[]): string[] {
  const problems: string[] = [];
  for (const w of words) if (REPO_PATH.test(w) && !existsSync(join(ROOT, w))) problems.push(`no file ${w}`);
  const cli = words[0] === 'schedgpu' ? 1 : words[0] === 'node' && words[1] === 'dist/cli.js' ? 2 : 0;
  if (cli > 0) {
    const sub = words[cli];
    const known = [...cliHelp().matchAll(/^ {2}(\w+)\b/gm)].map((m) => m[1]);
    if (!known.includes(sub)) return [...problems, `schedgpu has no command ${sub}`];
    const options = new Set(cliHelp(sub).match(/--[A-Za-z][\w-]*/g));
    for (const w of words.slice(cli + 1))
      for (const flag of w.match(/--[A-Za-z][\w-]*/g) ?? [])
        if (!options.has(flag)) problems.push(`schedgpu ${sub} has no option ${flag}`);
  }
  if (words[0] === 'npm' && words[1] === 'run' && !(words[2] in scripts()))
    problems.push(`package.json has no script ${words[2]}`);
  return problems;
}

/**
 * Run a TypeScript example (plain JavaScript apart from its import) against the built package.
 * Returns the exit status, stdout and stderr.
 */
export function runExample(code: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'schedgpu-doc-')), 'example.mjs');
  writeFileSync(file, code.replaceAll("from 'schedgpu'", `from ${JSON.stringify(DIST_INDEX)}`));
  return spawnSync(process.execPath, [file], { encoding: 'utf8' });
}

/** `console.log(...); // -> text` lines: the output each promises. */
export function promisedOutputs(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\);\s*\/\/ -> (.+)$/gm)].map((m) => m[1].trim());
}
