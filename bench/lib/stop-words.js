// The English stop words of Lucene's StandardAnalyzer / EnglishAnalyzer (the 33-word classic set).
export const ENGLISH_STOP_WORDS = new Set(
  "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with".split(
    " ",
  ),
);

/**
 * The query without its stop words, split into words the way weft's `searchTerms` does; the
 * query itself when nothing else would remain ("to be or not to be").
 */
export function dropStopWords(query) {
  const words = query.normalize("NFC").match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  const kept = words.filter((word) => !ENGLISH_STOP_WORDS.has(word.toLowerCase()));
  return kept.length > 0 ? kept.join(" ") : query;
}
