/**
 * `aduan export` over years runs for many seconds with nothing to see: stdout is the export itself
 * (usually a file), so its progress goes to stderr — on a terminal from the start, otherwise (cron, a
 * log file) only once the export has taken over a second, so a short one stays silent. A line every
 * `every` cases, and a last one with the total and the time when any was written.
 */
export interface ExportProgressOptions {
  write: (line: string) => void;
  /** stderr is a terminal (process.stderr.isTTY) */
  tty: boolean;
  /** --progress: from the first line, also when stderr is no terminal */
  always?: boolean;
  every?: number;
  /** after this many ms, lines are written also when stderr is no terminal */
  quietMs?: number;
  now?: () => number;
}

export function exportProgress(o: ExportProgressOptions): { add: (cases: number) => void; done: () => void } {
  const now = o.now ?? (() => performance.now());
  const every = o.every ?? 10_000;
  const quietMs = o.quietMs ?? 1_000;
  const start = now();
  let exported = 0;
  let next = every;
  let shown = false;
  const seconds = (): string => ((now() - start) / 1000).toFixed(1);
  return {
    add(cases: number): void {
      exported += cases;
      if (exported < next) return;
      next = (Math.floor(exported / every) + 1) * every;
      if (!o.tty && !o.always && now() - start <= quietMs) return;
      o.write(`export: ${exported} cases exported (${seconds()} s) …\n`);
      shown = true;
    },
    done(): void {
      if (shown) o.write(`export: ${exported} cases exported in ${seconds()} s\n`);
    },
  };
}
