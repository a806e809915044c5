/**
 * Tools: typed objects a model can call. The input schema is zod; what the model sees is its JSON
 * Schema. Tools that change the world (`sideEffect: true`) need approval before they run.
 */
import { z } from "zod";
import type { JSONSchema } from "../spec/json-schema.js";
import type { ToolDefinition } from "../spec/language-model.js";

export interface ToolContext {
  toolCallId: string;
  /** Aborted when the agent's time limit passes or the caller aborts. */
  abortSignal: AbortSignal;
}

export interface Tool<Input = unknown, Output = unknown> {
  /** `^[a-zA-Z0-9_-]{1,64}$`, the common subset all providers accept. */
  name: string;
  description: string;
  /** Validates the model's arguments before `execute` sees them. */
  inputSchema: z.ZodType<Input>;
  /**
   * What the model is shown. Defaults to `z.toJSONSchema(inputSchema)`; tools built from foreign
   * schemas (MCP, OpenAPI) pass the original here so nothing is lost in translation.
   */
  jsonSchema?: JSONSchema;
  /** Writes, sends, buys, deletes: the agent asks for approval first. */
  sideEffect: boolean;
  /** Returns any JSON-serialisable value; throwing reports the error message to the model. */
  execute(input: Input, context: ToolContext): Promise<Output>;
}

/** Any tool, whatever its input and output types. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of tools needs an erased input type
export type AnyTool = Tool<any, unknown>;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Defines a tool with its input type inferred from the zod schema. */
export function tool<S extends z.ZodType, Output>(definition: {
  name: string;
  description: string;
  inputSchema: S;
  jsonSchema?: JSONSchema;
  sideEffect?: boolean;
  execute(input: z.output<S>, context: ToolContext): Promise<Output> | Output;
}): Tool<z.output<S>, Output> {
  if (!TOOL_NAME.test(definition.name)) {
    throw new TypeError(
      `Tool name '${definition.name}' is not allowed: use 1-64 letters, digits, '_' or '-' (providers reject other names).`,
    );
  }
  return {
    name: definition.name,
    description: definition.description,
    inputSchema: definition.inputSchema as unknown as z.ZodType<z.output<S>>,
    jsonSchema: definition.jsonSchema,
    sideEffect: definition.sideEffect ?? false,
    execute: async (input, context) => definition.execute(input, context),
  };
}

/** The definition sent to the model. */
export function toolDefinition(t: AnyTool): ToolDefinition {
  return {
    name: t.name,
    description: t.description,
    inputSchema: t.jsonSchema ?? (z.toJSONSchema(t.inputSchema, { io: "input", unrepresentable: "any" }) as JSONSchema),
  };
}
