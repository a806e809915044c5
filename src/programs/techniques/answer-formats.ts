/**
 * Answer formats: what a reasoning prompt asks the model to end with, how the final answer is found
 * in the reply, and how answers are normalised so that equal answers compare equal when voting.
 */

/** Where a format found the answer: the answer as written, and where its statement starts. */
export interface AnswerMatch {
  raw: string;
  /** Offset of the answer statement in the text; the reasoning is everything before it. */
  index: number;
}

export interface AnswerFormat {
  readonly name: string;
  /** Appended to the prompt: how the model should state its final answer. */
  readonly instruction: string;
  /** Finds the final answer in a reply; undefined when there is none. */
  extract(text: string): AnswerMatch | undefined;
  /** Canonical form for comparison and voting; undefined when the raw answer is not a valid answer. */
  normalize(raw: string): string | undefined;
}

/** An extracted, normalised answer. */
export interface ExtractedAnswer {
  /** Normalised answer (`"1000"` for `"1,000.0"`). */
  answer: string;
  /** The answer as the model wrote it. */
  raw: string;
  index: number;
}

const NUMBER = /[-+]?[$€£]?\s?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+/g;

function lastMatch(pattern: RegExp, text: string): RegExpExecArray | undefined {
  const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  let last: RegExpExecArray | undefined;
  for (const m of text.matchAll(global)) last = m as RegExpExecArray;
  return last;
}

/** Start of the sentence holding `index`, so that "So the answer is 4." leaves no dangling "So". */
function sentenceStart(text: string, index: number): number {
  let i = index;
  while (i > 0) {
    const c = text[i - 1];
    if (c === "\n" || ((c === "." || c === "!" || c === "?") && /\s/.test(text[i] ?? ""))) break;
    i--;
  }
  while (i < index && /\s/.test(text[i] ?? "")) i++;
  return i;
}

/**
 * Canonical form of a number: currency signs, spaces and commas (read as thousands separators, as in
 * GSM8K) removed, then printed the way JavaScript prints numbers.
 *
 * @example
 * normalizeNumber("$1,000.0"); // "1000"
 * normalizeNumber("about -3.50 apples"); // "-3.5"
 */
