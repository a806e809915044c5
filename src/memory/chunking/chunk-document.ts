import { InvalidArgumentError } from "../../spec/errors.js";
import type { Chunk, DocumentBlock, LoadedDocument } from "../document.js";
import { estimateTokens } from "./estimate-tokens.js";
import { type BoundaryKind, type Budget, longestFit, probe, tailStart } from "./split-text.js";

export interface ChunkOptions {
  /** Upper bound on every chunk's size by `countTokens` (default 300). */
  maxTokens?: number;
  /**
   * About this many tokens from the end of the previous chunk of the same section start the next
   * (default 50; at most half of maxTokens and half of the previous chunk).
   */
  overlapTokens?: number;
  /** Token counter (default `estimateTokens`). */
  countTokens?: (text: string) => number;
}

/** A stretch of one block's text inside a chunk; `at` is where it starts in the chunk's text. */
interface Segment {
  block: number;
  start: number;
  end: number;
  at: number;
}

interface Draft {
  path: string[];
  segments: Segment[];
  text: string;
  tokens: number;
  /** Holds more than the overlap carried from the previous chunk. */
  hasContent: boolean;
  /** Everything beyond the overlap is headings. */
  headingsOnly: boolean;
  /** The chunk the overlap was taken from. */
  from?: Draft;
}

const PROSE: BoundaryKind[] = ["paragraph", "sentence", "line", "space", "word"];
const LINED: BoundaryKind[] = ["paragraph", "line", "sentence", "space", "word"];

/**
 * Cuts a loaded document into chunks of at most `maxTokens` tokens, following its structure:
 * consecutive blocks under the same heading path are packed together, a new heading path starts a
 * new chunk (a heading directly followed by its subsection stays with it), and only a block too
 * large for a chunk of its own is cut: at paragraph, then line or sentence, then word boundaries.
 * Each chunk after the first of a section begins with about `overlapTokens` tokens from the end of
 * the one before, when the next block fits with it.
 * Chunk text carries no heading prefix; metadata holds the heading path and the union of the
 * line ranges or pages covered. The result depends only on the input.
 *
 * @example
 * const chunks = chunkDocument(await loadDocument("guide.md"), { maxTokens: 200, overlapTokens: 30 });
 * chunks[0].metadata; // { source: "/abs/guide.md", title: "Guide", headingPath: ["Guide", "Install"], lineStart: 3, lineEnd: 18 }
 */
