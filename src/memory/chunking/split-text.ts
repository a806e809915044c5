/**
 * Finding where to cut text: the largest prefix that fits a token budget, cut at the coarsest
 * boundary that allows one (paragraph, line, sentence, word, character), and the smallest tail
 * that fits an overlap budget. Every search looks only at a window a little larger than the
 * budget, so cutting a multi-megabyte line stays linear.
 */

/** Whether `text.slice(pos, end)` — with whatever the caller puts before it — fits the budget. */
export type FitsUpTo = (end: number) => boolean;

/** The exact test plus what is needed for a quick first guess: pieces' counts add up to about the whole. */
export interface Budget {
  fits: FitsUpTo;
  count: (text: string) => number;
  /** Tokens already used before `pos`. */
  used: number;
  max: number;
  /** Counts add up exactly over text cut next to whitespace, so sums need no checking. */
  additive: boolean;
}

export type BoundaryKind = "paragraph" | "line" | "sentence" | "space" | "word";

const SENTENCES = new Intl.Segmenter("en", { granularity: "sentence" });
const WORDS = new Intl.Segmenter("en", { granularity: "word" });
const SENTENCE_END = /[.!?\u0964\u3002\uff01\uff1f\u2026]/;

/**
 * Grows a window from `pos` until the text up to its end no longer fits, or reaches `end`.
 * Returns `{ all: true }` when everything up to `end` fits.
 *
 * @example
 * probe(0, text.length, (e) => count(text.slice(0, e)) <= 300, 2400);
 */
export function probe(pos: number, end: number, fits: FitsUpTo, initial: number): { all: boolean; window: number } {
  let size = Math.max(1, initial);
  for (;;) {
    const window = Math.min(end, pos + size);
    if (!fits(window)) return { all: false, window };
    if (window === end) return { all: true, window };
    size *= 2;
  }
}

/**
 * The largest cut `e` in `(pos, window)` with `fits(e)`, trying boundary kinds in the given order
 * and moving to a finer kind only inside the first unit of the coarser one. Falls back to
 * character positions (never inside a surrogate pair). Returns `pos` when not one character fits.
 * Ends never include trailing whitespace.
 *
 * @example
 * const fits = (e: number) => count(text.slice(0, e)) <= 300;
 * longestFit(text, 0, 5000, { fits, count, used: 0, max: 300, additive: false }, ["paragraph", "sentence", "space", "word"]);
 */
export function longestFit(text: string, pos: number, window: number, budget: Budget, kinds: BoundaryKind[]): number {
  const { fits } = budget;
  let limit = window;
  for (const kind of kinds) {
    const cuts = boundaries(text, pos, limit, kind);
    if (!cuts.length) continue;
    const best = lastFitting(text, pos, cuts, budget, kind !== "word");
    if (best !== undefined) return best;
    limit = cuts[0] as number;
  }
  let lo = pos;
  let hi = limit - 1;
  // A proportional first guess, then a bracket around it, keeps the search short on long runs.
  const total = budget.count(text.slice(pos, limit));
  if (total > 0 && budget.max > budget.used) {
    const guess = codePointStart(text, pos + Math.floor(((limit - pos) * (budget.max - budget.used)) / total));
    const step = Math.max(1, (limit - pos) >> 5);
    if (guess > lo && guess <= hi) {
      if (fits(guess)) {
        lo = guess;
        const above = codePointStart(text, Math.min(hi, guess + step));
        if (above > lo) {
          if (fits(above)) lo = above;
          else hi = above - 1;
        }
      } else {
        hi = guess - 1;
        const below = codePointStart(text, Math.max(lo, guess - step));
        if (below > lo && fits(below)) lo = below;
      }
    }
  }
  while (lo < hi) {
    const mid = codePointStart(text, (lo + hi + 1) >> 1);
    if (mid > lo && fits(mid)) lo = mid;
    else hi = mid > lo ? mid - 1 : lo;
  }
  return lo;
}

/**
 * The smallest start `s` in `[from, text.length)` at a word start with `fits(s)` (the tail from `s`
 * fits). Prefers a later sentence start when that keeps at least half the tail. Returns
 * `text.length` when no tail fits.
 *
 * @example
 * tailStart(chunkText, 0, (s) => count(chunkText.slice(s)) <= 50, 400);
 */
