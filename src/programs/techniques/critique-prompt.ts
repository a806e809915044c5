import { generateObject } from "../../generate/generate-object.js";
import type { JSONSchema } from "../../spec/json-schema.js";
import type { LanguageModel } from "../../spec/language-model.js";
import { type CheckPromptOptions, checkPrompt, type PromptCheck } from "./check-prompt.js";
import type { TechniqueSettings } from "./sample.js";
import { buildTaskPrompt, type TaskSpec } from "./task-prompt.js";
import { createUsageTotals, type TechniqueUsage } from "./usage.js";

export interface PromptCritique {
  /** Problems the model found, each with a concrete fix. */
  problems: Array<{ problem: string; fix: string }>;
  /** Questions a contractor would ask before starting. */
  questions: string[];
  /** The prompt rewritten with the fixes, placeholders in [brackets] where facts are missing. */
  rewrite: string;
}

export interface CritiquePromptOptions extends Omit<TechniqueSettings, "responseFormat"> {
  model: LanguageModel;
  prompt: string | TaskSpec;
  /** Options for the deterministic checklist run first and shown to the model. */
  check?: CheckPromptOptions;
  /** Repairs of invalid JSON output (default 2). */
  maxRepairs?: number;
}

export interface CritiquePromptResult extends PromptCritique, TechniqueUsage {
  /** The deterministic checklist the critique started from. */
  checklist: PromptCheck;
  model: string;
}

const SCHEMA: JSONSchema = {
  type: "object",
  properties: {
    problems: {
      type: "array",
      items: {
        type: "object",
        properties: { problem: { type: "string" }, fix: { type: "string" } },
        required: ["problem", "fix"],
        additionalProperties: false,
      },
    },
    questions: { type: "array", items: { type: "string" } },
    rewrite: { type: "string" },
  },
  required: ["problems", "questions", "rewrite"],
  additionalProperties: false,
};

const SYSTEM =
  "You review prompts written for language models. Read the prompt as a skilled contractor who cannot email " +
  "the author back: everything needed to do excellent work must be on the page. Name what is missing or " +
  "ambiguous (audience, purpose, context, output format, length, examples, success criteria, undefined " +
  "references), say how to fix each, list the questions you would ask, and rewrite the prompt with the fixes, " +
  "using [brackets] for facts only the author knows.";

/**
 * Asks a model to critique a prompt, starting from checkPrompt's findings: problems with fixes,
 * the questions a contractor would ask, and a rewrite.
 *
 * @example
 * const { problems, questions, rewrite, checklist } = await critiquePrompt({
 *   model,
 *   prompt: "Write a summary of the meeting for the team.",
 * });
 */
export async function critiquePrompt(options: CritiquePromptOptions): Promise<CritiquePromptResult> {
  const { model, prompt, check, maxRepairs, ...settings } = options;
  const text = typeof prompt === "string" ? prompt : buildTaskPrompt(prompt);
  const checklist = checkPrompt(prompt, check);
  const findings = checklist.issues.length
    ? checklist.issues.map((i) => `- ${i.code}: ${i.message}`).join("\n")
    : "- none";
  const totals = createUsageTotals();
  const result = await generateObject<PromptCritique>({
    ...settings,
    model,
    system: SYSTEM,
    prompt: `<prompt>\n${text}\n</prompt>\n\nAn automatic checklist flagged:\n${findings}\n\nConfirm or dismiss these and add what it missed.`,
    schema: SCHEMA,
    schemaName: "prompt_critique",
    maxRepairs,
  });
  // generateObject may make several calls (repairs); count them all.
  totals.add(result);
  const total = totals.total();
  return { ...result.object, checklist, ...total, calls: result.attempts, model: result.model };
}