export function chunkDocument(doc: LoadedDocument, options: ChunkOptions = {}): Chunk[] {
  const max = options.maxTokens ?? 300;
  if (!Number.isInteger(max) || max < 1) {
    throw new InvalidArgumentError({
      argument: "maxTokens",
      message: `maxTokens must be a positive integer, got ${max}.`,
    });
  }
  const requestedOverlap = options.overlapTokens ?? 50;
  if (!Number.isFinite(requestedOverlap) || requestedOverlap < 0) {
    throw new InvalidArgumentError({
      argument: "overlapTokens",
      message: `overlapTokens must be zero or a positive number, got ${requestedOverlap}.`,
    });
  }
  const overlap = Math.min(Math.floor(requestedOverlap), Math.floor(max / 2));
  const count = options.countTokens ?? estimateTokens;
  // The default estimate adds up exactly over text cut next to whitespace, so a chunk's size is the
  // sum of its pieces (each with the whitespace before it); other counters see the whole chunk.
  const additive = options.countTokens === undefined;
  // Searches look at a window of about one chunk's worth of characters, learnt from the chunks so far.
  let charsPerToken = 6;
  const initialWindow = () => Math.ceil((max + 1) * charsPerToken * 1.25) + 32;
  const { blocks } = doc;
  const chunks: Chunk[] = [];
  const lineStarts = new Map<number, number[]>();
  // One-line records (CSV rows, JSON Lines) are joined line by line; anything else by a blank line.
  const lineRecords = blocks.map((block) => block.kind === "record" && !block.text.includes("\n"));

  const connector = (draft: Draft, block: number, start: number): string => {
    const last = draft.segments[draft.segments.length - 1];
    if (!last) return "";
    if (last.block === block && start >= last.end) return (blocks[block] as DocumentBlock).text.slice(last.end, start);
    return lineRecords[last.block] && lineRecords[block] ? "\n" : "\n\n";
  };

  const budgetFor = (draft: Draft, block: number, pos: number): Budget => {
    const text = (blocks[block] as DocumentBlock).text;
    const join = connector(draft, block, pos);
    if (additive && (join !== "" || draft.text === "")) {
      const used = draft.tokens + count(join);
      return { fits: (end) => used + count(text.slice(pos, end)) <= max, count, used, max, additive: true };
    }
    const fits = (end: number) => count(draft.text + join + text.slice(pos, end)) <= max;
    return { fits, count, used: draft.tokens + count(join), max, additive: false };
  };

  const append = (draft: Draft, block: number, start: number, end: number, content: boolean) => {
    const { text, kind } = blocks[block] as DocumentBlock;
    const join = connector(draft, block, start);
    const last = draft.segments[draft.segments.length - 1];
    const piece = text.slice(start, end);
    if (last && last.block === block && start >= last.end) last.end = end;
    else draft.segments.push({ block, start, end, at: draft.text.length + join.length });
    draft.tokens =
      additive && (join !== "" || draft.text === "")
        ? draft.tokens + count(join + piece)
        : count(draft.text + join + piece);
    draft.text += join + piece;
    if (content) {
      draft.hasContent = true;
      if (kind !== "heading") draft.headingsOnly = false;
    }
  };

  const emit = (draft: Draft) => {
    if (!draft.hasContent) return;
    const tokens = additive ? draft.tokens : count(draft.text);
    if (tokens > 0) charsPerToken = Math.min(16, Math.max(0.5, draft.text.length / tokens));
    chunks.push({ ordinal: chunks.length, text: draft.text, tokens, metadata: metadataOf(draft) });
  };

  const continueAfter = (previous: Draft, room = overlap): Draft => {
    const next = emptyDraft(previous.path);
    next.from = previous;
    previous.from = undefined;
    // Never more than half of the previous chunk, so a short chunk is not repeated whole.
    const limit = Math.min(overlap, room, Math.floor(previous.tokens / 2));
    if (limit === 0) return next;
    const text = previous.text;
    const start = tailStart(text, 0, (s) => count(text.slice(s)) <= limit, (limit + 1) * 8);
    for (const segment of previous.segments) {
      const length = segment.end - segment.start;
      if (segment.at + length <= start) continue;
      append(next, segment.block, segment.start + Math.max(0, start - segment.at), segment.end, false);
    }
    return next;
  };

  const metadataOf = (draft: Draft): Chunk["metadata"] => {
    const metadata: Chunk["metadata"] = { source: doc.source, headingPath: [...draft.path] };
    if (doc.title !== undefined) metadata.title = doc.title;
    for (const segment of draft.segments) {
      const block = blocks[segment.block] as DocumentBlock;
      if (block.page !== undefined) {
        metadata.page = Math.min(metadata.page ?? block.page, block.page);
        metadata.pageEnd = Math.max(metadata.pageEnd ?? block.page, block.page);
      }
      if (block.lineStart === undefined) continue;
      const [first, last] = linesOf(segment);
      metadata.lineStart = Math.min(metadata.lineStart ?? first, first);
      metadata.lineEnd = Math.max(metadata.lineEnd ?? last, last);
    }
    return metadata;
  };

  /** Exact lines of a segment when the block's text is its source lines verbatim, else the block's range. */
  const linesOf = (segment: Segment): [number, number] => {
    const block = blocks[segment.block] as DocumentBlock;
    const first = block.lineStart as number;
    const last = block.lineEnd ?? first;
    let starts = lineStarts.get(segment.block);
    if (!starts) {
      starts = [];
      for (let i = block.text.indexOf("\n"); i !== -1; i = block.text.indexOf("\n", i + 1)) starts.push(i);
      lineStarts.set(segment.block, starts);
    }
    if (starts.length !== last - first) return [first, last];
    return [first + newlinesBefore(starts, segment.start), first + newlinesBefore(starts, segment.end - 1)];
  };

  let draft = emptyDraft([]);
  blocks.forEach((block, index) => {
    const { text } = block;
    let pos = skipSpace(text, 0, text.length);
    const end = text.trimEnd().length;
    if (pos >= end) return;
    const path = block.kind === "heading" ? [...block.headingPath, text.trim()] : block.headingPath;
    if (!draft.segments.length) draft.path = path;
    else if (!samePath(draft.path, path)) {
      if (draft.hasContent && draft.headingsOnly && isPrefix(draft.path, path)) draft.path = path;
      else {
        emit(draft);
        draft = emptyDraft(path);
      }
    }
    const kinds = block.kind === "paragraph" || block.kind === "heading" ? PROSE : LINED;
    const blockStart = pos;
    let shrunk = false;
    while (pos < end) {
      const budget = budgetFor(draft, index, pos);
      const { all, window } = probe(pos, end, budget.fits, initialWindow());
      if (all) {
        append(draft, index, pos, end, true);
        break;
      }
      // A block that fits a chunk of its own is not cut: it starts the next chunk, after the
      // overlap if both fit, else alone. Only a heading right before it may pull it into a cut.
      const alone = pos === blockStart && probe(pos, end, (e) => count(text.slice(pos, e)) <= max, initialWindow()).all;
      if (draft.hasContent && !draft.headingsOnly && (alone || draft.tokens >= max / 2)) {
        emit(draft);
        draft = continueAfter(draft);
        continue;
      }
      if (alone && !draft.hasContent && draft.segments.length) {
        // Less overlap, then none, rather than a cut block.
        const room = max - count(text.slice(pos, end)) - 1;
        draft = draft.from && !shrunk && room > 0 ? continueAfter(draft.from, room) : emptyDraft(draft.path);
        shrunk = true;
        continue;
      }
      let cut = longestFit(text, pos, window, budget, kinds);
      if (cut === pos) {
        if (draft.hasContent) {
          emit(draft);
          draft = continueAfter(draft);
          continue;
        }
        if (draft.segments.length) {
          draft = emptyDraft(draft.path);
          continue;
        }
        // Not one character fits an empty chunk: it goes alone, over budget, rather than being lost.
        cut = pos + ((text.codePointAt(pos) as number) > 0xffff ? 2 : 1);
      }
      append(draft, index, pos, cut, true);
      pos = skipSpace(text, cut, end);
      if (pos < end) {
        emit(draft);
        draft = continueAfter(draft);
      }
    }
  });
  emit(draft);
  return chunks;
}

function emptyDraft(path: string[]): Draft {
  return { path, segments: [], text: "", tokens: 0, hasContent: false, headingsOnly: true };
}

function skipSpace(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && /\s/.test(text[i] as string)) i++;
  return i;
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return prefix.length < path.length && prefix.every((part, i) => part === path[i]);
}

/** How many of the sorted newline offsets lie before `offset`. */
function newlinesBefore(newlines: number[], offset: number): number {
  let lo = 0;
  let hi = newlines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((newlines[mid] as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
