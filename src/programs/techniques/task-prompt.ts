/** One worked example: what the model gets and what a good result looks like. */
export interface TaskExample {
  input?: string;
  output: string;
  /** Why this output is good (optional). */
  note?: string;
}

/**
 * Everything a contractor who cannot email you back would need. Only `goal` is required; every
 * other field left out is a question the model has to guess the answer to (see checkPrompt).
 */
export interface TaskSpec {
  /** Who the model should be: "a senior tax accountant who explains rules in plain words". */
  role?: string;
  /** What to produce. */
  goal: string;
  /** Who will read or use the result. */
  audience?: string;
  /** The situation, background facts and why the task matters. */
  context?: string | string[];
  /** What to do or avoid, limits to stay within. */
  constraints?: string[];
  /** The shape of the result: prose, bullet list, table, JSON with these keys... */
  outputFormat?: string;
  /** "At most 150 words", "three bullet points". */
  length?: string;
  tone?: string;
  examples?: Array<TaskExample | string>;
  /** How a good result will be judged. */
  successCriteria?: string[];
}

export interface BuildTaskPromptOptions {
  /** `markdown` headings (default) or `xml` tags, which some models follow more reliably. */
  style?: "markdown" | "xml";
}

function persona(role: string): string {
  const text = role.trim().replace(/[.!]+$/, "");
  return /^you\s+are\b/i.test(text) ? `${text}.` : `You are ${text}.`;
}

function exampleText(example: TaskExample | string, style: "markdown" | "xml"): string {
  if (typeof example === "string") return example.trim();
  const parts: Array<[string, string | undefined]> = [
    ["input", example.input],
    ["output", example.output],
    ["note", example.note],
  ];
  return parts
    .filter((p): p is [string, string] => p[1] !== undefined && p[1].trim() !== "")
    .map(([name, text]) =>
      style === "xml"
        ? `<${name}>\n${text.trim()}\n</${name}>`
        : `${name[0]?.toUpperCase()}${name.slice(1)}:\n${text.trim()}`,
    )
    .join("\n");
}

const bullets = (items: string[]) => items.map((i) => `- ${i.trim()}`).join("\n");

/**
 * Builds a detailed system prompt from a task description: persona first, then goal, audience,
 * context, constraints, output format and length, examples and success criteria. Pure and
 * deterministic; empty fields are left out.
 *
 * @example
 * const system = buildTaskPrompt({
 *   role: "an experienced site-reliability engineer",
 *   goal: "Write the incident summary for the outage described below.",
 *   audience: "Customers without technical background",
 *   outputFormat: "Three short paragraphs: what happened, impact, what we changed.",
 *   length: "At most 150 words.",
 *   successCriteria: ["A customer knows whether they must act."],
 * });
 */
export function buildTaskPrompt(spec: TaskSpec, options: BuildTaskPromptOptions = {}): string {
  const style = options.style ?? "markdown";
  const context = Array.isArray(spec.context) ? spec.context.join("\n\n") : spec.context;
  const format = [spec.outputFormat?.trim(), spec.length?.trim() && `Length: ${spec.length.trim()}`]
    .filter(Boolean)
    .join("\n");
  const examples = (spec.examples ?? []).map((e, i) =>
    style === "xml"
      ? `<example index="${i + 1}">\n${exampleText(e, style)}\n</example>`
      : `### Example ${i + 1}\n${exampleText(e, style)}`,
  );
  const sections: Array<[string, string, string | undefined]> = [
    ["Goal", "goal", spec.goal],
    ["Audience", "audience", spec.audience],
    ["Context", "context", context],
    ["Constraints", "constraints", spec.constraints?.length ? bullets(spec.constraints) : undefined],
    ["Tone", "tone", spec.tone],
    ["Output format", "output_format", format || undefined],
    ["Examples", "examples", examples.length ? examples.join("\n\n") : undefined],
    ["Success criteria", "success_criteria", spec.successCriteria?.length ? bullets(spec.successCriteria) : undefined],
  ];
  const body = sections
    .filter((s): s is [string, string, string] => s[2] !== undefined && s[2].trim() !== "")
    .map(([heading, tag, text]) =>
      style === "xml" ? `<${tag}>\n${text.trim()}\n</${tag}>` : `## ${heading}\n${text.trim()}`,
    );
  return [spec.role?.trim() ? persona(spec.role) : undefined, ...body].filter(Boolean).join("\n\n");
}
