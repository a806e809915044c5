/**
 * The ReAct text protocol for models without native tool calling: the tools are described in the
 * system prompt and the model writes `Thought / Action / Action Input`, then gets an `Observation`,
 * until it writes `Final Answer`.
 */
import { extractJson } from "../../generate/schema.js";
import type { JSONSchema } from "../../spec/json-schema.js";
import type { Message } from "../../spec/language-model.js";
import type { AnyTool } from "../tool.js";
import { definitionOf } from "./tool-definitions.js";

/** Stop sequence: the model must not write the tool's result itself. */
export const REACT_STOP = "Observation:";

/** Sent for the one extra call made when the step limit is reached. */
export const REACT_STEP_LIMIT_PROMPT =
  "You have used every tool call this request allows. Do not call tools any more. Reply now in this form:\nThought: what you found\nFinal Answer: your answer, saying what is still unknown";

function compactSchema(schema: JSONSchema): string {
  const { $schema: _dropped, ...rest } = schema as Record<string, unknown>;
  return JSON.stringify(rest);
}

/**
 * The system prompt of a ReAct run: the caller's system prompt, then each tool (name, description,
 * JSON schema of its input) and the format to follow.
 *
 * @example
 * reactSystemPrompt([calculator], "Be brief.");
 */
export function reactSystemPrompt(tools: AnyTool[], system?: string): string {
  const intro = system ? `${system}\n\n` : "";
  if (tools.length === 0) {
    return `${intro}Reply in this format:\nThought: what you think\nFinal Answer: your answer to the user`;
  }
  const listed = tools
    .map(
      (t) => `- ${t.name}: ${t.description}\n  Action Input JSON schema: ${compactSchema(definitionOf(t).inputSchema)}`,
    )
    .join("\n");
  return `${intro}You can use these tools:
${listed}

Use exactly this format:
Thought: think about what to do next
Action: the tool to use, one of [${tools.map((t) => t.name).join(", ")}]
Action Input: the tool's input as one JSON object
Then stop. The tool's result comes back to you as "Observation: ..."; never write an Observation yourself.
Repeat Thought/Action/Action Input as often as needed. When you know the answer, write:
Thought: I know the answer
Final Answer: the answer to the user's request`;
}

export type ReActReply =
  | { type: "action"; thought: string; toolName: string; input: unknown; text: string }
  | { type: "final"; thought: string; answer: string }
  | { type: "invalid"; reason: string };

const LABELS: Record<string, string> = {
  thought: "Thought",
  action: "Action",
  "action input": "Action Input",
  "final answer": "Final Answer",
  observation: "Observation",
};
// Markdown emphasis and odd case around labels: "**Action:**", "**Action**:", "final answer:".
const LABEL =
  /\*{0,2}[ \t]*\b(thought|action[ \t]+input|action|final[ \t]+answer|observation)[ \t]*\*{0,2}[ \t]*:[ \t]*(?:\*{1,2}(?=\s))?[ \t]*/gi;

