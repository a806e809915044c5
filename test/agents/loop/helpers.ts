import { z } from "zod";
import { tool } from "../../../src/agents/tool.js";
import type { Message, ToolResultPart } from "../../../src/spec/language-model.js";
import type { MockReply } from "../../../src/testing/index.js";

/** A mock reply asking for tool calls: `[name, input, id?]` each. */
export function callTools(calls: Array<[string, unknown, string?]>, text = ""): MockReply {
  return {
    choices: [
      {
        text,
        toolCalls: calls.map(([toolName, input, id], i) => ({ toolCallId: id ?? `c${i}`, toolName, input })),
        finishReason: "tool-calls",
      },
    ],
  };
}

/** Every tool result the model has been sent so far, in order. */
export function toolResults(messages: Message[]): ToolResultPart[] {
  return messages.flatMap((m) => (m.role === "tool" ? m.content : []));
}

/** The last message's text, whatever its form. */
export function lastText(messages: Message[]): string {
  const last = messages[messages.length - 1];
  if (!last) return "";
  return typeof last.content === "string" ? last.content : JSON.stringify(last.content);
}

export const add = tool({
  name: "add",
  description: "Adds two numbers.",
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

export const multiply = tool({
  name: "multiply",
  description: "Multiplies two numbers.",
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a * b,
});
