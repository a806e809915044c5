/**
 * Tools whose input schema arrives as JSON Schema (MCP servers, function-calling datasets): the model
 * is shown the schema exactly as given, and arguments are checked with zod before the call.
 */
import { z } from "zod";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { JSONSchema } from "../../spec/json-schema.js";
import { type Tool, type ToolContext, tool } from "../tool.js";

/** How arguments are checked: zod built from the schema, ajv when zod cannot express it, or nothing. */
export type JsonSchemaValidator = "zod" | "ajv" | "none";

export interface JsonInputSchema {
  schema: z.ZodType<Record<string, unknown>>;
  validator: JsonSchemaValidator;
  /** Why zod (and maybe ajv) could not be used, when they could not. */
  note?: string;
}

type ToolInput = Record<string, unknown>;

/**
 * A zod schema for a tool's JSON Schema. `z.fromJSONSchema` covers the common keywords; for the few it
 * rejects (`not`, `if`/`then`, `dependentRequired`, external `$ref`...) the schema becomes a
 * permissive object refined by ajv (draft 2020-12), and when ajv cannot compile it either, any object
 * passes and the server's own validation is the only check.
 *
 * @example
 * const { schema } = await jsonInputSchema({ type: "object", properties: { q: { type: "string" } }, required: ["q"] });
 * schema.safeParse({}).success // false
 */
export async function jsonInputSchema(jsonSchema: JSONSchema): Promise<JsonInputSchema> {
  if (typeof jsonSchema !== "object" || jsonSchema === null || Array.isArray(jsonSchema)) {
    throw new InvalidArgumentError({
      argument: "jsonSchema",
      message: "A tool's input schema must be a JSON Schema object such as { type: 'object', properties: {...} }.",
    });
  }
  try {
    const converted = z.fromJSONSchema(jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
    return { schema: objectOnly(converted), validator: "zod" };
  } catch (zodError) {
    const zodNote = (zodError as Error).message;
    try {
      return { schema: await ajvSchema(jsonSchema), validator: "ajv", note: zodNote };
    } catch (ajvError) {
      return {
        schema: z.record(z.string(), z.unknown()),
        validator: "none",
        note: `${zodNote}; ajv: ${(ajvError as Error).message}`,
      };
    }
  }
}

/** Tool arguments are always a JSON object, whatever the schema's root says. */
function objectOnly(schema: z.ZodType): z.ZodType<ToolInput> {
  return z.record(z.string(), z.unknown()).pipe(schema as z.ZodType<ToolInput, ToolInput>);
}

async function ajvSchema(jsonSchema: JSONSchema): Promise<z.ZodType<ToolInput>> {
  const Ajv2020 = (await import("ajv/dist/2020.js")).default.default;
  // Older servers still declare draft-07; the keywords tools use mean the same in 2020-12.
  const { $schema: _ignored, ...clean } = jsonSchema;
  const check = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(clean);
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (check(value)) return;
    for (const e of check.errors ?? []) {
      const path = e.instancePath.split("/").slice(1).map(unescapePointer);
      ctx.addIssue({ code: "custom", path, message: e.message ?? e.keyword });
    }
  });
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

export interface JsonSchemaToolOptions<Output> {
  /** Must already match `^[a-zA-Z0-9_-]{1,64}$` (see sanitizeToolName). */
  name: string;
  description?: string;
  /** Shown to the model unchanged. */
  jsonSchema: JSONSchema;
  sideEffect: boolean;
  execute(input: ToolInput, context: ToolContext): Promise<Output> | Output;
}

/**
 * A weft tool from a JSON Schema: the schema is what the model sees, and a zod schema built from it
 * (see jsonInputSchema) validates arguments before `execute`.
 *
 * @example
 * const weather = await jsonSchemaTool({
 *   name: "weather",
 *   description: "Current weather for a city",
 *   jsonSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
 *   sideEffect: false,
 *   execute: async ({ city }) => ({ city, tempC: 21 }),
 * });
 */
export async function jsonSchemaTool<Output>(options: JsonSchemaToolOptions<Output>): Promise<Tool<ToolInput, Output>> {
  const { schema } = await jsonInputSchema(options.jsonSchema);
  return tool({
    name: options.name,
    description: options.description ?? "",
    inputSchema: schema,
    jsonSchema: options.jsonSchema,
    sideEffect: options.sideEffect,
    execute: options.execute,
  });
}
