/**
 * BFCL's function definitions → JSON Schema → weft tools (the path MCP tools take) → the OpenAI and
 * Anthropic wire formats, checked on the recorded request bodies; and BFCL's possible answers,
 * rendered as calls, checked against the converted zod schemas and by the AST matcher — also after a
 * round trip through each provider's tool-call parsing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonInputSchema, jsonSchemaTool } from "../../../src/agents/mcp/json-schema-tool.js";
import { sanitizeToolName } from "../../../src/agents/mcp/tool-name.js";
import { type AnyTool, toolDefinition } from "../../../src/agents/tool.js";
import { createAnthropic } from "../../../src/models/anthropic/index.js";
import { createOpenAI } from "../../../src/models/openai/index.js";
import type { LanguageModel, Message, ToolCall } from "../../../src/spec/language-model.js";
import { type FakeAnthropicServer, startFakeAnthropicServer } from "../../../src/testing/fake-anthropic-server.js";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../../src/testing/fake-openai-server.js";
import {
  type BfclAnswer,
  type BfclExpectedCall,
  type BfclFunction,
  type BfclQuestion,
  type BfclSchema,
  bfclToJsonSchema,
  hasBfcl,
  jsonTypeOf,
  loadAnswers,
  loadQuestions,
} from "./bfcl-data.js";
import { type ActualCall, matchCalls } from "./matcher.js";

if (!hasBfcl) console.warn("[bfcl-conversion.test] skipping BFCL conversion: ../shared/data/bfcl is missing.");

/** Keys of the BFCL schema missing from the converted one, as paths (`type` is renamed, `optional` dropped). */
function lostKeys(original: BfclSchema, converted: Record<string, unknown>, path = ""): string[] {
  const lost: string[] = [];
  for (const [key, value] of Object.entries(original)) {
    if (key === "optional" || (key === "type" && (value === "any" || value === "Any"))) continue;
    if (!(key in converted)) lost.push(`${path}${key}`);
    else if (key === "properties") {
      for (const [name, sub] of Object.entries(value as Record<string, BfclSchema>)) {
        const target = (converted.properties as Record<string, Record<string, unknown>>)[name];
        if (!target) lost.push(`${path}properties.${name}`);
        else lost.push(...lostKeys(sub, target, `${path}properties.${name}.`));
      }
    } else if (key === "items" && value && typeof value === "object" && !Array.isArray(value)) {
      lost.push(...lostKeys(value as BfclSchema, converted.items as Record<string, unknown>, `${path}items.`));
    } else if (key !== "type" && JSON.stringify(value) !== JSON.stringify(converted[key])) {
      lost.push(`${path}${key} (changed)`);
    }
  }
  return lost;
}

/** A value outside its own BFCL schema: another JSON type, or not in the enum. */
function breaksOwnSchema(value: unknown, schema: BfclSchema): boolean {
  const type = jsonTypeOf(schema.type);
  const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  const typeOk =
    type === undefined ||
    (type === "integer" ? Number.isInteger(value) : type === "object" ? kind === "object" : kind === type);
  const enumOk = !schema.enum || schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value));
  return !typeOk || !enumOk;
}

type Mode = "full" | "minimal";
const OMIT = Symbol("omit");

/**
 * A value for one parameter from its allowed values: the first real one ("full"), or nothing when
 * an optional parameter may be left out ("minimal"). `null` stands for "the default" in BFCL's answers, so it
 * is rendered as leaving the parameter out. Dict answers map each key to allowed values in turn.
 */
function renderValue(allowed: unknown[], schema: BfclSchema | undefined, mode: Mode): unknown {
  if (mode === "minimal" && allowed.includes("")) return OMIT;
  const value = allowed.find((a) => a !== "" && a !== null);
  if (value === undefined) return allowed.includes("") || allowed.includes(null) ? OMIT : null;
  const isDict = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (schema?.type === "dict" && isDict(value)) return renderDict(value as Record<string, unknown[]>, mode);
  if (Array.isArray(value) && schema?.items?.type === "dict" && value.every(isDict)) {
    return value.map((d) => renderDict(d as Record<string, unknown[]>, mode));
  }
  return value;
}

