import type { ChunkRecord, DocumentRecord, TraceRecord } from "../../src/spec/store.js";

/** A complete trace; `overrides` replace fields. */
export function sampleTrace(overrides: Partial<TraceRecord> = {}): TraceRecord {
  return {
    id: "trace-1",
    startedAt: "2025-03-01T10:00:00.000Z",
    operation: "generate",
    provider: "openai",
    modelId: "gpt-4o-mini",
    parameters: { temperature: 0.2, maxTokens: 64, tools: [{ name: "search" }] },
    input: [{ role: "user", content: "Hello" }],
    output: { text: "Hi there", toolCalls: [] },
    usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 },
    costUsd: 0.000012,
    latencyMs: 321,
    error: null,
    sessionId: null,
    parentId: null,
    cached: false,
    ...overrides,
  };
}

/** A document `id` whose chunks hold `texts` (ids `id#0`, `id#1`, ...), with optional vectors. */
export function sampleDocument(
  id: string,
  texts: string[],
  embeddings?: Array<number[] | undefined>,
  extra: Partial<DocumentRecord> = {},
): { document: DocumentRecord; chunks: ChunkRecord[] } {
  return {
    document: { id, source: `docs/${id}.md`, contentHash: `hash-${id}`, metadata: { kind: "test" }, ...extra },
    chunks: texts.map((text, ordinal) => {
      const chunk: ChunkRecord = { id: `${id}#${ordinal}`, documentId: id, ordinal, text, metadata: { ordinal } };
      const embedding = embeddings?.[ordinal];
      if (embedding) chunk.embedding = embedding;
      return chunk;
    }),
  };
}

/** Cosine similarity, to check the stores' scores. */
export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}
