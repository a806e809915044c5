import { ObjectValidationError } from "../spec/errors.js";
import type { JSONSchema } from "../spec/json-schema.js";
import type { LanguageModel, Message, ResponseFormat, Usage } from "../spec/language-model.js";
import type { CallSettings, RunOptions } from "./call-settings.js";
import { generateText } from "./generate-text.js";
import { type PromptInput, toMessages } from "./prompt.js";
import { extractJson, type SchemaIssue, toObjectSchema } from "./schema.js";
import { addUsage } from "./usage.js";

/** How the schema is enforced. `auto` picks the strongest the model declares. */
export type ObjectMode = "auto" | "native" | "grammar" | "prompt";

export interface GenerateObjectOptions
  extends Omit<PromptInput, "rawPrompt">,
    Omit<CallSettings, "responseFormat">,
    RunOptions {
  model: LanguageModel;
  /** A zod schema (or other Standard Schema with `jsonSchema`) or a plain JSON Schema. */
  schema: unknown;
  /** JSON Schema for Standard Schemas weft cannot convert itself. */
  jsonSchema?: JSONSchema;
  schemaName?: string;
  schemaDescription?: string;
  mode?: ObjectMode;
  /** How many times a failing output is sent back with its validation errors (default 2). */
  maxRepairs?: number;
}

export interface GenerateObjectResult<T> {
  object: T;
  /** The raw text the object was parsed from. */
  text: string;
  /** How the schema was enforced. */
  method: Exclude<ObjectMode, "auto">;
  /** Model calls made (1 + repairs). */
  attempts: number;
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
  model: string;
}

function chooseMode(model: LanguageModel, mode: ObjectMode): Exclude<ObjectMode, "auto"> {
  if (mode !== "auto") return mode;
  if (model.capabilities.grammar && model.capabilities.jsonSchema) return "grammar";
  if (model.capabilities.jsonSchema) return "native";
  return "prompt";
}

function describeIssues(issues: SchemaIssue[]): string {
  return issues.map((i) => `- ${i.path || "(root)"}: ${i.message}`).join("\n");
}

/**
 * Generates a value that matches a schema: native structured output where the provider has it,
 * grammar-constrained decoding on local models, otherwise instructions plus validation, with the
 * validation errors fed back to the model for a bounded number of repairs.
 *
 * @example
 * const { object } = await generateObject({
 *   model,
 *   schema: z.object({ city: z.string(), population: z.number() }),
 *   prompt: "The largest city in Japan?",
 * });
 */
export async function generateObject<T = unknown>(options: GenerateObjectOptions): Promise<GenerateObjectResult<T>> {
  const { schema, jsonSchema, schemaName, schemaDescription, mode = "auto", maxRepairs = 2, ...rest } = options;
  const objectSchema = await toObjectSchema<T>(schema, jsonSchema);
  const method = chooseMode(options.model, mode);
  const schemaText = JSON.stringify(objectSchema.jsonSchema);
  const instruction = `Respond with only a JSON value that matches this JSON Schema, with no other text:\n${schemaText}`;
  const base = toMessages({ prompt: rest.prompt, system: rest.system, messages: rest.messages });
  const conversation: Message[] =
    method === "prompt" || method === "native" ? [{ role: "system", content: instruction }, ...base] : base;
  const responseFormat: ResponseFormat =
    method === "prompt"
      ? { type: "json" }
      : {
          type: "json",
          schema: objectSchema.jsonSchema,
          name: schemaName ?? "response",
          description: schemaDescription,
        };
  // Models without any JSON mode still get the instruction; a json format they ignore is harmless.
  const useFormat = method !== "prompt" || options.model.capabilities.jsonSchema || options.model.capabilities.grammar;

  let usage: Usage = {};
  let costUsd: number | null = 0;
  let lastText = "";
  let lastIssues: SchemaIssue[] = [];
  const started = performance.now();
  for (let attempt = 1; attempt <= maxRepairs + 1; attempt++) {
    const { prompt: _p, system: _s, messages: _m, ...settings } = rest;
    const result = await generateText({
      ...settings,
      messages: conversation,
      responseFormat: useFormat ? responseFormat : undefined,
    });
    usage = addUsage(usage, result.usage);
    costUsd = costUsd === null || result.costUsd === null ? null : costUsd + result.costUsd;
    lastText = result.text;
    const parsed = extractJson(result.text);
    if (parsed.success) {
      const validated = await objectSchema.validate(parsed.value);
      if (validated.success) {
        return {
          object: validated.data,
          text: result.text,
          method,
          attempts: attempt,
          usage,
          costUsd,
          latencyMs: performance.now() - started,
          model: result.model,
        };
      }
      lastIssues = validated.issues;
    } else {
      lastIssues = [{ path: "", message: parsed.message }];
    }
    conversation.push(
      { role: "assistant", content: result.text },
      {
        role: "user",
        content: `That output is invalid:\n${describeIssues(lastIssues)}\nReply again with only the corrected JSON.`,
      },
    );
  }
  throw new ObjectValidationError({ text: lastText, issues: lastIssues, attempts: maxRepairs + 1 });
}
