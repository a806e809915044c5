import { buildTaskPrompt, type TaskSpec } from "./task-prompt.js";

export type PromptIssueCode =
  | "no-role"
  | "no-goal"
  | "no-audience"
  | "no-context"
  | "no-constraints"
  | "no-output-format"
  | "no-length"
  | "no-examples"
  | "no-success-criteria"
  | "ambiguous-reference"
  | "vague-wording"
  | "too-short";

export interface PromptIssue {
  code: PromptIssueCode;
  /** `missing`: something a contractor would have to ask for; `unclear`: something they would misread. */
  severity: "missing" | "unclear";
  message: string;
  /** The question a contractor would email back, if they could. */
  question: string;
  /** The words that triggered an `unclear` issue. */
  excerpts?: string[];
}

export interface PromptCheck {
  /** True when no issue was found. */
  ok: boolean;
  /** In a fixed order (the order of PromptIssueCode). */
  issues: PromptIssue[];
  /** Checks that passed. */
  passed: PromptIssueCode[];
  /** passed / checks run, in [0, 1]. */
  score: number;
}

export interface CheckPromptOptions {
  /** Checks to skip (e.g. `no-examples` for a task that needs none). */
  ignore?: PromptIssueCode[];
  /** Fewer words than this is `too-short` (default 20; strings only). */
  minWords?: number;
}

interface Presence {
  code: PromptIssueCode;
  field?: (spec: TaskSpec) => boolean;
  pattern?: RegExp;
  message: string;
  question: string;
}

const has = (v: string | string[] | unknown[] | undefined) =>
  Array.isArray(v) ? v.length > 0 : typeof v === "string" && v.trim() !== "";

const COUNT =
  "(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|single)\\s*-?\\s*(?:words?|sentences?|paragraphs?|lines?|characters?|chars|tokens?|pages?|bullets?|bullet points?|items?|points|slides?|steps)";

