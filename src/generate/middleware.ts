import type {
  CallOptions,
  GenerateResult,
  LanguageModel,
  ScoreOptions,
  ScoreResult,
  StreamResult,
} from "../spec/language-model.js";

/**
 * Wraps a model's calls. Tracing, caching and similar concerns are middleware so that every
 * caller (generateText, agents, programs) gets them without knowing.
 */
export interface LanguageModelMiddleware {
  wrapGenerate?(ctx: {
    model: LanguageModel;
    options: CallOptions;
    next: () => Promise<GenerateResult>;
  }): Promise<GenerateResult>;
  wrapStream?(ctx: {
    model: LanguageModel;
    options: CallOptions;
    next: () => Promise<StreamResult>;
  }): Promise<StreamResult>;
  /** Wraps `doScore` on models that have it. */
  wrapScore?(ctx: {
    model: LanguageModel;
    options: ScoreOptions;
    next: () => Promise<ScoreResult>;
  }): Promise<ScoreResult>;
}

function scoreThrough(inner: LanguageModel, m: LanguageModelMiddleware): LanguageModel["doScore"] {
  const score = inner.doScore?.bind(inner);
  if (!score) return undefined;
  const wrap = m.wrapScore?.bind(m);
  return wrap ? (options) => wrap({ model: inner, options, next: () => score(options) }) : score;
}

/**
 * Returns a model whose calls pass through the middleware, first one outermost.
 *
 * @example
 * const traced = wrapModel(model, [tracingMiddleware({ traces: store.traces })]);
 */
export function wrapModel(model: LanguageModel, middleware: LanguageModelMiddleware[]): LanguageModel {
  return middleware.reduceRight<LanguageModel>(
    (inner, m) => ({
      specificationVersion: inner.specificationVersion,
      provider: inner.provider,
      modelId: inner.modelId,
      capabilities: inner.capabilities,
      countTokens: inner.countTokens?.bind(inner),
      doScore: scoreThrough(inner, m),
      dispose: inner.dispose?.bind(inner),
      doGenerate: (options) =>
        m.wrapGenerate
          ? m.wrapGenerate({ model: inner, options, next: () => inner.doGenerate(options) })
          : inner.doGenerate(options),
      doStream: (options) =>
        m.wrapStream
          ? m.wrapStream({ model: inner, options, next: () => inner.doStream(options) })
          : inner.doStream(options),
    }),
    model,
  );
}
