/** The one writer: files appear whole or not at all, temporary files never stay behind. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, PositionalFile, writeFileAtomic } from '../src/sinks/atomic-file.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'schedgpu-atomic-'));

describe('atomic files', () => {
  it('writeFileAtomic replaces the file whole and leaves nothing else', () => {
    const dir = fresh();
    const path = join(dir, 'out.txt');
    writeFileSync(path, 'old content that is longer');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('positional writes in any order, then one commit', () => {
    const dir = fresh();
    const path = join(dir, 'table.bin');
    const file = new AtomicFile(path);
    file.writeAt(new Uint8Array([5, 6]), 4);
    file.writeAt(new Uint8Array([1, 2, 3, 4]), 0);
    // nothing at the target until the commit
    expect(readdirSync(dir).includes('table.bin')).toBe(false);
    file.commit();
    expect([...readFileSync(path)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(readdirSync(dir)).toEqual(['table.bin']);
    expect(() => file.commit()).toThrow();
  });

  it('an aborted file leaves the old one as it was and no temporary file', () => {
    const dir = fresh();
    const path = join(dir, 'keep.csv');
    writeFileSync(path, 'a,b\n');
    const file = new AtomicFile(path);
    file.append('half a tab');
    file.abort();
    file.abort();
    expect(readFileSync(path, 'utf8')).toBe('a,b\n');
    expect(readdirSync(dir)).toEqual(['keep.csv']);
  });

  it('a commit that cannot rename removes its temporary file and keeps the target', () => {
    const dir = fresh();
    // a non-empty folder at the target: the rename fails
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x');
    const file = new AtomicFile(target);
    file.append('data');
    expect(() => file.commit()).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('x');
  });

  it('PositionalFile updates in place and reads back', () => {
    const dir = fresh();
    const path = join(dir, 'table.npy');
    const file = new PositionalFile(path, 'create');
    file.resize(8);
    file.writeAt(new Uint8Array([9, 9]), 3);
    file.sync();
    file.close();
    const again = new PositionalFile(path, 'reuse');
    const into = new Uint8Array(8);
    expect(again.readAt(into, 0)).toBe(8);
    expect([...into]).toEqual([0, 0, 0, 9, 9, 0, 0, 0]);
    // past the end: fewer bytes
    expect(again.readAt(new Uint8Array(4), 6)).toBe(2);
    again.close();
  });
});
