import { createHash } from "node:crypto";
import type {
  CallOptions,
  Choice,
  GenerateResult,
  LanguageModel,
  ScoreOptions,
  ScoreResult,
  StreamPart,
  StreamResult,
  TokenLogprob,
  ToolCall,
} from "../spec/language-model.js";
import type { CacheStore } from "../spec/store.js";
import type { LanguageModelMiddleware } from "./middleware.js";

/** Default cache namespace for model results. */
export const DEFAULT_CACHE_NAMESPACE = "gen";
const KEY_VERSION = 1;

export interface CachingOptions {
  /** Where results live, e.g. `store.cache`. */
  cache: Pick<CacheStore, "get" | "set">;
  /** Namespace within the cache (default `gen`); `weft cache clear --namespace` clears one. */
  namespace?: string;
  /**
   * Also cache sampled calls. By default only deterministic calls are cached (temperature 0 or a
   * seed): a cached sample would make every later "sample" the same.
   */
  cacheSampled?: boolean;
  /** Called when the cache cannot be read or written; the call itself still succeeds. Default: a process warning. */
  onCacheError?: (error: unknown) => void;
}

/** Caching middleware, including `wrapScore` for models that can score continuations. */
export type CachingMiddleware = Required<Pick<LanguageModelMiddleware, "wrapGenerate" | "wrapStream" | "wrapScore">>;

/** A result served from the cache. Its usage is what the original call used; it cost nothing now. */
export type CachedResult<T> = T & { cached: true };

/**
 * The cache key of a call: a SHA-256 of the provider, the model and every option that affects
 * the output (messages, raw prompt, sampling settings, tools, response format, grammar, provider
 * options) — not the abort signal or HTTP headers. Generate and stream calls share keys.
 *
 * @example
 * cacheKeyOf(model, { messages: [{ role: "user", content: "hi" }], temperature: 0 }); // "3f2a…"
 */
export function cacheKeyOf(
  model: Pick<LanguageModel, "provider" | "modelId">,
  options: CallOptions | ScoreOptions,
  operation: "generate" | "score" = "continuations" in options ? "score" : "generate",
): string {
  const { abortSignal: _a, headers: _h, ...relevant } = options as CallOptions;
  const identity = { v: KEY_VERSION, operation, provider: model.provider, modelId: model.modelId, call: relevant };
  return createHash("sha256").update(stableJson(identity)).digest("hex");
}

/** JSON with object keys sorted, so equal options give equal keys whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

interface StoredEntry<T> {
  v: number;
  result: T;
  storedAt: string;
}

function readEntry<T>(value: unknown, isResult: (r: unknown) => boolean): T | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const entry = value as Partial<StoredEntry<T>>;
  return entry.v === KEY_VERSION && isResult(entry.result) ? entry.result : undefined;
}

const isGenerateResult = (r: unknown) => Array.isArray((r as GenerateResult | undefined)?.choices);
const isScoreResult = (r: unknown) => Array.isArray((r as ScoreResult | undefined)?.continuations);

/**
 * Middleware that stores model results in a cache and serves repeated calls from it: a hit costs
 * nothing and is marked `cached: true` (tracing records it with cost 0 when it wraps this
 * middleware: `wrapModel(model, [tracing, caching])`). Only deterministic calls are cached unless
 * `cacheSampled` is set. A stream hit replays the stored result as a stream; a stream miss is
 * stored once it has been read to the end.
 *
 * @example
 * const store = await openStore();
 * const model = wrapModel(base, [tracingMiddleware({ traces: store.traces }), cachingMiddleware({ cache: store.cache })]);
 * await generateText({ model, prompt: "hi", temperature: 0 }); // calls the model
 * await generateText({ model, prompt: "hi", temperature: 0 }); // served from the cache, cached: true, costUsd 0
 */
