import type { ChatModelFunctions, ChatWrapper, ChatWrapperGeneratedContextState } from "node-llama-cpp";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { CallOptions, ToolDefinition } from "../../spec/language-model.js";
import { unenforcedKeywords } from "./call-settings.js";
import type { NodeLlamaCppModule } from "./engine.js";
import { messageOf } from "./engine.js";

/** How a call offers tools to the model: node-llama-cpp function definitions, with no handlers. */
export interface ToolMode {
  functions: ChatModelFunctions;
  /** The model must call one of `functions` (toolChoice "required" or a named tool). */
  force: boolean;
}

function withoutSchemaKey(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null || !("$schema" in schema)) return schema;
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}

function checkNames(tools: ToolDefinition[]): void {
  const seen = new Set<string>();
  for (const tool of tools) {
    if (typeof tool.name !== "string" || tool.name.trim() === "") {
      throw new InvalidArgumentError({ argument: "tools", message: "Every tool needs a non-empty name." });
    }
    if (/\s/.test(tool.name)) {
      throw new InvalidArgumentError({
        argument: "tools",
        message: `The tool name '${tool.name}' contains whitespace, which local function calling cannot express; use letters, digits, _ or -.`,
      });
    }
    if (seen.has(tool.name)) {
      throw new InvalidArgumentError({
        argument: "tools",
        message: `Two tools are named '${tool.name}'; tool names must be unique.`,
      });
    }
    seen.add(tool.name);
  }
}

/**
 * Decides whether a call runs with function calling and which functions the model may call.
 * `undefined` means a plain completion (no tools, toolChoice "none", or a raw prompt).
 *
 * @example
 * resolveToolMode({ messages, tools: [weather], toolChoice: "required" }, warnings); // { functions: { weather: ... }, force: true }
 */
export function resolveToolMode(options: CallOptions, warnings: string[]): ToolMode | undefined {
  const tools = options.tools ?? [];
  const choice = options.toolChoice ?? "auto";
  if (tools.length === 0) {
    if (choice !== "auto" && choice !== "none") {
      throw new InvalidArgumentError({
        argument: "toolChoice",
        message: `toolChoice ${JSON.stringify(choice)} needs tools, and none were given. Pass tools or drop toolChoice.`,
      });
    }
    return undefined;
  }
  checkNames(tools);
  if (choice === "none") return undefined;
  if (options.rawPrompt !== undefined) {
    warnings.push("Tools cannot be offered with a raw prompt (it has no chat template); they were ignored.");
    return undefined;
  }
  let offered = tools;
  if (typeof choice === "object") {
    const named = tools.find((t) => t.name === choice.toolName);
    if (!named) {
      throw new InvalidArgumentError({
        argument: "toolChoice",
        message: `toolChoice names the tool '${choice.toolName}', which is not among the tools: ${tools.map((t) => t.name).join(", ")}.`,
      });
    }
    // node-llama-cpp has no "call this one" switch: offering only that tool while forcing a call is the same thing.
    offered = [named];
  } else if (choice !== "auto" && choice !== "required") {
    throw new InvalidArgumentError({
      argument: "toolChoice",
      message: `toolChoice must be "auto", "none", "required" or { type: "tool", toolName }, got ${JSON.stringify(choice)}.`,
    });
  }
  const functions: Record<string, ChatModelFunctions[string]> = {};
  for (const tool of offered) {
    functions[tool.name] = {
      ...(tool.description ? { description: tool.description } : {}),
      // node-llama-cpp would document "$schema" to the model as if it were a parameter.
      params: withoutSchemaKey(tool.inputSchema) as never,
    };
  }
  return { functions, force: choice !== "auto" };
}

/**
 * Checks each offered tool's input schema once per distinct schema: node-llama-cpp silently turns
 * what it does not understand into "any value", so an invalid schema is caught here (with ajv) and
 * keywords the grammar does not enforce are reported.
 */
export async function checkToolSchemas(
  functions: ChatModelFunctions,
  checked: Set<string>,
  warnings: string[],
): Promise<void> {
  for (const [name, fn] of Object.entries(functions)) {
    const schema = fn.params as unknown;
    const key = JSON.stringify(schema ?? null);
    if (!checked.has(key)) {
      await validateSchema(name, schema);
      checked.add(key);
    }
    const unenforced = unenforcedKeywords(schema);
    if (unenforced.length) {
      warnings.push(
        `The keywords ${unenforced.join(", ")} in tool '${name}''s input schema are not enforced by the grammar; validate the arguments.`,
      );
    }
  }
}

async function validateSchema(name: string, schema: unknown): Promise<void> {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new InvalidArgumentError({
      argument: "tools",
      message: `The input schema of tool '${name}' must be a JSON Schema object, e.g. { type: "object", properties: {...} }.`,
    });
  }
  const Ajv2020 = (await import("ajv/dist/2020.js")).default.default;
  const { $schema: _ignored, ...clean } = schema as Record<string, unknown>;
  try {
    new Ajv2020({ strict: false, validateFormats: false }).compile(clean);
  } catch (error) {
    throw new InvalidArgumentError({
      argument: "tools",
      message: `The input schema of tool '${name}' is not valid JSON Schema (${messageOf(error)}). Fix the schema and try again.`,
    });
  }
}

/**
 * A chat wrapper that makes the model call a function: after the prompt, node-llama-cpp injects the
 * function-call prefix and lets the grammar choose among the function names and their arguments.
 *
 * @example
 * const chat = new lib.LlamaChat({ contextSequence, chatWrapper: forcingWrapper(lib, wrapper) });
 */
export function forcingWrapper(lib: NodeLlamaCppModule, base: ChatWrapper): ChatWrapper {
  const forced = Object.create(base) as ChatWrapper;
  const prefix = lib.LlamaText(base.settings.functions.call.prefix);
  forced.generateContextState = (options): ChatWrapperGeneratedContextState => {
    const state = base.generateContextState(options);
    // Templates that start every reply in function mode (Functionary) only need the way out closed.
    if (state.functionCall) {
      return { ...state, functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] } } as never;
    }
    return {
      contextText: state.contextText,
      stopGenerationTriggers: state.stopGenerationTriggers,
      ...(state.rerender ? { rerender: state.rerender } : {}),
      noPrefixTrigger: { type: "functionCall", inject: prefix },
    };
  };
  return forced;
}
