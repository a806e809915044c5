/**
 * Turns free user text into safe full-text queries. Both engines have a query syntax (FTS5:
 * quotes, `-`, `:`, `*`, `AND`/`OR`/`NOT`/`NEAR`, parentheses; tsquery: `&`, `|`, `!`, `<->`) in
 * which ordinary text raises syntax errors, so the text is cut into plain word terms first and the
 * terms are then quoted and joined with OR.
 *
 * OR rather than AND: BM25 (and cover density) already rank chunks that contain more of the terms,
 * and more often, above the rest, while a rare term's inverse document frequency outweighs a
 * common one's. AND would return nothing as soon as one word of a natural question ("what", "does")
 * or a typo is missing from the best chunk — FTS5 has no stop-word list to drop them.
 */

/** More terms than this add noise and cost without changing the top results. */
const MAX_TERMS = 64;

/**
 * Lucene's 33 English stop words. They occur in most rows, so they add almost nothing to a BM25
 * score but make the engine score nearly every row: dropping them from queries kept SciFact
 * nDCG@10 at 0.701 and made 100k-chunk queries ~3x faster (docs/benchmarks.md).
 */
const STOP_WORDS = new Set(
  "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with".split(
    " ",
  ),
);

/** The query terms without stop words, or all of them when nothing else is left ("to be or not to be"). */
function queryTerms(text: string): string[] {
  const terms = searchTerms(text);
  const content = terms.filter((term) => !STOP_WORDS.has(term));
  return content.length > 0 ? content : terms;
}

/**
 * Splits text into distinct word terms (letters, digits and combining marks), lower-cased,
 * in order of first appearance.
 *
 * @example
 * searchTerms('"rate-limit" AND (retry*)') // ["rate", "limit", "and", "retry"]
 */
export function searchTerms(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.normalize("NFC").matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    seen.add(match[0].toLowerCase());
    if (seen.size >= MAX_TERMS) break;
  }
  return [...seen];
}

/**
 * An FTS5 MATCH expression that ORs the quoted terms of `text`; undefined when it has no terms.
 *
 * @example
 * fts5Query("NEAR(a b)") // '"near" OR "b"' (the stop word "a" is dropped)
 */
export function fts5Query(text: string): string | undefined {
  const terms = queryTerms(text);
  return terms.length === 0 ? undefined : terms.map((term) => `"${term}"`).join(" OR ");
}

/**
 * A `to_tsquery` input that ORs the quoted terms of `text`; undefined when it has no terms.
 *
 * @example
 * tsQuery("cats & dogs!") // "'cats' | 'dogs'"
 */
export function tsQuery(text: string): string | undefined {
  const terms = queryTerms(text);
  return terms.length === 0 ? undefined : terms.map((term) => `'${term}'`).join(" | ");
}