function normalise(text: string): string {
  let t = text
    .replace(/\r\n?/g, "\n")
    .replace(/^[ \t]*```[\w-]*[ \t]*$/gm, "")
    .replace(LABEL, (_m, label: string) => `${LABELS[label.toLowerCase().replace(/[ \t]+/, " ")]}: `);
  const observation = t.indexOf(`${REACT_STOP} `);
  if (observation >= 0) t = t.slice(0, observation);
  return t;
}

const NEXT_LABEL = /\n\s*(?:Thought|Action|Action Input|Final Answer): /;

function thoughtOf(text: string): string {
  return text.replace(/^\s*Thought: /, "").trim();
}

function cleanToolName(line: string): string {
  return line
    .trim()
    .replace(/^[`'"[(<]+|[`'"\])>.,;:]+$/g, "")
    .replace(/\(\)$/, "")
    .trim();
}

/** The only property of a tool's input object, when it has exactly one. */
function soleProperty(tool: AnyTool | undefined): { name: string; isString: boolean } | undefined {
  if (!tool) return undefined;
  const properties = (definitionOf(tool).inputSchema as { properties?: Record<string, { type?: unknown }> }).properties;
  const names = properties ? Object.keys(properties) : [];
  if (names.length !== 1) return undefined;
  const name = names[0] as string;
  return { name, isString: properties?.[name]?.type === "string" };
}

const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads the Action Input: JSON (in code fences or with prose around it), JSON written with single
 * quotes, or — for a tool with a single parameter — the bare value. Anything else is returned as
 * the raw text, which the tool's validation then reports to the model.
 */
function parseInput(text: string, tool: AnyTool | undefined): unknown {
  if (text === "") return {};
  const json = extractJson(text);
  let value: unknown = json.success ? json.value : undefined;
  if (!json.success && /^[[{]/.test(text) && !text.includes('"')) {
    const requoted = extractJson(text.replace(/'/g, '"'));
    if (requoted.success) value = requoted.value;
  }
  if (isObject(value)) return value;
  const sole = soleProperty(tool);
  if (sole)
    return { [sole.name]: sole.isString || value === undefined ? text.replace(/^(["'`])(.*)\1$/s, "$2") : value };
  return value ?? text;
}

/**
 * Parses one ReAct reply. Forgiving about form (code fences, markdown emphasis, letter case,
 * trailing text, an invented Observation), strict about substance: an action must name a tool, a
 * final answer must not be empty, and a reply with neither is invalid.
 *
 * @example
 * parseReActReply('Thought: add\nAction: calculator\nAction Input: {"expression": "2+2"}');
 * // { type: "action", toolName: "calculator", input: { expression: "2+2" }, ... }
 */
export function parseReActReply(text: string, tools: ReadonlyMap<string, AnyTool> = new Map()): ReActReply {
  const t = normalise(text);
  const actionAt = t.search(/\bAction: /);
  const final = t.indexOf("Final Answer: ");
  if (actionAt >= 0 && (final < 0 || actionAt < final)) {
    const rest = t.slice(actionAt + "Action: ".length);
    const inputAt = rest.indexOf("Action Input: ");
    const toolName = cleanToolName((inputAt >= 0 ? rest.slice(0, inputAt) : rest).trim().split("\n")[0] ?? "");
    if (!toolName) return { type: "invalid", reason: "the Action line names no tool" };
    let inputText = inputAt >= 0 ? rest.slice(inputAt + "Action Input: ".length) : "";
    const next = inputText.search(NEXT_LABEL);
    if (next >= 0) inputText = inputText.slice(0, next);
    const input = parseInput(inputText.trim(), tools.get(toolName));
    const thought = thoughtOf(t.slice(0, actionAt));
    const shown = typeof input === "string" ? input : JSON.stringify(input);
    return {
      type: "action",
      thought,
      toolName,
      input,
      text: `${thought ? `Thought: ${thought}\n` : ""}Action: ${toolName}\nAction Input: ${shown}`,
    };
  }
  if (final >= 0) {
    const answer = t.slice(final + "Final Answer: ".length).trim();
    if (!answer) return { type: "invalid", reason: "the Final Answer is empty" };
    return { type: "final", thought: thoughtOf(t.slice(0, final)), answer };
  }
  return { type: "invalid", reason: "it has neither an 'Action:' line nor a 'Final Answer:' line" };
}

/** The part of a reply being written that is the final answer (what streaming shows). */
export function reactVisibleAnswer(textSoFar: string): string {
  const t = normalise(textSoFar);
  const final = t.indexOf("Final Answer: ");
  if (final < 0) return "";
  const action = t.indexOf("Action: ");
  if (action >= 0 && action < final) return "";
  return t.slice(final + "Final Answer: ".length).replace(/^\s+/, "");
}

/** A reply out of format taken as the answer after the corrections ran out: its labels removed. */
export function plainAnswer(text: string): string {
  return normalise(text)
    .split("\n")
    .filter((line) => !/^\s*(?:Action|Action Input): /.test(line))
    .join("\n")
    .replace(/(?:^|\n)\s*(?:Thought|Final Answer): /g, "\n")
    .trim();
}

/** What the model is told when its reply did not follow the format. */
export function correctionPrompt(reason: string, toolNames: string[]): string {
  const action = toolNames.length
    ? `either\nThought: ...\nAction: one of [${toolNames.join(", ")}]\nAction Input: a JSON object\nor\n`
    : "";
  return `Your reply did not follow the format: ${reason}. Reply with ${action}Thought: ...\nFinal Answer: your answer`;
}

function outputText(output: unknown): string {
  if (typeof output === "string") return output;
  try {
    return JSON.stringify(output) ?? String(output);
  } catch {
    return String(output);
  }
}

/** The message that gives the model a tool's result. */
export function observation(output: unknown): Message {
  return { role: "user", content: `${REACT_STOP} ${outputText(output)}` };
}

function textOf(content: Message["content"]): string {
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" ? p.text : "")).join("");
}

/**
 * Renders a conversation kept in native form (assistant tool calls, tool messages) as ReAct text,
 * so history from memory or an earlier native run reads like the protocol the model is asked to use.
 */
export function toReActTranscript(messages: Message[]): Message[] {
  return messages.map((m): Message => {
    if (m.role === "system") return m;
    if (m.role === "user") return { role: "user", content: textOf(m.content) };
    if (m.role === "tool") {
      return { role: "user", content: m.content.map((r) => observation(r.output).content).join("\n") };
    }
    if (typeof m.content === "string") return { role: "assistant", content: `Final Answer: ${m.content}` };
    const thought = textOf(m.content).trim();
    const calls = m.content.flatMap((p) =>
      p.type === "tool-call" ? [`Action: ${p.toolName}\nAction Input: ${outputText(p.input)}`] : [],
    );
    if (calls.length === 0) return { role: "assistant", content: `Final Answer: ${thought}` };
    return { role: "assistant", content: `${thought ? `Thought: ${thought}\n` : ""}${calls.join("\n")}` };
  });
}
