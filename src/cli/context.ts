import type { WeftConfig } from "../models/config.js";
import type { ModelRegistry } from "../models/registry.js";
import type { LanguageModel } from "../spec/language-model.js";
import type { Store } from "../spec/store.js";

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  store?: string;
  storeUrl?: string;
}

/** What a command needs, created lazily so `--help` and `--version` stay instant. */
export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  config: WeftConfig;
  registry: ModelRegistry;
  /** Opens the store on first use. */
  store(): Promise<Store>;
  /**
   * Resolves `--model` (or auto-detects), wrapped with tracing into the store unless `trace` is false,
   * and with the result cache when `cache` is true.
   */
  model(
    explicit: string | undefined,
    opts?: { trace?: boolean; cache?: boolean; sessionId?: string },
  ): Promise<{ model: LanguageModel; source: string }>;
  close(): Promise<void>;
}

export async function createCliContext(global: GlobalOptions): Promise<CliContext> {
  const cwd = process.cwd();
  const env = process.env;
  const { loadConfig } = await import("../models/config.js");
  const { createModelRegistry } = await import("../models/registry.js");
  const { config } = loadConfig({ cwd, env, path: global.config });
  const registry = createModelRegistry({ config, env, cwd });
  let storePromise: Promise<Store> | undefined;
  const store = () => {
    storePromise ??= import("../store/index.js").then(({ openStore }) =>
      openStore({
        path: global.store ?? env.WEFT_STORE ?? config.store?.path,
        url: global.storeUrl ?? env.WEFT_STORE_URL ?? config.store?.url,
        cwd,
      }),
    );
    return storePromise;
  };
  return {
    cwd,
    env,
    config,
    registry,
    store,
    async model(explicit, opts = {}) {
      const { resolveModelId } = await import("../models/auto-detect.js");
      const chosen = await resolveModelId({ explicit, config, env, cwd });
      const base = await registry.languageModel(chosen.id);
      if (opts.trace === false && !opts.cache) return { model: base, source: chosen.source };
      const { wrapModel, tracingMiddleware, cachingMiddleware } = await import("../generate/index.js");
      const opened = await store();
      const middleware = [
        ...(opts.trace === false
          ? []
          : [tracingMiddleware({ traces: opened.traces, sessionId: opts.sessionId, modelFacts: config.modelFacts })]),
        // Inside tracing, so a cache hit is still traced (as cached, at no cost).
        ...(opts.cache ? [cachingMiddleware({ cache: opened.cache })] : []),
      ];
      return { model: wrapModel(base, middleware), source: chosen.source };
    },
    async close() {
      await registry.dispose();
      if (storePromise) await (await storePromise).close();
    },
  };
}
