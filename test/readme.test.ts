/** The README's contract: short, a Quick start of exactly two shell blocks, and a way to every docs page. */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docFiles, readDoc, relativeLinks } from './helpers/markdown.js';

const readme = readDoc('README.md');

describe('README', () => {
  it('stays an overview: at most 12 KiB, the rest in docs/', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12 * 1024);
  });

  it('has a Quick start with exactly two fenced shell blocks, on files that exist', () => {
    const section = /## Quick start\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)];
    expect(blocks.map((b) => b[1])).toEqual(['sh', 'sh']);
    for (const file of blocks[0][2].match(/examples\/\S+/g) ?? []) expect(() => readFileSync(file)).not.toThrow();
    expect(blocks[1][2].trim()).toBe('npm test');
  });

  it('ships every file it links to in the package', () => {
    const shipped: string[] = JSON.parse(readDoc('package.json')).files;
    for (const target of relativeLinks(readme)) {
      const top = normalize(target.split('#')[0]).split('/')[0];
      expect(shipped, target).toContain(top);
    }
  });

  it('leads to every page of the documentation by links', () => {
    const reached = new Set(['README.md']);
    const queue = ['README.md'];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const target of relativeLinks(readDoc(file))) {
        const path = target.split('#')[0];
        const linked = path === '' ? file : normalize(join(dirname(file), path));
        if (linked.endsWith('.md') && !reached.has(linked)) {
          reached.add(linked);
          queue.push(linked);
        }
      }
    }
    expect(docFiles().filter((f) => !reached.has(f))).toEqual([]);
  });
});