function renderDict(allowedByKey: Record<string, unknown[]>, mode: Mode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, allowed] of Object.entries(allowedByKey)) {
    const v = Array.isArray(allowed) ? renderValue(allowed, undefined, mode) : allowed;
    if (v !== OMIT) out[key] = v;
  }
  return out;
}

function renderCall(expected: BfclExpectedCall, fn: BfclFunction, mode: Mode): ActualCall {
  const [name, params] = Object.entries(expected)[0] as [string, Record<string, unknown[]>];
  const args: Record<string, unknown> = {};
  const required = new Set(fn.parameters.required ?? []);
  for (const [param, allowed] of Object.entries(params)) {
    // A few answers mark a required parameter as omittable; BFCL's checker still requires it.
    const v = renderValue(allowed, fn.parameters.properties?.[param], required.has(param) ? "full" : mode);
    if (v !== OMIT) args[param] = v;
  }
  return { name, arguments: args };
}

interface Converted {
  question: BfclQuestion;
  answer?: BfclAnswer;
  tools: AnyTool[];
  /** weft tool name → BFCL function. */
  byToolName: Map<string, BfclFunction>;
}

const models = (openai: FakeOpenAIServer, anthropic: FakeAnthropicServer) => [
  {
    name: "openai",
    model: createOpenAI({ apiKey: "test", baseURL: openai.url }).languageModel("gpt-4o-mini") as LanguageModel,
    toolsSent: () => (openai.requests.at(-1)?.body.tools ?? []) as Array<Record<string, Record<string, unknown>>>,
    wire: (t: Record<string, Record<string, unknown>>) => ({
      name: t.function?.name,
      description: t.function?.description,
      schema: t.function?.parameters,
    }),
    enqueue: (calls: ActualCall[]) =>
      openai.enqueue(calls.length ? { toolCalls: calls.map((c) => ({ name: c.name, arguments: c.arguments })) } : {}),
  },
  {
    name: "anthropic",
    model: createAnthropic({ apiKey: "test", baseURL: anthropic.url }).languageModel(
      "claude-haiku-4-5",
    ) as LanguageModel,
    toolsSent: () =>
      ((anthropic.requests.at(-1)?.body as { tools?: unknown[] })?.tools ?? []) as Array<Record<string, unknown>>,
    wire: (t: Record<string, unknown>) => ({ name: t.name, description: t.description, schema: t.input_schema }),
    enqueue: (calls: ActualCall[]) =>
      anthropic.enqueue(calls.length ? { toolUses: calls.map((c) => ({ name: c.name, input: c.arguments })) } : {}),
  },
];