// Keyword heuristics: cheap, explainable and deterministic. They catch a missing section in most
// prompts; a model critique (critiquePrompt) judges the content.
const PRESENCE: Presence[] = [
  {
    code: "no-role",
    field: (s) => has(s.role),
    pattern:
      /\b(?:you are|you're|act as|acting as|your role|role:|persona|as an? (?:expert|experienced|senior|professional))\b/i,
    message: "No role or persona: the model does not know whose expertise and point of view to bring.",
    question: "Who should I be while doing this: what expertise and point of view?",
  },
  {
    code: "no-goal",
    field: (s) => has(s.goal),
    message: "No goal: the task itself is missing.",
    question: "What exactly should I produce?",
  },
  {
    code: "no-audience",
    field: (s) => has(s.audience),
    pattern:
      /\b(?:audience|readers?|written for|aimed at|intended for|who will (?:read|use)|for (?:a |an |the |our )?(?:non-?technical|technical|beginners?|experts?|general|executives?|customers?|clients?|students?|children|kids|developers?|engineers?|managers?|users?|team|board|patients?|lawyers?)|customers|stakeholders|beginners|executives|end users)\b/i,
    message: "No audience: the model cannot pitch vocabulary, depth and tone.",
    question: "Who will read or use the result?",
  },
  {
    code: "no-context",
    field: (s) => has(s.context),
    pattern:
      /\b(?:context|background|situation|we are|we're|our (?:company|team|product|users|customers|goal|business|app|service|project)|currently|so that|in order to|the purpose|the goal|will be used|because)\b/i,
    message: "No context: nothing says what the situation is or why the task matters.",
    question: "What is the situation, and what will the result be used for?",
  },
  {
    code: "no-constraints",
    field: (s) => has(s.constraints),
    pattern:
      /\b(?:do not|don't|never|avoid|must not|mustn't|should not|shouldn't|only|without|except|no more than|at most|refrain|must|required?)\b/i,
    message: "No constraints: nothing says what to avoid or what limits apply.",
    question: "Is there anything I must do, must not do, or stay within?",
  },
  {
    code: "no-output-format",
    field: (s) => has(s.outputFormat),
    pattern:
      /\b(?:format(?:ted)?|json|yaml|csv|xml|markdown|table|bullet(?:s| points?| list)?|numbered list|list of|headings?|sections?|paragraphs?|code block|respond with|reply with|return (?:only|a|an|the)|output (?:only|a|an|the|should|must)|template|schema|one line)\b/i,
    message: "No output format: the model has to guess the shape of the result.",
    question: "What should the result look like: prose, a list, a table, JSON?",
  },
  {
    code: "no-length",
    field: (s) => has(s.length),
    pattern: new RegExp(
      `\\b(?:${COUNT}|brief(?:ly)?|concise(?:ly)?|short|succinct|at most|no more than|under \\d+|up to \\d+|maximum|one-liner|tl;?dr|in detail|detailed|comprehensive|exhaustive)\\b`,
      "i",
    ),
    message: "No length: the model picks one, often too long.",
    question: "How long should it be?",
  },
  {
    code: "no-examples",
    field: (s) => has(s.examples),
    pattern:
      /(?:\bfor example\b|\be\.g\.|\bfor instance\b|\bexamples?\b|\bsample (?:output|answer|input)\b|<example>|^\s*(?:input|output):)/im,
    message: "No examples: showing one good result is the fastest way to say what you want.",
    question: "Can you show me an example of a good result?",
  },
  {
    code: "no-success-criteria",
    field: (s) => has(s.successCriteria),
    pattern:
      /\b(?:success|criteria|criterion|done when|a good (?:answer|response|result|output|summary)|acceptance|will be (?:judged|evaluated|graded|measured|scored)|checklist|requirements?|must (?:include|cover|contain|mention|answer|explain)|should (?:include|cover|contain|mention|answer|explain)|make sure)\b/i,
    message: "No success criteria: nothing says how a good result will be judged.",
    question: "How will you judge whether the result is good?",
  },
];

// References to things the reader was never given: earlier conversations, attachments, "the usual".
const SHARED_CONTEXT =
  /\b(?:as (?:discussed|mentioned|agreed|before|usual|we (?:said|discussed|talked about))|like (?:last time|before)|the usual|same as (?:before|last time)|you know (?:what|the)|the attached|see attached|the thing|that thing|the stuff|the one (?:we|i|you))\b/gi;
// A prompt that opens on a pronoun, or is one short order whose object is a bare pronoun ("Fix it.").
const OPENING_PRONOUN =
  /^\s*(?:(?:it|they|them|he|she|his|her|its|their)\b|(?:this|that|these|those)\s+(?:is|was|are|were|should|needs?|has|have|must|will|can|does|doesn't|isn't)\b)/i;
const BARE_OBJECT =
  /^\s*(?:please\s+)?[a-z]+\s+(?:it|this|that|them|these|those)(?:\s+(?:better|again|up|shorter|longer|more \w+|less \w+))?\s*[.!?]?\s*$/i;
const VAGUE =
  /\b(?:stuff|things|nice|properly|appropriate(?:ly)?|as needed|whatever|somehow|kind of|sort of|and so on|better|improve)\b|\betc\b\.?/gi;

function ambiguity(text: string): string[] {
  const found = [...text.matchAll(SHARED_CONTEXT)].map((m) => m[0]);
  const lines = text.trim().split("\n");
  const firstSentence = (lines[0] ?? "").match(/^.*?(?:[.!?](?=\s|$)|$)/)?.[0].slice(0, 80) ?? "";
  if (OPENING_PRONOUN.test(text) || (lines.length === 1 && BARE_OBJECT.test(lines[0] ?? ""))) {
    found.unshift(firstSentence);
  }
  return [...new Set(found)];
}

/**
 * Checks a prompt (text or TaskSpec) against the questions a contractor who cannot email you back
 * would ask: who is it for, what shape, how long, what does "it" refer to, what does good look like.
 * Keyword heuristics, pure and deterministic; for a judgement of the content use critiquePrompt.
 *
 * @example
 * const { ok, issues } = checkPrompt("Summarise it.");
 * issues.map((i) => i.code); // ["no-role", "no-audience", ..., "ambiguous-reference", "too-short"]
 */
export function checkPrompt(prompt: string | TaskSpec, options: CheckPromptOptions = {}): PromptCheck {
  const ignore = new Set(options.ignore ?? []);
  const spec = typeof prompt === "string" ? undefined : prompt;
  const text = typeof prompt === "string" ? prompt : buildTaskPrompt(prompt);
  const issues: PromptIssue[] = [];
  const passed: PromptIssueCode[] = [];
  const record = (code: PromptIssueCode, issue: Omit<PromptIssue, "code"> | undefined) => {
    if (ignore.has(code)) return;
    if (issue) issues.push({ code, ...issue });
    else passed.push(code);
  };

  for (const check of PRESENCE) {
    // The goal of a plain-text prompt is the text itself; only an empty one lacks it.
    const present = spec
      ? (check.field?.(spec) ?? false) || (check.pattern?.test(text) ?? false)
      : check.pattern
        ? check.pattern.test(text)
        : text.trim() !== "";
    record(check.code, present ? undefined : { severity: "missing", message: check.message, question: check.question });
  }

  // In a TaskSpec the headings come first, so only the free-text fields can open on a pronoun.
  const free = spec ? [spec.goal, ...[spec.context ?? []].flat()].join("\n") : text;
  const references = ambiguity(free);
  record(
    "ambiguous-reference",
    references.length
      ? {
          severity: "unclear",
          message: `Refers to things the reader was never given: ${references.map((r) => `"${r}"`).join(", ")}.`,
          question: `What exactly is meant by ${references.map((r) => `"${r}"`).join(", ")}?`,
          excerpts: references,
        }
      : undefined,
  );

  const vague = [...new Set([...text.matchAll(VAGUE)].map((m) => m[0].toLowerCase()))];
  record(
    "vague-wording",
    vague.length
      ? {
          severity: "unclear",
          message: `Vague words that each reader fills in differently: ${vague.map((v) => `"${v}"`).join(", ")}.`,
          question: `What exactly do you mean by ${vague.map((v) => `"${v}"`).join(", ")}?`,
          excerpts: vague,
        }
      : undefined,
  );

  if (!spec) {
    const words = text.trim() === "" ? 0 : text.trim().split(/\s+/).length;
    const minWords = options.minWords ?? 20;
    record(
      "too-short",
      words < minWords
        ? {
            severity: "missing",
            message: `Only ${words} word(s): too little for someone who cannot ask follow-up questions.`,
            question: "Can you tell me more about what you need?",
          }
        : undefined,
    );
  }

  const order = [...PRESENCE.map((p) => p.code), "ambiguous-reference", "vague-wording", "too-short"];
  issues.sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
  const total = issues.length + passed.length;
  return { ok: issues.length === 0, issues, passed, score: total ? passed.length / total : 1 };
}
