/**
 * What loaders produce and what chunking consumes: a document as an ordered list of structural
 * blocks, and chunks that carry the location (heading path, lines or pages) they came from.
 */

export type DocumentFormat = "text" | "markdown" | "html" | "pdf" | "docx" | "csv" | "json" | "jsonl";

export interface DocumentBlock {
  kind: "heading" | "paragraph" | "list" | "code" | "table" | "record";
  text: string;
  /** Heading level, 1 (outermost) to 6. Headings only. */
  level?: number;
  /** Enclosing headings, outermost first. A heading's own text is not part of its path. */
  headingPath: string[];
  /** 1-based, inclusive line range in the source file (text-like formats). */
  lineStart?: number;
  lineEnd?: number;
  /** 1-based page number (PDF). */
  page?: number;
}

export interface LoadedDocument {
  /** Absolute path of the file. */
  source: string;
  format: DocumentFormat;
  title?: string;
  /** The whole extracted text. */
  text: string;
  /** Blocks in reading order. */
  blocks: DocumentBlock[];
  /**
   * Facts the format has: `bytes` always; `pages`, `author`, `columns`, `records` where they apply;
   * `warnings` (string[]) when the file loaded with problems worth telling the user about.
   */
  metadata: Record<string, unknown>;
}

export interface Chunk {
  /** 0-based position of the chunk in its document. */
  ordinal: number;
  text: string;
  /** Size of `text` by the counter the chunker was given. */
  tokens: number;
  metadata: {
    source: string;
    title?: string;
    headingPath: string[];
    lineStart?: number;
    lineEnd?: number;
    page?: number;
    pageEnd?: number;
  };
}