describe.skipIf(!hasBfcl)("BFCL function definitions through weft's tool conversion", () => {
  let converted: Converted[];
  let openai: FakeOpenAIServer;
  let anthropic: FakeAnthropicServer;
  const counts = { functions: 0, questions: 0, requests: 0, answers: 0, rendered: 0, zodValid: 0, roundTrips: 0 };

  beforeAll(async () => {
    const answers = loadAnswers();
    converted = await Promise.all(
      loadQuestions().map(async (question) => {
        const byToolName = new Map<string, BfclFunction>();
        const tools = await Promise.all(
          question.function.map((fn) => {
            const name = sanitizeToolName(fn.name);
            byToolName.set(name, fn);
            return jsonSchemaTool({
              name,
              description: fn.description,
              jsonSchema: bfclToJsonSchema(fn.parameters),
              sideEffect: false,
              execute: () => null,
            });
          }),
        );
        return { question, answer: answers.get(question.id), tools, byToolName };
      }),
    );
    [openai, anthropic] = await Promise.all([startFakeOpenAIServer(), startFakeAnthropicServer()]);
  });
  afterAll(async () => {
    await Promise.all([openai?.close(), anthropic?.close()]);
    if (hasBfcl) console.info(`[bfcl-conversion.test] ${JSON.stringify(counts)}`);
  });

  it("converts every function to JSON Schema and zod without losing a key or a name", async () => {
    for (const { question, tools, byToolName } of converted) {
      expect(byToolName.size, `${question.id}: tool names must stay distinct`).toBe(question.function.length);
      for (const t of tools) {
        const fn = byToolName.get(t.name) as BfclFunction;
        const schema = toolDefinition(t).inputSchema;
        expect(lostKeys(fn.parameters, schema), `${question.id} ${fn.name}`).toEqual([]);
        expect(schema.type).toBe("object");
        expect((await jsonInputSchema(schema)).validator, `${question.id} ${fn.name}`).toBe("zod");
        counts.functions++;
      }
    }
    expect(counts.functions).toBeGreaterThan(800);
  });

  it("possible answers rendered as calls pass the converted zod schemas and the matcher", () => {
    const quirks: string[] = [];
    for (const { question, answer, tools, byToolName } of converted) {
      if (!answer) continue;
      counts.answers++;
      for (const mode of ["full", "minimal"] as const) {
        const calls = answer.ground_truth.map((expected) => {
          const fn = question.function.find((f) => f.name === Object.keys(expected)[0]) as BfclFunction;
          return renderCall(expected, fn, mode);
        });
        const match = matchCalls({ functions: question.function, expected: answer.ground_truth, actual: calls });
        expect(match, `${question.id} (${mode})`).toEqual({ valid: true });
        for (const c of calls) {
          counts.rendered++;
          const t = tools.find((x) => byToolName.get(x.name)?.name === c.name) as AnyTool;
          const properties = byToolName.get(t.name)?.parameters.properties ?? {};
          // zod must reject exactly the values that break the function's own schema (BFCL has a few).
          const breaking = Object.entries(c.arguments)
            .filter(([param, value]) => breaksOwnSchema(value, properties[param] ?? {}))
            .map(([param]) => param);
          const parsed = t.inputSchema.safeParse(c.arguments);
          const rejected = parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
          expect(rejected.sort(), `${question.id} ${c.name} ${JSON.stringify(c.arguments)}`).toEqual(breaking.sort());
          if (parsed.success) counts.zodValid++;
          for (const param of breaking) {
            quirks.push(`${question.id} ${param}: ${JSON.stringify(c.arguments[param])}`);
          }
        }
      }
    }
    expect(counts.answers).toBeGreaterThan(200);
    if (quirks.length) console.info(`[bfcl-conversion.test] answers outside their schema: ${quirks.join("; ")}`);
  });

  it("every question's tools reach the OpenAI and Anthropic wire formats intact, and answers come back matching", async () => {
    for (const { question, answer, tools, byToolName } of converted) {
      counts.questions++;
      const messages = (question.question[0] ?? []).map((m) => ({ role: m.role, content: m.content }) as Message);
      const calls = (answer?.ground_truth ?? []).map((expected) => {
        const fn = question.function.find((f) => f.name === Object.keys(expected)[0]) as BfclFunction;
        const rendered = renderCall(expected, fn, "full");
        return { ...rendered, name: sanitizeToolName(rendered.name) };
      });
      for (const provider of models(openai, anthropic)) {
        provider.enqueue(calls);
        const result = await provider.model.doGenerate({ messages, tools: tools.map(toolDefinition), maxTokens: 64 });
        counts.requests++;
        const sent = provider.toolsSent().map((t) => provider.wire(t as never));
        expect(sent.map((s) => s.name)).toEqual(tools.map((t) => t.name));
        for (const [i, t] of tools.entries()) {
          const fn = byToolName.get(t.name) as BfclFunction;
          expect(sent[i]?.description, `${provider.name} ${question.id}`).toBe(fn.description);
          expect(sent[i]?.schema, `${provider.name} ${question.id} ${fn.name}`).toEqual(
            bfclToJsonSchema(fn.parameters),
          );
        }
        if (!answer) continue;
        const back = (result.choices[0]?.toolCalls ?? []).map((c: ToolCall) => ({
          name: byToolName.get(c.toolName)?.name ?? c.toolName,
          arguments: c.input as Record<string, unknown>,
        }));
        expect(back.map((c) => c.arguments)).toEqual(calls.map((c) => c.arguments));
        const match = matchCalls({ functions: question.function, expected: answer.ground_truth, actual: back });
        expect(match, `${provider.name} ${question.id}`).toEqual({ valid: true });
        counts.roundTrips++;
      }
    }
    expect(counts.questions).toBe(converted.length);
  });
});
