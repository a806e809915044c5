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
 * fts5Query("NEAR(a b)") // '"near" OR "a" OR "b"'
 */
export function fts5Query(text: string): string | undefined {
  const terms = searchTerms(text);
  return terms.length === 0 ? undefined : terms.map((term) => `"${term}"`).join(" OR ");
}

/**
 * A `to_tsquery` input that ORs the quoted terms of `text`; undefined when it has no terms.
 *
 * @example
 * tsQuery("cats & dogs!") // "'cats' | 'dogs'"
 */
export function tsQuery(text: string): string | undefined {
  const terms = searchTerms(text);
  return terms.length === 0 ? undefined : terms.map((term) => `'${term}'`).join(" | ");
}
