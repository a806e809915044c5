/**
 * A worker thread that evaluates untrusted input one request at a time, with a wall-clock limit
 * the host enforces by terminating the thread. Whatever runs inside (mathjs, the QuickJS
 * interpreter) can therefore never block the host's event loop or outlive its time limit; after a
 * termination the next request starts a fresh worker.
 *
 * The worker's code is CommonJS text run with `new Worker(source, { eval: true })`, so the same
 * text works when weft runs from its TypeScript sources and from dist/. It must post one message
 * when it is ready, then answer each request with exactly one message.
 */
import type { ResourceLimits, Worker } from "node:worker_threads";
import { AbortError } from "../../../spec/errors.js";

export interface WorkerHostOptions {
  /** CommonJS source of the worker. */
  source: string;
  /** Passed to the worker as `workerData` (structured-cloned). */
  workerData: unknown;
  /** V8 limits of the worker's isolate; exceeding them ends the request with `memory`. */
  resourceLimits?: ResourceLimits;
  /** The idle worker is terminated after this long, in milliseconds (default 30,000). */
  idleTimeoutMs?: number;
}

export type WorkerRequestResult<Reply> =
  | { status: "ok"; reply: Reply }
  | { status: "timeout" }
  | { status: "memory"; error: Error }
  | { status: "crashed"; error: Error };

export interface WorkerHost<Request, Reply> {
  /**
   * Sends one request. Requests are queued; the time limit starts when the worker takes the
   * request, not while it starts up or waits in the queue. Throws AbortError when `signal` aborts.
   */
  request(message: Request, options: { timeoutMs: number; signal?: AbortSignal }): Promise<WorkerRequestResult<Reply>>;
}

/** Creates a lazily started, reusable worker (see the file comment). */
export function createWorkerHost<Request, Reply>(options: WorkerHostOptions): WorkerHost<Request, Reply> {
  let current: Promise<Worker> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let idleTimer: NodeJS.Timeout | undefined;

  async function start(): Promise<Worker> {
    const { Worker } = await import("node:worker_threads");
    const worker = new Worker(options.source, {
      eval: true,
      execArgv: [],
      workerData: options.workerData,
      resourceLimits: options.resourceLimits,
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        worker.off("message", onReady);
        reject(error);
      };
      const onReady = () => {
        worker.off("error", onError);
        resolve();
      };
      worker.once("message", onReady);
      worker.once("error", onError);
    });
    return worker;
  }

  function discard(worker: Worker, starting: Promise<Worker>) {
    if (current === starting) current = undefined;
    void worker.terminate();
  }

  async function requestNow(
    message: Request,
    { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<WorkerRequestResult<Reply>> {
    if (signal?.aborted) throw new AbortError({ cause: signal.reason });
    clearTimeout(idleTimer);
    current ??= start();
    const starting = current;
    const worker = await starting.catch((error: unknown) => {
      if (current === starting) current = undefined;
      throw error;
    });
    if (signal?.aborted) {
      // Aborted while the worker was starting: keep the worker for the next request.
      worker.unref();
      throw new AbortError({ cause: signal.reason });
    }
    worker.ref();
    return new Promise<WorkerRequestResult<Reply>>((resolve, reject) => {
      const finish = (keep: boolean) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        signal?.removeEventListener("abort", onAbort);
        if (!keep) return discard(worker, starting);
        worker.unref();
        idleTimer = setTimeout(() => discard(worker, starting), options.idleTimeoutMs ?? 30_000);
        idleTimer.unref();
      };
      const onMessage = (reply: Reply) => {
        finish(true);
        resolve({ status: "ok", reply });
      };
      const onError = (error: Error & { code?: string }) => {
        finish(false);
        resolve(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? { status: "memory", error } : { status: "crashed", error });
      };
      const onExit = (code: number) => {
        finish(false);
        resolve({ status: "crashed", error: new Error(`the worker exited with code ${code}`) });
      };
      const onAbort = () => {
        finish(false);
        reject(new AbortError({ cause: signal?.reason }));
      };
      const timer = setTimeout(() => {
        finish(false);
        resolve({ status: "timeout" });
      }, timeoutMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      signal?.addEventListener("abort", onAbort, { once: true });
      worker.postMessage(message);
    });
  }

  return {
    request(message, requestOptions) {
      const run = queue.then(() => requestNow(message, requestOptions));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