export function cachingMiddleware(options: CachingOptions): CachingMiddleware {
  const namespace = options.namespace ?? DEFAULT_CACHE_NAMESPACE;
  const warn =
    options.onCacheError ?? ((e: unknown) => process.emitWarning(`weft could not use the result cache: ${String(e)}`));
  const cacheable = (call: CallOptions) => options.cacheSampled || call.temperature === 0 || call.seed !== undefined;

  const lookup = async <T>(key: string, isResult: (r: unknown) => boolean): Promise<T | undefined> => {
    try {
      return readEntry<T>(await options.cache.get(namespace, key), isResult);
    } catch (error) {
      warn(error);
      return undefined;
    }
  };
  const store = async (key: string, result: unknown) => {
    try {
      const entry: StoredEntry<unknown> = { v: KEY_VERSION, result, storedAt: new Date().toISOString() };
      await options.cache.set(namespace, key, entry);
    } catch (error) {
      warn(error);
    }
  };

  return {
    async wrapGenerate({ model, options: call, next }) {
      if (!cacheable(call)) return next();
      const key = cacheKeyOf(model, call, "generate");
      const hit = await lookup<GenerateResult>(key, isGenerateResult);
      if (hit) return { ...hit, cached: true } as CachedResult<GenerateResult>;
      const result = await next();
      if (!result.choices.some((c) => c.finishReason === "error")) await store(key, result);
      return result;
    },

    async wrapStream({ model, options: call, next }) {
      if (!cacheable(call)) return next();
      const key = cacheKeyOf(model, call, "generate");
      const hit = await lookup<GenerateResult>(key, isGenerateResult);
      if (hit) {
        const replay: CachedResult<StreamResult> = { stream: replayStream(hit), cached: true };
        if (hit.warnings?.length) replay.warnings = hit.warnings;
        return replay;
      }
      const result = await next();
      const inner = result.stream;
      async function* recorded(): AsyncGenerator<StreamPart> {
        const recorder = createStreamRecorder();
        for await (const part of inner) {
          recorder.add(part);
          yield part;
        }
        const finished = recorder.result(result.warnings);
        if (finished && !finished.choices.some((c) => c.finishReason === "error")) await store(key, finished);
      }
      return { ...result, stream: recorded() };
    },

    async wrapScore({ model, options: call, next }) {
      const key = cacheKeyOf(model, call, "score");
      const hit = await lookup<ScoreResult>(key, isScoreResult);
      if (hit) return { ...hit, cached: true } as CachedResult<ScoreResult>;
      const result = await next();
      await store(key, result);
      return result;
    },
  };
}

/** Replays a stored result as the parts a live stream would send. */
async function* replayStream(result: GenerateResult): AsyncGenerator<StreamPart> {
  const multi = result.choices.length > 1;
  for (const [index, choice] of result.choices.entries()) {
    const tag = multi ? { choiceIndex: index } : {};
    if (choice.text !== "") yield { type: "text-delta", delta: choice.text, ...tag };
    for (const toolCall of choice.toolCalls) yield { type: "tool-call", toolCall, ...tag };
    if (choice.logprobs?.length) yield { type: "logprobs", logprobs: choice.logprobs, ...tag };
  }
  const finish: StreamPart = {
    type: "finish",
    finishReason: result.choices.at(-1)?.finishReason ?? "stop",
    usage: result.usage,
  };
  if (result.response) finish.response = result.response;
  yield finish;
}

/** Rebuilds a GenerateResult from stream parts; undefined until a finish part arrives. */
function createStreamRecorder() {
  const choices: Array<{ text: string; toolCalls: ToolCall[]; logprobs: TokenLogprob[] }> = [];
  let finish: Extract<StreamPart, { type: "finish" }> | undefined;
  const choiceAt = (index: number) => {
    while (choices.length <= index) choices.push({ text: "", toolCalls: [], logprobs: [] });
    return choices[index] as (typeof choices)[number];
  };
  return {
    add(part: StreamPart) {
      if (part.type === "finish") finish = part;
      else if (part.type === "text-delta") choiceAt(part.choiceIndex ?? 0).text += part.delta;
      else if (part.type === "tool-call") choiceAt(part.choiceIndex ?? 0).toolCalls.push(part.toolCall);
      else if (part.type === "logprobs") choiceAt(part.choiceIndex ?? 0).logprobs.push(...part.logprobs);
    },
    result(warnings: string[] | undefined): GenerateResult | undefined {
      if (!finish) return undefined;
      const done = finish;
      if (choices.length === 0) choiceAt(0);
      const result: GenerateResult = {
        choices: choices.map((c): Choice => {
          const choice: Choice = { text: c.text, toolCalls: c.toolCalls, finishReason: done.finishReason };
          if (c.logprobs.length) choice.logprobs = c.logprobs;
          return choice;
        }),
        usage: done.usage,
      };
      if (done.response) result.response = done.response;
      if (warnings?.length) result.warnings = warnings;
      return result;
    },
  };
}
