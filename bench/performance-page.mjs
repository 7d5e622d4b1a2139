// The measured part of docs/performance.md, rendered from a results file of bench/run.mjs.
import { renderStructural } from './structural.mjs';

const fmt = (v) => (v === undefined ? '-' : v.toExponential(1).replace('e+', 'e'));
const MODE_NAMES = {
  'cpu-1': 'cpu, 1 thread',
  'cpu-all': 'cpu, all cores',
  'webgpu-readback': 'webgpu, read back',
  'webgpu-npy': 'webgpu, to .npy',
  'webgpu-high': 'webgpu --precision high, read back',
  'webgpu-stats': 'webgpu, stats only (no read back)',
};

/** cpu, all cores over cpu, 1 thread at each workload's largest size, beside the machine's own (bench/scaling.mjs). */
function renderScaling({ rows, reference }) {
  // results from before bench/scaling.mjs have no reference line
  const machine = reference.threadScaling;
  if (!machine) return [];
  const largest = new Map();
  for (const r of rows) if (!(largest.get(r.workload)?.values >= r.values)) largest.set(r.workload, r);
  const ours = [...largest.values()]
    .map((r) => {
      const [one, all] = [r.backends['cpu-1']?.valuesPerSecond, r.backends['cpu-all']?.valuesPerSecond];
      return one && all ? `${r.workload} ${(all / one).toFixed(2)}x` : null;
    })
    .filter((x) => x !== null);
  return [
    '',
    `Worker scaling, 1 thread to ${machine.threads}: the cpu backend at each workload's largest size ${ours.join(', ')}; ` +
      `plain JS loops on the same machine (\`bench/scaling.mjs\`) ${machine.compute.ratio.toFixed(2)}x computing in cache, ` +
      `${machine.stream.ratio.toFixed(2)}x streaming tile-sized buffers to memory.`,
  ];
}

export function renderPerformance(result, file) {
  const { machine, reference } = result;
  const lines = [
    `Measured by \`npm run bench${result.quick ? ' -- --quick' : ''}\` on ${result.date.slice(0, 10)}: ${machine.cpu} (${machine.cores} cores, ${machine.memoryGB} GB), ${machine.node}, adapter ${machine.adapter}. Raw results: \`${file}\`.`,
    `Reference lines: memory write bandwidth ${(reference.memoryWriteBytesPerSecond / 1e9).toFixed(1)} GB/s (a Float32Array fill)` +
      (reference.bufferCopyBytesPerSecond
        ? `, adapter buffer copy ${(reference.bufferCopyBytesPerSecond / 1e9).toFixed(1)} GB/s`
        : '') +
      // results from before the roofline (bench/roofline.mjs) have no store-only line
      (reference.storeOnlyValuesPerSecond
        ? `, adapter store-only kernel ${fmt(reference.storeOnlyValuesPerSecond)} values/s.`
        : '.'),
    '',
    'Values per second (x numpy in the same run, in parentheses):',
    '',
  ];
  const modes = Object.keys(MODE_NAMES);
  lines.push(`| workload | schedules x steps | numpy | ${modes.map((m) => MODE_NAMES[m]).join(' | ')} | torch loop |`);
  lines.push(`|---|---|---|${modes.map(() => '---').join('|')}|---|`);
  for (const r of result.rows) {
    const cells = modes.map((m) => {
      const b = r.backends[m];
      if (!b?.valuesPerSecond) return b?.skipped ? 'skipped' : 'error';
      return `${fmt(b.valuesPerSecond)} (${b.vsNumpy ? b.vsNumpy.toFixed(2) : '-'})`;
    });
    const torch = r.torch?.valuesPerSecond ? fmt(r.torch.valuesPerSecond) : 'skipped';
    lines.push(
      `| ${r.workload} | ${r.rows} x ${r.steps} | ${r.numpy?.valuesPerSecond ? fmt(r.numpy.valuesPerSecond) : 'skipped'} | ${cells.join(' | ')} | ${torch} |`,
    );
  }
  lines.push(...renderScaling(result));
  lines.push(...renderStructural(result.structural));
  return lines.join('\n');
}
