// The machine's own worker-thread scaling, as a reference line for the cpu backend's: the same
// amount of work in plain JS loops split across 1 worker and across all cores, in two kinds:
//   compute: a few multiply-adds, a division and a square root per value into a buffer that stays
//            in cache (what a curve's own math costs, no memory traffic);
//   stream:  one value scaled into tile-sized buffers (2^21 values, three per thread, reused as the
//            cpu backend reuses its tiles), which is bound by how fast memory takes the writes.
// Where the plain compute loop gains 1.8x from a second thread, a kernel cannot gain more; where
// it gains less (one core's turbo clock higher than two's, shared caches), neither can ours.
//   node bench/scaling.mjs    prints {threads, compute: {...}, stream: {...}} as JSON
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const TOTAL = 2 ** 28;
const TILE = 2 ** 21;
const CACHED = 2 ** 14;

function compute(values) {
  const out = new Float64Array(CACHED);
  let check = 0;
  for (let done = 0; done < values; done += CACHED) {
    for (let i = 0; i < CACHED; i++) {
      const x = (done + i) * 1e-6;
      out[i] = Math.sqrt(1 + x * x) / (1 + x) + 0.5 * x;
    }
    check += out[CACHED - 1];
  }
  return check;
}

function stream(values) {
  const from = new Float64Array(TILE).map((_, i) => i);
  const tiles = [new Float64Array(TILE), new Float64Array(TILE), new Float64Array(TILE)];
  let check = 0;
  for (let done = 0, k = 0; done < values; done += TILE, k++) {
    const out = tiles[k % 3];
    const ratio = 1 + k * 1e-9;
    for (let i = 0; i < TILE; i++) out[i] = from[i] * ratio;
    check += out[TILE - 1];
  }
  return check;
}

const KINDS = { compute, stream };

/** Seconds for `threads` workers to do TOTAL values of `kind` between them (workers started first). */
async function timed(kind, threads) {
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL(import.meta.url), { workerData: { kind, values: TOTAL / threads } }),
  );
  await Promise.all(workers.map((w) => new Promise((ready) => w.once('message', ready))));
  const started = performance.now();
  for (const w of workers) w.postMessage('go');
  await Promise.all(workers.map((w) => new Promise((done) => w.once('message', done))));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers.map((w) => w.terminate()));
  return seconds;
}

/** Best of three for 1 worker and for all cores, per kind; ratio = how much faster all cores are. */
export async function threadScaling(threads = availableParallelism()) {
  const result = { threads };
  for (const kind of Object.keys(KINDS)) {
    let one = Infinity;
    let all = Infinity;
    for (let i = 0; i < 3; i++) {
      one = Math.min(one, await timed(kind, 1));
      all = Math.min(all, await timed(kind, threads));
    }
    result[kind] = { oneThreadSeconds: one, allThreadsSeconds: all, ratio: one / all };
  }
  return result;
}

if (!isMainThread) {
  const { kind, values } = workerData;
  // warm the loop up before the clock starts, then wait for the signal
  KINDS[kind](Math.min(values, TILE));
  parentPort.postMessage('ready');
  parentPort.once('message', () => parentPort.postMessage(KINDS[kind](values)));
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await threadScaling(), null, 2));
}
