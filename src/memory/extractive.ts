import { formatLocation, type SearchResult } from "./search-result.js";

/** The one sentence an extractive answer ends with. */
export const NO_MODEL_HINT =
  "No model is configured, so these are the best passages rather than a written answer: pass --model provider:name (e.g. openai:gpt-4o-mini, ollama:llama3.2, local:./model.gguf) or set OPENAI_API_KEY to get one (see docs/configuration.md).";

const STOP = new Set(
  "a an and are as at be by can do does for from how i in is it its of on or that the this to was what when where which who why will with you your".split(
    " ",
  ),
);

function terms(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (!STOP.has(w)) out.add(w.length > 4 ? w.replace(/(?:es|s)$/, "") : w);
  }
  return out;
}

/**
 * The part of a passage that best matches the question: the run of consecutive sentences, at most
 * `maxChars` long, sharing the most words with it. Short passages come back whole.
 *
 * @example
 * excerpt("Doors open at 8 pm. Parking is free. Bring a jacket.", "when do doors open", 30); // "Doors open at 8 pm. …"
 */
export function excerpt(text: string, question: string, maxChars = 400): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxChars) return flat;
  const sentences = flat.match(/[^.!?]+(?:[.!?]+|$)\s*/g) ?? [flat];
  const wanted = terms(question);
  const hits = sentences.map((s) => [...terms(s)].filter((t) => wanted.has(t)).length);
  let best = { start: 0, end: 1, score: -1 };
  for (let start = 0; start < sentences.length; start++) {
    let length = 0;
    let score = 0;
    for (let end = start; end < sentences.length; end++) {
      length += (sentences[end] as string).length;
      if (length > maxChars && end > start) break;
      score += hits[end] as number;
      if (score > best.score) best = { start, end: end + 1, score };
    }
  }
  const chosen = sentences.slice(best.start, best.end).join("").trim();
  const out = chosen.length > maxChars ? chosen.slice(0, maxChars).replace(/\s+\S*$/, "") : chosen;
  const after = best.end < sentences.length || out.length < chosen.length;
  return `${best.start > 0 ? "… " : ""}${out}${after ? " …" : ""}`;
}

/**
 * An answer made of the best passages themselves, each with its citation, for when no model is
 * configured: `[1] excerpt — source:lines`.
 *
 * @example
 * extractiveAnswer({ question, sources: [{ n: 1, result }] }).text; // "[1] Doors open at 8 pm. — guide.md:3-4"
 */
export function extractiveAnswer(options: {
  question: string;
  sources: Array<{ n: number; result: SearchResult }>;
  /** Passages shown (default 3). */
  passages?: number;
  maxChars?: number;
}): { text: string; cited: number[] } {
  const shown = options.sources.slice(0, options.passages ?? 3);
  const text = shown
    .map(
      ({ n, result }) =>
        `[${n}] ${excerpt(result.text, options.question, options.maxChars)} — ${formatLocation(result)}`,
    )
    .join("\n\n");
  return { text, cited: shown.map((s) => s.n) };
}
