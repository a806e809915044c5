/**
 * Default prompts and reply parsers of treeOfThought, after the BFS prompts of Yao et al. 2023.
 * Every one can be replaced through the `prompts` option.
 */

/** What a thought-generation prompt sees. */
export interface ThoughtContext {
  problem: string;
  /** Thoughts on the path so far, root first. */
  thoughts: readonly string[];
  /** The step being generated, 1-based. */
  step: number;
  /** Total steps (T). */
  depth: number;
  /** Thoughts wanted per state (k). */
  count: number;
}

export interface TreeOfThoughtPrompts {
  /** `sample` generation: asks for one next thought (sampled k times). */
  sample(context: ThoughtContext): string;
  /** `propose` generation: asks for k different next thoughts in one reply, one per line. */
  propose(context: ThoughtContext): string;
  /** `value` evaluation: asks to rate a state with one of `labels` on the reply's last line. */
  value(context: { problem: string; thoughts: readonly string[]; labels: readonly string[] }): string;
  /** `vote` evaluation: asks which of the numbered candidate states is most promising. */
  vote(context: { problem: string; candidates: ReadonlyArray<readonly string[]> }): string;
  /** Splits a `propose` reply into thoughts. */
  parseProposals(text: string, count: number): string[];
  /** The label a `value` reply ends with; undefined when it has none. */
  parseValue(text: string, labels: readonly string[]): string | undefined;
  /** The 1-based candidate a `vote` reply chose; undefined when it chose none. */
  parseVote(text: string, candidates: number): number | undefined;
}

function stepsSoFar(thoughts: readonly string[]): string {
  return thoughts.length ? thoughts.map((t, i) => `${i + 1}. ${t}`).join("\n") : "(none yet)";
}

function lastStepNote({ step, depth }: ThoughtContext): string {
  return step === depth ? " This is the last step: state the final answer." : "";
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const defaultTreeOfThoughtPrompts: TreeOfThoughtPrompts = {
  sample: (c) =>
    `Solve the problem one step at a time.\n\nProblem:\n${c.problem}\n\nSteps so far:\n${stepsSoFar(c.thoughts)}\n\n` +
    `Write only step ${c.step} of at most ${c.depth}, in one or two sentences.${lastStepNote(c)}`,
  propose: (c) =>
    `Solve the problem one step at a time.\n\nProblem:\n${c.problem}\n\nSteps so far:\n${stepsSoFar(c.thoughts)}\n\n` +
    `Propose ${c.count} different possible next steps (step ${c.step} of at most ${c.depth}), one per line, ` +
    `with no numbering and no other text.${lastStepNote(c)}`,
  value: (c) =>
    `Evaluate whether the partial solution below can still lead to a correct answer.\n\nProblem:\n${c.problem}\n\n` +
    `Steps so far:\n${stepsSoFar(c.thoughts)}\n\n` +
    `Reason briefly, then answer on the last line with exactly one word: ${c.labels.join(", ")}.`,
  vote: (c) =>
    `Given a problem and several candidate partial solutions, decide which choice is most promising. ` +
    `Analyze each choice in detail, then conclude with a last line "The best choice is N", where N is the number of the choice.\n\n` +
    `Problem:\n${c.problem}\n\n${c.candidates.map((t, i) => `Choice ${i + 1}:\n${stepsSoFar(t)}`).join("\n\n")}`,
  parseProposals: (text, count) =>
    text
      .split("\n")
      // A bullet or number needs a space after it: "-6 * 4" and "1.5 + 2" are thoughts, not list markers.
      .map((line) => line.replace(/^\s*(?:[-*•]\s+|\d+[.)]\s+|step\s*\d+\s*[.):-]?\s*)/i, "").trim())
      .filter(Boolean)
      .slice(0, count),
  parseValue(text, labels) {
    const pattern = new RegExp(`\\b(${labels.map(escapeRegExp).join("|")})\\b`, "gi");
    for (const line of text.split("\n").reverse()) {
      const found = [...line.matchAll(pattern)].at(-1)?.[1];
      if (found) return labels.find((l) => l.toLowerCase() === found.toLowerCase());
    }
    return undefined;
  },
  parseVote(text, candidates) {
    const found = [...text.matchAll(/best choice is\s*(?:choice\s*)?#?(\d+)/gi)].at(-1)?.[1];
    const choice = found === undefined ? Number.NaN : Number(found);
    return Number.isInteger(choice) && choice >= 1 && choice <= candidates ? choice : undefined;
  },
};
