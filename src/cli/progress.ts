/**
 * Progress of long evaluations on stderr (cli-progress): values done, values/s and the ETA. Only for
 * a person at a terminal: silent when stderr is not a TTY or with --quiet.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Total values done so far (absolute, not an increment). */
  update(valuesDone: number, detail?: string): void;
  stop(): void;
}

export function progressBar(label: string, valuesTotal: number, quiet = false): Progress {
  if (quiet || !process.stderr.isTTY) return { update() {}, stop() {} };
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} |{bar}| {percentage}% | {detail} | {rate} values/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(valuesTotal, 0, { detail: '', rate: '-' });
  return {
    update(valuesDone, detail = '') {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? (valuesDone / seconds).toExponential(2) : '-';
      bar.update(valuesDone, { detail, rate });
    },
    stop() {
      bar.stop();
    },
  };
}