export function normalizeNumber(raw: string): string | undefined {
  const cleaned = raw.replace(/[,$€£\s]/g, "");
  const m = cleaned.match(/[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?/i);
  if (!m) return undefined;
  const value = Number(m[0]);
  if (!Number.isFinite(value)) return undefined;
  return String(value === 0 ? 0 : value);
}

/**
 * Canonical form of a free-text answer: markdown emphasis, quotes and final punctuation stripped,
 * whitespace collapsed, lower case.
 *
 * @example
 * normalizeText('**"Paris."**'); // "paris"
 */
export function normalizeText(raw: string): string | undefined {
  const text = raw
    .trim()
    .replace(/^[*_"'`«“‘\s]+|[*_"'`»”’\s]+$/g, "")
    .replace(/[.!?。]+$/, "")
    .replace(/[*_"'`»”’\s]+$/g, "")
    .replace(/\s+/g, " ")
    .toLowerCase();
  return text === "" ? undefined : text;
}

/**
 * A numeric answer. Looks for, in order: the last `#### N` line, the last "answer is N" / "answer: N",
 * then the last number anywhere in the reply.
 *
 * @example
 * extractAnswer("3 + 4 = 7. The answer is 7.", numberAnswer())?.answer; // "7"
 */
export function numberAnswer(options: { instruction?: string } = {}): AnswerFormat {
  return {
    name: "number",
    instruction: options.instruction ?? 'End with a final line of the form "The answer is <number>."',
    extract(text) {
      const hashes = lastMatch(/####[ \t]*([^\n]*)/, text);
      const afterHashes = hashes?.[1]?.match(NUMBER)?.[0];
      if (hashes && afterHashes) return { raw: afterHashes.trim(), index: hashes.index };
      const phrase = lastMatch(new RegExp(`answer\\s*(?:is|:)[^\\d\\n]{0,20}?(${NUMBER.source})`, "i"), text);
      if (phrase?.[1]) return { raw: phrase[1].trim(), index: sentenceStart(text, phrase.index) };
      const last = lastMatch(NUMBER, text);
      return last ? { raw: last[0].trim(), index: text.length } : undefined;
    },
    normalize: normalizeNumber,
  };
}

/**
 * GSM8K style: the number after the last `####` marker, and nothing else counts.
 *
 * @example
 * extractAnswer("48 / 2 = 24\n#### 1,080", gsm8kAnswer())?.answer; // "1080"
 */
export function gsm8kAnswer(): AnswerFormat {
  return {
    name: "gsm8k",
    instruction: 'End with a final line of the form "#### <number>", with only the number after the marker.',
    extract(text) {
      const m = lastMatch(/####[ \t]*([^\n]*)/, text);
      const number = m?.[1]?.match(NUMBER)?.[0];
      return m && number ? { raw: number.trim(), index: m.index } : undefined;
    },
    normalize: normalizeNumber,
  };
}

/**
 * "The answer is X": the text after the last "answer is" or "answer:" up to the end of its line.
 *
 * @example
 * extractAnswer("It is in France. The answer is Paris.", phraseAnswer())?.answer; // "paris"
 */
export function phraseAnswer(
  options: { instruction?: string; normalize?: (raw: string) => string | undefined } = {},
): AnswerFormat {
  return {
    name: "phrase",
    instruction: options.instruction ?? 'End with a final sentence of the form "The answer is <answer>."',
    extract(text) {
      // Lazy up to the sentence's end, so a later "answer is" on the same line is found too.
      const m = lastMatch(/answer\s*(?:is|:)[ \t:]*([^\n]+?)(?:[.!?](?=\s|$)|\n|$)/i, text);
      const raw = m?.[1]?.trim();
      return m && raw ? { raw, index: sentenceStart(text, m.index) } : undefined;
    },
    normalize: options.normalize ?? normalizeText,
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * One of a fixed set of choices (letters by default). Looks for "answer is (X)" / "answer: X", then
 * the last "(X)", then a last line holding only a choice. Single-letter choices match case-sensitively
 * so that the word "a" is not read as choice A.
 *
 * @example
 * extractAnswer("Only (c) fits, so the answer is (C).", choiceAnswer())?.answer; // "C"
 */
export function choiceAnswer(options: { choices?: string[]; instruction?: string } = {}): AnswerFormat {
  const choices = options.choices ?? ["A", "B", "C", "D", "E"];
  const letters = choices.every((c) => c.length === 1);
  const flags = letters ? "" : "i";
  const alternatives = choices.map(escapeRegExp).join("|");
  const patterns = [
    new RegExp(
      `[Aa][Nn][Ss][Ww][Ee][Rr]\\s*(?:[Ii][Ss]|:)[ \\t:]*(?:[Oo]ption\\s*)?\\(?\\b(${alternatives})\\b\\)?`,
      flags,
    ),
    new RegExp(`\\((${alternatives})\\)`, flags),
    new RegExp(`^[ \\t*]*\\(?(${alternatives})\\)?[ \\t.*]*$(?![\\s\\S]*\\S)`, `${flags}m`),
  ];
  const canonical = new Map(choices.map((c) => [letters ? c : c.toLowerCase(), c]));
  return {
    name: "choice",
    instruction:
      options.instruction ??
      `End with a final line of the form "The answer is (X)", where X is one of ${choices.join(", ")}.`,
    extract(text) {
      for (const pattern of patterns) {
        const m = lastMatch(pattern, text);
        if (m?.[1]) return { raw: m[1], index: sentenceStart(text, m.index) };
      }
      return undefined;
    },
    normalize(raw) {
      const key = raw.trim().replace(/^\(|\)$/g, "");
      return canonical.get(letters ? key : key.toLowerCase());
    },
  };
}

/**
 * The last match of a regular expression; `group` picks the capture holding the answer (default 1,
 * or the whole match when the pattern has no group).
 *
 * @example
 * extractAnswer("Result: 42 units", regexAnswer(/Result:\s*(\d+)/))?.answer; // "42"
 */
export function regexAnswer(
  pattern: RegExp,
  options: { group?: number; instruction?: string; normalize?: (raw: string) => string | undefined } = {},
): AnswerFormat {
  return {
    name: "regex",
    instruction: options.instruction ?? "",
    extract(text) {
      const m = lastMatch(pattern, text);
      if (!m) return undefined;
      const raw = m[options.group ?? (m.length > 1 ? 1 : 0)];
      return raw === undefined ? undefined : { raw: raw.trim(), index: m.index };
    },
    normalize: options.normalize ?? ((raw) => (raw.trim() === "" ? undefined : raw.trim())),
  };
}

/**
 * Finds and normalises the final answer in a reply.
 *
 * @example
 * extractAnswer("So 1,000 in total.\n#### 1,000", gsm8kAnswer()); // { answer: "1000", raw: "1,000", index: 19 }
 */
export function extractAnswer(text: string, format: AnswerFormat): ExtractedAnswer | undefined {
  const match = format.extract(text);
  if (!match) return undefined;
  const answer = format.normalize(match.raw);
  return answer === undefined ? undefined : { answer, raw: match.raw, index: match.index };
}
