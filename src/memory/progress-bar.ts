import type { IndexProgress } from "./index-paths.js";

/** A terminal progress bar for `indexPaths`. */
export interface IndexProgressBar {
  onProgress(progress: IndexProgress): void;
  /** Removes the bar; call once the run ends, whether it succeeded or not. */
  stop(): void;
}

const QUIET: IndexProgressBar = { onProgress() {}, stop() {} };

/**
 * A progress bar with file counts, rate and ETA, drawn on `stream` (default stderr) only when it
 * is a terminal; otherwise a no-op, so piped output and logs stay clean.
 *
 * @example
 * const bar = await createIndexProgressBar();
 * try { await indexPaths({ store, paths: ["docs"], onProgress: bar.onProgress }); } finally { bar.stop(); }
 */
export async function createIndexProgressBar(options: { stream?: NodeJS.WriteStream } = {}): Promise<IndexProgressBar> {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) return QUIET;
  const { SingleBar } = (await import("cli-progress")).default;
  const bar = new SingleBar({
    stream,
    format: "indexing {bar} {value}/{total} files · {rate} files/s · {mb} MB · ETA {eta_formatted} · {counts}",
    barsize: 24,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  const started = performance.now();
  let running = false;
  const payload = (p: IndexProgress) => {
    const seconds = Math.max((performance.now() - started) / 1000, 0.001);
    const counts = [
      `${p.added} new`,
      `${p.updated} changed`,
      `${p.unchanged} unchanged`,
      p.removed ? `${p.removed} removed` : "",
      p.failed ? `${p.failed} failed` : "",
    ]
      .filter(Boolean)
      .join(", ");
    return { rate: (p.processed / seconds).toFixed(1), mb: (p.bytes / 1e6).toFixed(1), counts };
  };
  return {
    onProgress(p) {
      if (p.phase === "scanned") {
        bar.start(p.total, 0, payload(p));
        running = true;
      } else if (running) bar.update(p.processed, payload(p));
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
