import type { ToolDefinition } from "../../spec/language-model.js";
import { type AnyTool, toolDefinition } from "../tool.js";

interface Cached {
  name: string;
  description: string;
  inputSchema: AnyTool["inputSchema"];
  jsonSchema: AnyTool["jsonSchema"];
  definition: ToolDefinition;
}

// Converting a zod schema to JSON Schema costs tens of microseconds, more than the rest of a loop
// step; a tool's definition is reused until one of the fields it is made from changes.
const cache = new WeakMap<AnyTool, Cached>();

/** The definition sent to the model for `tool`, converted once per tool object. */
export function definitionOf(tool: AnyTool): ToolDefinition {
  const hit = cache.get(tool);
  if (
    hit &&
    hit.name === tool.name &&
    hit.description === tool.description &&
    hit.inputSchema === tool.inputSchema &&
    hit.jsonSchema === tool.jsonSchema
  ) {
    return hit.definition;
  }
  const definition = toolDefinition(tool);
  const { name, description, inputSchema, jsonSchema } = tool;
  cache.set(tool, { name, description, inputSchema, jsonSchema, definition });
  return definition;
}