export function tailStart(text: string, from: number, fits: FitsUpTo, initial: number): number {
  const end = text.length;
  let size = Math.max(1, initial);
  let low = Math.max(from, end - size);
  while (low > from && fits(low)) {
    size *= 2;
    low = Math.max(from, end - size);
  }
  const starts: number[] = [];
  const space = /\s+/g;
  space.lastIndex = low;
  if (low === from || /\s/.test(text[low - 1] ?? "")) starts.push(low);
  for (let m = space.exec(text); m !== null; m = space.exec(text)) {
    const start = m.index + m[0].length;
    if (start < end && start > low) starts.push(start);
  }
  let found = firstFitting(starts, fits);
  if (found === undefined) {
    const starts = wordStarts(text.slice(low))
      .map((s) => low + s)
      .filter((s) => s > low || s === from);
    found = firstFitting(starts, fits);
  }
  if (found === undefined) {
    let lo = low;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) hi = mid;
      else lo = mid + 1;
    }
    if (isLowSurrogate(text, lo)) lo++;
    found = lo < end && fits(lo) ? lo : end;
  }
  if (found >= end) return end;
  const tail = text.slice(found);
  const nice = SENTENCE_END.test(tail) ? [...SENTENCES.segment(tail.replace(/\n/g, " "))].map((s) => s.index) : [];
  for (let i = tail.indexOf("\n"); i !== -1; i = tail.indexOf("\n", i + 1)) nice.push(i + 1);
  const half = (end - found) / 2;
  let best = found;
  for (const offset of nice) {
    const start = found + offset;
    if (start > found && end - start >= half && (best === found || start < best) && /\S/.test(text[start] ?? "")) {
      best = start;
    }
  }
  return best;
}

function boundaries(text: string, pos: number, limit: number, kind: BoundaryKind): number[] {
  const cuts: number[] = [];
  const add = (cut: number) => {
    let e = cut;
    while (e > pos && /\s/.test(text[e - 1] as string)) e--;
    if (e > pos && e < limit && e !== cuts[cuts.length - 1]) cuts.push(e);
  };
  if (kind === "sentence") {
    const slice = text.slice(pos, limit);
    if (!SENTENCE_END.test(slice)) return cuts;
    // Sentence rules end a sentence at every line break; soft-wrapped prose must not be cut there.
    for (const segment of SENTENCES.segment(slice.replace(/\n/g, " ")))
      add(pos + segment.index + segment.segment.length);
    return cuts;
  }
  if (kind === "word") {
    for (const start of wordStarts(text.slice(pos, limit))) add(pos + start);
    return cuts;
  }
  const pattern = kind === "paragraph" ? /\n[ \t]*\n/g : kind === "line" ? /\n/g : /\s+/g;
  for (const m of text.slice(pos, limit).matchAll(pattern)) add(pos + m.index);
  return cuts;
}

/**
 * Largest cut that fits, assuming fit is monotone in the cut; undefined when the first does not.
 * Summing the units' counts gives a guess that one exact test usually confirms; a binary search
 * below it covers counters whose pieces do not add up.
 */
function lastFitting(
  text: string,
  pos: number,
  cuts: number[],
  budget: Budget,
  atWhitespace: boolean,
): number | undefined {
  const { fits } = budget;
  let guess = -1;
  let used = budget.used;
  let from = pos;
  for (const cut of cuts) {
    used += budget.count(text.slice(from, cut));
    if (used > budget.max) break;
    guess++;
    from = cut;
  }
  if (guess >= 0 && ((budget.additive && atWhitespace) || fits(cuts[guess] as number))) return cuts[guess];
  if (!fits(cuts[0] as number)) return undefined;
  let lo = 0;
  let hi = Math.max(0, guess - 1);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(cuts[mid] as number)) lo = mid;
    else hi = mid - 1;
  }
  return cuts[lo];
}

/** Smallest start whose tail fits, assuming shorter tails fit more easily. */
function firstFitting(starts: number[], fits: FitsUpTo): number | undefined {
  const lastIndex = starts.length - 1;
  if (lastIndex < 0 || !fits(starts[lastIndex] as number)) return undefined;
  let lo = 0;
  let hi = lastIndex;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fits(starts[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return starts[lo];
}

/**
 * Offsets where words start (and so where the previous one ends). ASCII text is split at runs of
 * non-word characters without asking ICU, which costs more than the cut is worth on long runs.
 */
function wordStarts(slice: string): number[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/^[\x00-\x7f]*$/.test(slice)) return [...slice.matchAll(/[A-Za-z0-9_]+|[^A-Za-z0-9_\s]+/g)].map((m) => m.index);
  return [...WORDS.segment(slice)].map((segment) => segment.index);
}

function codePointStart(text: string, i: number): number {
  return isLowSurrogate(text, i) && i > 0 ? i - 1 : i;
}

function isLowSurrogate(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff;
}
