import type { ChunkHit } from "../spec/store.js";

/** One passage found by `search`. */
export interface SearchResult {
  /** Chunk id, `<document id>#<ordinal>`. */
  id: string;
  documentId: string;
  /** The file it came from, as indexed (relative to the folder indexing ran in, when inside it). */
  source: string;
  title?: string;
  /** Final ranking score, higher is better: see `scores` for where it came from. */
  score: number;
  /** The score of each stage that saw this passage. */
  scores: {
    /** BM25-derived full-text score (best over queries). */
    text?: number;
    /** Cosine similarity (best over queries). */
    vector?: number;
    /** Reciprocal rank fusion score, when several lists were fused. */
    fused?: number;
    /** Reranker score. */
    rerank?: number;
  };
  text: string;
  /** Headings above the passage, outermost first. */
  headingPath: string[];
  /** 1-based inclusive line range in the source, for text formats. */
  lines?: { start: number; end: number };
  /** 1-based inclusive page range, for paged formats (PDF). */
  pages?: { start: number; end: number };
  /** All chunk metadata as stored. */
  metadata: Record<string, unknown>;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** Converts a store hit into a search result, reading the chunk metadata the indexer wrote. */
export function resultFromHit(hit: ChunkHit): SearchResult {
  const m = hit.chunk.metadata;
  const lineStart = num(m.lineStart);
  const page = num(m.page);
  const result: SearchResult = {
    id: hit.chunk.id,
    documentId: hit.document.id,
    source: hit.document.source,
    score: hit.score,
    scores: {},
    text: hit.chunk.text,
    headingPath: Array.isArray(m.headingPath) ? m.headingPath.map(String) : [],
    metadata: m,
  };
  const title = typeof m.title === "string" ? m.title : hit.document.title;
  if (title !== undefined) result.title = title;
  if (lineStart !== undefined) result.lines = { start: lineStart, end: num(m.lineEnd) ?? lineStart };
  if (page !== undefined) result.pages = { start: page, end: num(m.pageEnd) ?? page };
  return result;
}

/**
 * Where a passage is, for people: `guide.md:12-20`, `manual.pdf p. 3`, `manual.pdf pp. 3-4`.
 *
 * @example
 * formatLocation({ source: "notes/a.md", lines: { start: 3, end: 9 } }); // "notes/a.md:3-9"
 */
export function formatLocation(result: Pick<SearchResult, "source" | "lines" | "pages">): string {
  if (result.pages) {
    const { start, end } = result.pages;
    return start === end ? `${result.source} p. ${start}` : `${result.source} pp. ${start}-${end}`;
  }
  if (result.lines) {
    const { start, end } = result.lines;
    return start === end ? `${result.source}:${start}` : `${result.source}:${start}-${end}`;
  }
  return result.source;
}
