import { describe, expect, it } from "vitest";
import { jsonInputSchema, jsonSchemaTool } from "../../../src/agents/mcp/json-schema-tool.js";
import { assignToolNames, sanitizeToolName } from "../../../src/agents/mcp/tool-name.js";
import { toolDefinition } from "../../../src/agents/tool.js";
import { InvalidArgumentError } from "../../../src/spec/errors.js";

describe("jsonInputSchema", () => {
  it("builds zod from common JSON Schema and checks types, required, enums, nesting and refs", async () => {
    const { schema, validator } = await jsonInputSchema({
      type: "object",
      properties: {
        city: { type: "string", minLength: 1 },
        days: { type: "integer", minimum: 1, maximum: 14 },
        unit: { type: "string", enum: ["C", "F"] },
        point: { $ref: "#/$defs/point" },
        tags: { type: "array", items: { type: "string" } },
      },
      required: ["city"],
      $defs: { point: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } },
    });
    expect(validator).toBe("zod");
    expect(schema.safeParse({ city: "Oslo", days: 3, unit: "C", point: { x: 1.5 }, tags: ["a"] }).success).toBe(true);
    for (const bad of [
      {},
      { city: "" },
      { city: "Oslo", days: 0 },
      { city: "Oslo", days: 2.5 },
      { city: "Oslo", unit: "K" },
      { city: "Oslo", point: {} },
      { city: "Oslo", tags: [1] },
      ["Oslo"],
    ]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("keeps properties the schema does not list (JSON Schema allows them by default)", async () => {
    const { schema } = await jsonInputSchema({ type: "object", properties: { a: { type: "number" } } });
    expect(schema.parse({ a: 1, extra: "kept" })).toEqual({ a: 1, extra: "kept" });
  });

  it("falls back to ajv for keywords zod cannot express, with paths in the issues", async () => {
    const { schema, validator, note } = await jsonInputSchema({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { name: { type: "string", not: { const: "root" } }, size: { type: "integer" } },
      required: ["name"],
    });
    expect(validator).toBe("ajv");
    expect(note).toMatch(/not/);
    expect(schema.safeParse({ name: "alice", size: 3 }).success).toBe(true);
    const rejected = schema.safeParse({ name: "root", size: 3 });
    expect(rejected.success).toBe(false);
    expect(rejected.error?.issues[0]?.path).toEqual(["name"]);
    expect(schema.safeParse({ name: "alice", size: "3" }).success).toBe(false);
    expect(schema.safeParse({}).success).toBe(false);
  });

  it("accepts any object when neither zod nor ajv can read the schema (the server still validates)", async () => {
    const { schema, validator } = await jsonInputSchema({
      type: "object",
      properties: { a: { $ref: "https://example.com/schemas/a.json" } },
    });
    expect(validator).toBe("none");
    expect(schema.safeParse({ a: 1 }).success).toBe(true);
    expect(schema.safeParse("not an object").success).toBe(false);
  });

  it("refuses a schema that is not an object", async () => {
    await expect(jsonInputSchema([] as never)).rejects.toThrow(InvalidArgumentError);
  });
});

describe("jsonSchemaTool", () => {
  it("shows the model the schema as given and validates with zod", async () => {
    const jsonSchema = {
      type: "object",
      properties: { q: { type: "string", description: "search words" } },
      required: ["q"],
      additionalProperties: false,
    };
    const t = await jsonSchemaTool({
      name: "lookup",
      description: "Look something up",
      jsonSchema,
      sideEffect: false,
      execute: async ({ q }) => `found ${q}`,
    });
    expect(toolDefinition(t)).toEqual({ name: "lookup", description: "Look something up", inputSchema: jsonSchema });
    expect(t.inputSchema.safeParse({ q: "x", other: 1 }).success).toBe(false);
    expect(await t.execute({ q: "x" }, { toolCallId: "1", abortSignal: new AbortController().signal })).toBe("found x");
  });

  it("refuses names providers reject", async () => {
    await expect(
      jsonSchemaTool({ name: "a.b", jsonSchema: { type: "object" }, sideEffect: false, execute: () => 1 }),
    ).rejects.toThrow(/not allowed/);
  });
});

describe("tool names", () => {
  it("sanitises to what every provider accepts and keeps long names distinct", () => {
    expect(sanitizeToolName("files.read")).toBe("files_read");
    expect(sanitizeToolName("a b/c")).toBe("a_b_c");
    expect(sanitizeToolName("")).toBe("tool");
    const long1 = sanitizeToolName(`${"x".repeat(70)}1`);
    const long2 = sanitizeToolName(`${"x".repeat(70)}2`);
    expect(long1).toMatch(/^[a-zA-Z0-9_-]{64}$/);
    expect(long1).not.toBe(long2);
  });

  it("prefixes on clash, always or never, and never returns duplicates", () => {
    expect(assignToolNames({ server: "s", tools: ["add", "sub"], reserved: ["add"] })).toEqual(["s__add", "sub"]);
    expect(assignToolNames({ server: "s", tools: ["add"], prefix: "always" })).toEqual(["s__add"]);
    expect(assignToolNames({ server: "s", tools: ["a.b", "a_b"] })).toEqual(["s__a_b", "s__a_b_2"]);
    expect(assignToolNames({ server: "s", tools: ["add"], prefix: "never", reserved: ["add"] })).toEqual(["add_2"]);
  });
});
