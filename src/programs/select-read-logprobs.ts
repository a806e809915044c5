import type { TokenLogprob } from "../spec/language-model.js";

/** What the returned tokens say about the options. */
export interface OptionReading {
  /**
   * Per option, the log probability of as much of its text as the returned tokens cover (the
   * whole option when it fits in the tokens read), or null when no returned token starts it.
   */
  logprobs: Array<number | null>;
  /** The option the tokens decide for, or undefined when they do not tell the options apart. */
  decided?: number;
}

/**
 * Reads options' log probabilities from a reply's top logprobs. Position 0 gives every option
 * whose text starts with one of the alternatives there; later positions follow the generated
 * tokens, so an option sharing its first token with the reply ("New York" after "New") is read
 * further. The reading decides only when the most probable option's text read so far belongs
 * to no other option — otherwise two options share that probability and the caller falls back.
 *
 * `trimLeading` compares without leading whitespace (chat replies start fresh: " Yes" ≙ "Yes").
 *
 * @example
 * readOptionLogprobs([{ token: "Yes", logprob: -0.1, topLogprobs: [{ token: "Yes", logprob: -0.1 }, { token: "No", logprob: -2.4 }] }], ["Yes", "No"], { trimLeading: true });
 * // { logprobs: [-0.1, -2.4], decided: 0 }
 */
export function readOptionLogprobs(
  tokens: TokenLogprob[],
  options: string[],
  settings: { trimLeading: boolean },
): OptionReading {
  const normalize = (text: string) => (settings.trimLeading ? text.trimStart() : text);
  const targets = options.map(normalize);
  const readings = targets.map((target) => readOne(tokens, target, normalize));
  const logprobs = readings.map((r) => r?.logprob ?? null);
  let best = -1;
  readings.forEach((reading, index) => {
    const current = best >= 0 ? readings[best] : undefined;
    if (reading && (!current || reading.logprob > current.logprob)) best = index;
  });
  const winner = best >= 0 ? readings[best] : undefined;
  if (!winner) return { logprobs };
  const shared = targets.some((target, index) => index !== best && target.startsWith(winner.read));
  return shared ? { logprobs } : { logprobs, decided: best };
}

interface Reading {
  logprob: number;
  /** The part of the option's text the logprob covers. */
  read: string;
}

function readOne(tokens: TokenLogprob[], target: string, normalize: (text: string) => string): Reading | undefined {
  if (target === "") return undefined;
  let consumed = "";
  let along = 0;
  let found: Reading | undefined;
  for (const [position, entry] of tokens.entries()) {
    const alternatives = [{ token: entry.token, logprob: entry.logprob }, ...(entry.topLogprobs ?? [])];
    let here: Reading | undefined;
    for (const alternative of alternatives) {
      const text = position === 0 ? normalize(alternative.token) : consumed + alternative.token;
      if (text === "" || text === consumed) continue;
      const covered = matches(text, target);
      if (covered === undefined) continue;
      const logprob = along + alternative.logprob;
      if (!here || logprob > here.logprob) here = { logprob, read: covered };
    }
    // A deeper reading is more specific than a shallower one, so it replaces it.
    if (here) found = here;
    consumed = position === 0 ? normalize(entry.token) : consumed + entry.token;
    along += entry.logprob;
    if (consumed.length >= target.length || !target.startsWith(consumed)) break;
  }
  return found;
}

/**
 * The part of `target` that `text` covers when `text` is a prefix of it, or the whole of it when
 * `text` goes on past its end at a word boundary ("No." covers "No", "Nobody" does not).
 */
function matches(text: string, target: string): string | undefined {
  if (target.startsWith(text)) return text;
  if (text.startsWith(target) && !/^[\p{L}\p{N}_]/u.test(text.slice(target.length))) return target;
  return undefined;
}
