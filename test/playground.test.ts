/* eslint-disable @typescript-eslint/no-explicit-any -- page functions run in the browser, typed there */
/**
 * The playground in real headless Chromium (Debian's `chromium`, driven by playwright-core): the
 * page loads, a typed spec re-renders, and the values it computed (WebGPU through SwiftShader when
 * the browser exposes an adapter, else the CPU backend) equal the library's. A screenshot goes to
 * test/artifacts/. Skips without chromium unless SCHEDGPU_REQUIRE_GPU=1 (CI installs it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate.js';
import { parseSpecText } from '../src/spec/parse-text.js';
import { expandSweep } from '../src/sweep/expand.js';
import { ROOT } from './helpers/cli.js';
import { REQUIRE_GPU } from './helpers/gpu.js';

const CHROMIUM = process.env.SCHEDGPU_CHROMIUM ?? '/usr/bin/chromium';
const DIST = join(ROOT, 'playground', 'dist');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let server: Server | null = null;
let browser: Browser | null = null;
let url = '';
let skipReason: string | null = null;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    skipReason = `no browser at ${CHROMIUM} (apt-get install chromium)`;
    if (REQUIRE_GPU) throw new Error(`SCHEDGPU_REQUIRE_GPU=1 but ${skipReason}`);
    console.log(`playground test skipped: ${skipReason}`);
    return;
  }
  const build = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'playground/vite.config.ts',
      '--logLevel',
      'error',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);
  server = createServer((req, res) => {
    const path = join(DIST, decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/\/$/, '/index.html'));
    if (!path.startsWith(DIST) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-dev-shm-usage'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('playground in Chromium', () => {
  it('renders typed specs with the library values, and shows bad input as one line', async (ctx) => {
    if (skipReason) return ctx.skip();
    const page = await browser!.newPage({ viewport: { width: 1300, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as any).schedgpu?.runs >= 1, undefined, { timeout: 60_000 });
    const spec = [
      '- id: typed',
      '  kind: CosineDecreasingSchedule',
      '  max_value: 0.5',
      '  end_value: 0.01',
      '- id: stairs',
      '  kind: StepIntervalSchedule',
      '  start_value: 2.0',
      '  factor: 0.5',
      '  update_interval: 0.25',
    ].join('\n');
    const runs = await page.evaluate(() => (globalThis as any).schedgpu.runs);
    await page.fill('#spec .cm-content', spec);
    await page.fill('#steps', '3000');
    await page.waitForFunction(
      (n) => (globalThis as any).schedgpu.runs > n && (globalThis as any).schedgpu.table?.steps === 3000,
      runs,
      {
        timeout: 60_000,
      },
    );
    const got: { backend: string; ids: string[]; values: number[]; error: string | null } = await page.evaluate(() => ({
      backend: (globalThis as any).schedgpu.backend,
      ids: (globalThis as any).schedgpu.table.ids,
      values: Array.from((globalThis as any).schedgpu.table.values as ArrayLike<number>),
      error: (globalThis as any).schedgpu.error,
    }));
    console.log(`playground backend: ${got.backend}`);
    expect(got.error).toBeNull();
    expect(got.ids).toEqual(['typed', 'stairs']);
    const lib = await evaluate(parseSpecText(spec), 3000);
    const tol = got.backend.startsWith('webgpu') ? 1e-6 * 2 : 0;
    let worst = 0;
    lib.values.forEach((v, i) => (worst = Math.max(worst, Math.abs(got.values[i] - v))));
    expect(worst).toBeLessThanOrEqual(tol);
    expect(await page.locator('#chart svg').count()).toBe(1);
    expect(await page.locator('#stats tr').count()).toBe(3);
    mkdirSync(join(ROOT, 'test', 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test', 'artifacts', 'playground.png') });

    await page.fill('#spec .cm-content', '- kind: CosineDecreasingSchedule\n  max_value: -1');
    await page.waitForFunction(() => (globalThis as any).schedgpu.error !== null, undefined, { timeout: 30_000 });
    expect(await page.locator('#error').textContent()).toMatch(/^\[0\]\.max_value: .+, got -1$/);
    expect(pageErrors).toEqual([]);
  });

  it('completes and checks YAML from the JSON Schema, and a shared link reopens the view', async (ctx) => {
    if (skipReason) return ctx.skip();
    const page = await browser!.newPage({ viewport: { width: 1300, height: 800 } });
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as any).schedgpu?.runs >= 1, undefined, { timeout: 60_000 });
    // completion: the kinds the schema lists, and the fields of the kind being written
    const editor = page.locator('#spec .cm-content');
    const options = page.locator('.cm-tooltip-autocomplete li');
    // the page redraws 250 ms after an edit; a redraw can close an open completion popup, so read it
    // once the runs counter has stood still past that delay
    const settled = async () => {
      let last = -1;
      for (let i = 0; i < 40; i++) {
        const runs = await page.evaluate(() => (globalThis as any).schedgpu?.runs as number);
        if (runs === last) return;
        last = runs;
        await page.waitForTimeout(700);
      }
    };
    const complete = async (text: string) => {
      // completion opens on typing (the last letter is typed, as a user would)
      await page.fill('#spec .cm-content', text.slice(0, -1));
      await editor.press('Control+End');
      // fill keeps the editor's empty last line when the text it replaced ended with a newline: the
      // cursor would be on that line, below the text; join it back
      if ((await editor.innerText()).endsWith('\n')) await editor.press('Backspace');
      for (let attempt = 0; attempt < 5 && !(await options.first().isVisible()); attempt++) {
        if (attempt > 0) await editor.press('Backspace');
        await page.keyboard.type(text.slice(-1));
        await settled();
        // a redraw closed it: ask again, as a user would with CodeMirror's Ctrl-Space
        if (!(await options.first().isVisible())) await editor.press('Control+Space');
        await options
          .first()
          .waitFor({ timeout: 5_000 })
          .catch(() => undefined);
      }
      await options.first().waitFor({ timeout: 5_000 });
      const labels = await options.allTextContents();
      await editor.press('Escape');
      return labels.join(' ');
    };
    expect(await complete('- kind: CosineAnn')).toContain('torch.optim.lr_scheduler.CosineAnnealingLR');
    const fields = await complete('- kind: LinearWarmupCosineDecaySchedule\n  warmup_p');
    expect(fields).toContain('warmup_percent');
    expect(fields).not.toContain('T_max');
    // checking: values the schema refuses are marked in the editor
    await page.fill('#spec .cm-content', 'steps: abc\nbase: 5\n');
    await page
      .locator('.cm-lintPoint-error, .cm-lintRange-error')
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 });
    mkdirSync(join(ROOT, 'test', 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test', 'artifacts', 'playground-checking.png') });

    // the URL holds the view: a second page opened on it shows the same specs and values
    const spec = '- id: shared\n  kind: CosineDecreasingSchedule\n  max_value: 0.25\n  end_value: 0.05\n';
    const runs = await page.evaluate(() => (globalThis as any).schedgpu.runs);
    await page.fill('#spec .cm-content', spec);
    await page.fill('#steps', '777');
    await page.check('#logy');
    await page.waitForFunction(
      (n) => (globalThis as any).schedgpu.runs > n && (globalThis as any).schedgpu.table?.steps === 777,
      runs,
      { timeout: 60_000 },
    );
    await page.waitForFunction(() => (globalThis as any).location.hash.includes('logy=1'), undefined, {
      timeout: 30_000,
    });
    const link = page.url();
    const again = await browser!.newPage({ viewport: { width: 1300, height: 800 } });
    await again.goto(link);
    await again.waitForFunction(() => (globalThis as any).schedgpu?.table?.steps === 777, undefined, {
      timeout: 60_000,
    });
    expect((await again.locator('#spec .cm-content').innerText()).trimEnd()).toBe(spec.trimEnd());
    expect(await again.isChecked('#logy')).toBe(true);
    const values = (p: typeof page) =>
      p.evaluate(() => Array.from((globalThis as any).schedgpu.table.values as ArrayLike<number>));
    expect(await values(again)).toEqual(await values(page));
  });

  it('draws a sweep file as bands and compares two frameworks with their difference', async (ctx) => {
    if (skipReason) return ctx.skip();
    const page = await browser!.newPage({ viewport: { width: 1300, height: 1000 } });
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as any).schedgpu?.runs >= 1, undefined, { timeout: 60_000 });
    let runs = await page.evaluate(() => (globalThis as any).schedgpu.runs);
    await page.click('#sweep');
    await page.waitForFunction(
      (n) => (globalThis as any).schedgpu.runs > n && (globalThis as any).schedgpu.sweep,
      runs,
      {
        timeout: 60_000,
      },
    );
    const sweepText = await page.locator('#spec .cm-content').innerText();
    const expanded = expandSweep(parseSpecText(sweepText));
    const got = await page.evaluate(() => ({
      ids: (globalThis as any).schedgpu.table.ids as string[],
      values: Array.from((globalThis as any).schedgpu.table.values as ArrayLike<number>),
      backend: (globalThis as any).schedgpu.backend as string,
    }));
    expect(got.ids).toEqual(expanded.variants.map((v) => v.id));
    expect(got.ids.length).toBeGreaterThan(12); // drawn as bands
    expect(await page.locator('#chart').innerText()).toContain('median');
    const lib = await evaluate(
      expanded.variants.map((v) => ({ ...v.run.spec, id: v.id })),
      expanded.steps,
    );
    const tol = got.backend.startsWith('webgpu') ? 2e-6 : 0;
    let worst = 0;
    lib.values.forEach((v, i) => (worst = Math.max(worst, Math.abs(got.values[i] - v))));
    expect(worst).toBeLessThanOrEqual(tol);
    await page.screenshot({ path: join(ROOT, 'test', 'artifacts', 'playground-sweep.png') });

    runs = await page.evaluate(() => (globalThis as any).schedgpu.runs);
    await page.click('#compare');
    await page.waitForFunction(
      (n) => (globalThis as any).schedgpu.runs > n && (globalThis as any).schedgpu.diff !== null,
      runs,
      { timeout: 60_000 },
    );
    const compareText = await page.locator('#spec .cm-content').innerText();
    const steps = Number(await page.inputValue('#steps'));
    const pair = await evaluate(parseSpecText(compareText), steps);
    expect(new Set(pair.kinds.map((k) => k.split('.')[0]))).toEqual(new Set(['torch', 'transformers']));
    const diff: number[] = await page.evaluate(() => (globalThis as any).schedgpu.diff);
    const backend: string = await page.evaluate(() => (globalThis as any).schedgpu.backend);
    expect(diff).toHaveLength(steps);
    let worstDiff = 0;
    for (let t = 0; t < steps; t++)
      worstDiff = Math.max(worstDiff, Math.abs(diff[t] - (pair.values[t] - pair.values[steps + t])));
    expect(worstDiff).toBeLessThanOrEqual(backend.startsWith('webgpu') ? 4e-6 : 0);
    expect(await page.locator('#diffchart svg').count()).toBe(1);
    await page.screenshot({ path: join(ROOT, 'test', 'artifacts', 'playground-compare.png'), fullPage: true });
  });
});
