const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const SPACE = /\s/;

// Character classes: 0 whitespace, 1 letter, 2 digit, 3 punctuation/symbol/other, 4 CJK.
const ASCII_CLASS = new Uint8Array(128).map((_, code) => {
  const c = String.fromCharCode(code);
  if (SPACE.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return 1;
  if (/[0-9]/.test(c)) return 2;
  return 3;
});

function classOf(char: string): number {
  if (SPACE.test(char)) return 0;
  if (CJK.test(char)) return 4;
  if (WORD_CHAR.test(char)) return /\p{N}/u.test(char) ? 2 : 1;
  return 3;
}

/**
 * Estimates the number of tokens a BPE tokenizer (o200k / cl100k style) would produce, without a
 * vocabulary: a run of letters and digits counts one token per 5 characters, rounded up (one per 3
 * when it has non-ASCII letters, one per 2 past 16 characters, one per 1.5 when it mixes letters
 * and digits as hashes and base64 do); a run of one repeated punctuation mark or symbol counts one
 * per 4 (so "..." and a "-----" table rule are one); each CJK character counts one; whitespace
 * counts nothing.
 *
 * Against o200k and cl100k it overestimates English prose and code by 15–35% and base64 or hex by
 * up to 20%; on Chinese and Russian it is within 10% and 25% under cl100k and up to 50% over o200k.
 * It adds up exactly over text joined at whitespace, which lets the chunker count pieces instead
 * of whole chunks. Pass an exact counter (e.g. gpt-tokenizer's `countTokens`) where precision
 * matters.
 *
 * @example
 * estimateTokens("Hello, world!"); // 4
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  let run = 0;
  let shape = 0; // bits: 1 letters, 2 digits, 4 non-ASCII letters
  let mark = -1;
  let marks = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    let kind: number;
    if (code < 128) kind = ASCII_CLASS[code] as number;
    else {
      code = text.codePointAt(i) as number;
      if (code > 0xffff) i++;
      kind = classOf(String.fromCodePoint(code));
    }
    if (kind === 1 || kind === 2) {
      if (marks) {
        tokens += Math.ceil(marks / 4);
        marks = 0;
        mark = -1;
      }
      run++;
      shape |= kind | (code >= 128 ? 4 : 0);
      continue;
    }
    if (run) {
      tokens += runTokens(run, shape);
      run = 0;
      shape = 0;
    }
    if (kind === 3 && (code === mark || !marks)) {
      mark = code;
      marks++;
      continue;
    }
    if (marks) tokens += Math.ceil(marks / 4);
    marks = 0;
    mark = -1;
    if (kind === 3) {
      mark = code;
      marks = 1;
    } else if (kind === 4) tokens++;
    else {
      // A single space joins the next word; a line break or a wider gap is a token of its own.
      let end = i + 1;
      while (end < text.length && (ASCII_CLASS[text.charCodeAt(end)] === 0 || SPACE.test(text[end] as string))) end++;
      if (end - i > 1 || code === 10) tokens++;
      i = end - 1;
    }
  }
  if (run) tokens += runTokens(run, shape);
  if (marks) tokens += Math.ceil(marks / 4);
  return tokens;
}

function runTokens(length: number, shape: number): number {
  const mixed = length > 6 && (shape & 3) === 3;
  return Math.ceil(length / (mixed ? 1.5 : length > 16 ? 2 : shape & 4 ? 3 : 5));
}
