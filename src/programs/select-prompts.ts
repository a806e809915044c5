import type { Message } from "../spec/language-model.js";

/**
 * The conversation a chat model gets when it must pick an option by replying: the context plus
 * one user turn listing the options. A raw prefix becomes the text to continue.
 *
 * @example
 * selectionMessages({ rawPrompt: "The sky is", options: [" blue", " green"] });
 * // [{ role: "user", content: "The sky is\n\nContinue the text above with exactly one of these options ..." }]
 */
export function selectionMessages(input: { messages?: Message[]; rawPrompt?: string; options: string[] }): Message[] {
  const list = input.options.map((option) => `- ${option.trim()}`).join("\n");
  const only = "Reply with only that option, written exactly as shown, and nothing else.";
  if (input.rawPrompt !== undefined) {
    return [
      ...(input.messages?.filter((m) => m.role === "system") ?? []),
      {
        role: "user",
        content: `${input.rawPrompt}\n\nContinue the text above with exactly one of these options:\n${list}\n${only}`,
      },
    ];
  }
  const messages = input.messages ?? [];
  const lead =
    messages.at(-1)?.role === "assistant"
      ? "Continue your last message with exactly one of these options:"
      : "Answer with exactly one of these options:";
  return [...messages, { role: "user", content: `${lead}\n${list}\n${only}` }];
}

/**
 * Maps a free-text reply to the option it names: an exact match, then a match ignoring case,
 * surrounding space, quotes and punctuation, then the option named earliest in the reply (the
 * longest when several start there), then the option with the smallest edit distance.
 *
 * @example
 * nearestOption('"no."', [" Yes", " No"]); // 1
 */
export function nearestOption(reply: string, options: string[]): number {
  const exact = options.indexOf(reply);
  if (exact >= 0) return exact;
  const clean = (text: string) =>
    text
      .trim()
      .replace(/^[\s"'`*_([{]+|[\s"'`*_.,;:!?)\]}]+$/g, "")
      .toLowerCase();
  const wanted = clean(reply);
  const cleaned = options.map(clean);
  const same = cleaned.indexOf(wanted);
  if (same >= 0) return same;
  let named = -1;
  let namedAt = Number.POSITIVE_INFINITY;
  cleaned.forEach((option, index) => {
    if (option === "") return;
    const at = wordIndex(wanted, option);
    const current = cleaned[named] ?? "";
    if (at >= 0 && (at < namedAt || (at === namedAt && option.length > current.length))) {
      named = index;
      namedAt = at;
    }
  });
  if (named >= 0) return named;
  let nearest = 0;
  let distance = Number.POSITIVE_INFINITY;
  cleaned.forEach((option, index) => {
    const d = editDistance(wanted, option);
    if (d < distance) {
      nearest = index;
      distance = d;
    }
  });
  return nearest;
}

/** Index of `word` in `text` where it is not part of a longer word, or -1. */
function wordIndex(text: string, word: string): number {
  const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) return at;
  }
  return -1;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
