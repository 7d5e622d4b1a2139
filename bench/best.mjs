// The benchmarks' one timer: seconds of the fastest of `repeats` awaited calls of fn.
export async function bestSeconds(fn, repeats) {
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return fastest / 1000;
}
