/**
 * The contract every language model provider implements (version `weft-lm-1`).
 *
 * Providers translate these calls to their wire protocol and nothing more: retries, timeouts,
 * tracing, caching and loops belong to the user-facing functions in `generate/`.
 */
import type { JSONSchema } from "./json-schema.js";

export interface TextPart {
  type: "text";
  text: string;
}

/** A tool call the model asked for. `input` is the parsed JSON arguments object. */
export interface ToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

export interface ToolCallPart extends ToolCall {
  type: "tool-call";
}

export interface ToolResultPart {
  type: "tool-result";
  toolCallId: string;
  toolName: string;
  /** Any JSON value; providers serialise it for the wire. */
  output: unknown;
  isError?: boolean;
}

export type SystemMessage = { role: "system"; content: string };
export type UserMessage = { role: "user"; content: string | TextPart[] };
export type AssistantMessage = { role: "assistant"; content: string | Array<TextPart | ToolCallPart> };
export type ToolMessage = { role: "tool"; content: ToolResultPart[] };
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema (draft 2020-12 subset) of the arguments object. */
  inputSchema: JSONSchema;
}

export type ToolChoice = "auto" | "none" | "required" | { type: "tool"; toolName: string };

export type ResponseFormat =
  | { type: "text" }
  /** JSON output. With `schema`, providers that declare `jsonSchema` enforce it natively. */
  | { type: "json"; schema?: JSONSchema; name?: string; description?: string };

export interface CallOptions {
  /** The conversation. Always present; in raw mode it holds the raw prompt as one user message. */
  messages: Message[];
  /**
   * Raw completion: continue this text exactly, with no chat template. Only for models that
   * declare `capabilities.rawCompletion`.
   */
  rawPrompt?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  /** Number of independent completions (`choices`). Only for models declaring `multipleChoices`. */
  n?: number;
  /** Return the log probability of each generated token. */
  logprobs?: boolean;
  /** Also return this many alternatives per position (implies `logprobs`). */
  topLogprobs?: number;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  /** A GBNF grammar constraining the output. Only for models declaring `grammar`. */
  grammar?: string;
  abortSignal?: AbortSignal;
  /** Extra HTTP headers for remote providers. */
  headers?: Record<string, string>;
  /** Provider-specific options keyed by provider name, passed through untouched. */
  providerOptions?: Record<string, Record<string, unknown>>;
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other" | "unknown";

export interface TokenLogprob {
  token: string;
  logprob: number;
  topLogprobs?: Array<{ token: string; logprob: number }>;
}

export interface Choice {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  logprobs?: TokenLogprob[];
}

export interface ResponseInfo {
  id?: string;
  /** The model id the server reports, which may differ from the requested one. */
  modelId?: string;
}

export interface GenerateResult {
  /** Always at least one choice; more when `n > 1`. */
  choices: Choice[];
  usage: Usage;
  response?: ResponseInfo;
  /** Settings the provider ignored or adjusted, in plain words. */
  warnings?: string[];
  /** Served from a cache: `usage` is what the original call used, and this one cost nothing. */
  cached?: boolean;
}

export type StreamPart =
  | { type: "text-delta"; delta: string; choiceIndex?: number }
  | { type: "tool-call"; toolCall: ToolCall; choiceIndex?: number }
  | { type: "logprobs"; logprobs: TokenLogprob[]; choiceIndex?: number }
  | { type: "finish"; finishReason: FinishReason; usage: Usage; response?: ResponseInfo };

export interface StreamResult {
  /** Ends with exactly one `finish` part; throws a WeftError if the stream fails mid-way. */
  stream: AsyncIterable<StreamPart>;
  warnings?: string[];
  /** Replayed from a cache; see GenerateResult.cached. */
  cached?: boolean;
}

export interface ScoreOptions {
  messages: Message[];
  rawPrompt?: string;
  continuations: string[];
  abortSignal?: AbortSignal;
}

export interface ScoreResult {
  /** One entry per continuation, in order. */
  continuations: Array<{ logprob: number; tokens: TokenLogprob[] }>;
  usage: Usage;
  /** Served from a cache. */
  cached?: boolean;
}

export interface ModelCapabilities {
  tools: boolean;
  /** Native structured output with a JSON schema (e.g. OpenAI `response_format: json_schema`). */
  jsonSchema: boolean;
  logprobs: boolean;
  /** `n > 1` in one call. */
  multipleChoices: boolean;
  /** GBNF / JSON-schema grammar constrained decoding (local models). */
  grammar: boolean;
  /** Continue raw text without a chat template. */
  rawCompletion: boolean;
  /** The same provider can embed text (see EmbeddingModel). */
  embeddings: boolean;
}

export interface LanguageModel {
  readonly specificationVersion: "weft-lm-1";
  /** Provider name as used in model ids, e.g. `openai`, `anthropic`, `ollama`, `local`. */
  readonly provider: string;
  /** Model name within the provider, e.g. `gpt-4o-mini`. */
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  /**
   * Generate a complete response. Rejects with a WeftError subclass
   * (AuthenticationError, RateLimitError, ContextLengthError, ...).
   */
  doGenerate(options: CallOptions): Promise<GenerateResult>;
  /** Start a stream. Rejects before any part for failures that happen before output begins. */
  doStream(options: CallOptions): Promise<StreamResult>;
  /**
   * Scores continuations: the log probability of each one following the prompt (`messages`, or
   * `rawPrompt` for raw text), summed over its tokens. Only models that can evaluate arbitrary
   * tokens implement it (local models); `select` uses it to choose between options for real.
   */
  doScore?(options: ScoreOptions): Promise<ScoreResult>;
  /** Exact token count of a text with this model's tokenizer, where the provider has one. */
  countTokens?(text: string): Promise<number>;
  /** Release resources (local models free memory). */
  dispose?(): Promise<void>;
}

export interface DoEmbedResult {
  embeddings: number[][];
  usage?: { tokens?: number };
}

export interface EmbeddingModel {
  readonly specificationVersion: "weft-em-1";
  readonly provider: string;
  readonly modelId: string;
  /** Vector length when known before the first call. */
  readonly dimensions?: number;
  /** Largest batch one call accepts; `embedMany` splits larger inputs. */
  readonly maxBatchSize?: number;
  doEmbed(options: {
    values: string[];
    abortSignal?: AbortSignal;
    headers?: Record<string, string>;
  }): Promise<DoEmbedResult>;
  dispose?(): Promise<void>;
}

/** A provider turns model names into model objects. */
export interface Provider {
  readonly name: string;
  languageModel(modelId: string): LanguageModel;
  embeddingModel?(modelId: string): EmbeddingModel;
  /** Free resources held by the provider (loaded local models, open connections). */
  dispose?(): Promise<void>;
}
