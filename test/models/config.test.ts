import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/models/config.js";
import { costOf, modelFacts } from "../../src/models/model-facts.js";
import { parseModelId } from "../../src/models/model-id.js";
import { ConfigError, InvalidArgumentError } from "../../src/spec/errors.js";

describe("parseModelId", () => {
  it("splits at the first colon so paths keep theirs", () => {
    expect(parseModelId("openai:gpt-4o-mini")).toEqual({ provider: "openai", name: "gpt-4o-mini" });
    expect(parseModelId("local:C:/models/x.gguf")).toEqual({ provider: "local", name: "C:/models/x.gguf" });
  });
  it("explains the format when the id is malformed", () => {
    for (const bad of ["gpt-4o", ":x", "openai:"]) {
      expect(() => parseModelId(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => parseModelId("gpt-4o")).toThrow(/provider:name/);
  });
});

describe("model facts and cost", () => {
  it("matches dated ids to their family and treats azure like openai", () => {
    expect(modelFacts("openai", "gpt-4o-mini-2024-07-18")?.contextWindow).toBe(128000);
    expect(modelFacts("openai", "gpt-4o-2024-08-06")?.input).toBe(2.5);
    expect(modelFacts("azure", "gpt-4o-mini")?.output).toBe(0.6);
    expect(modelFacts("openai", "gpt-4o-minimal")).toBeUndefined();
  });
  it("prices cached input tokens at the cached rate", () => {
    const full = costOf({ provider: "openai", modelId: "gpt-4o", usage: { inputTokens: 1_000_000, outputTokens: 0 } });
    const cached = costOf({
      provider: "openai",
      modelId: "gpt-4o",
      usage: { inputTokens: 1_000_000, cachedInputTokens: 1_000_000, outputTokens: 0 },
    });
    expect(full).toBeCloseTo(2.5, 10);
    expect(cached).toBeCloseTo(1.25, 10);
  });
  it("is zero for local providers and null for unknown models or missing usage", () => {
    expect(costOf({ provider: "local", modelId: "x.gguf", usage: { inputTokens: 5 } })).toBe(0);
    expect(costOf({ provider: "openai", modelId: "mystery", usage: { inputTokens: 5 } })).toBeNull();
    expect(costOf({ provider: "openai", modelId: "gpt-4o", usage: {} })).toBeNull();
  });
});

describe("loadConfig", () => {
  const dir = () => mkdtempSync(join(tmpdir(), "weft-config-"));

  it("finds weft.config.json in a parent folder", () => {
    const root = dir();
    writeFileSync(join(root, "weft.config.json"), JSON.stringify({ model: "ollama:llama3.2" }));
    const child = join(root, "a", "b");
    mkdirSync(child, { recursive: true });
    const { config, path } = loadConfig({ cwd: child, env: {} });
    expect(config.model).toBe("ollama:llama3.2");
    expect(path).toBe(join(root, "weft.config.json"));
  });

  it("returns an empty config when there is no file", () => {
    expect(loadConfig({ cwd: dir(), env: {} }).config).toEqual({});
  });

  it("names the file and the bad field", () => {
    const root = dir();
    writeFileSync(join(root, "weft.config.json"), JSON.stringify({ providers: { openai: { baseURL: "not a url" } } }));
    expect(() => loadConfig({ cwd: root, env: {} })).toThrow(/providers\.openai\.baseURL/);
    writeFileSync(join(root, "weft.config.json"), "{ nope");
    expect(() => loadConfig({ cwd: root, env: {} })).toThrow(ConfigError);
    writeFileSync(join(root, "weft.config.json"), JSON.stringify({ providers: { openai: { apiKey: "sk-1" } } }));
    expect(() => loadConfig({ cwd: root, env: {} })).toThrow(/apiKey/);
  });

  it("honours an explicit path and WEFT_CONFIG, failing clearly when missing", () => {
    const root = dir();
    writeFileSync(join(root, "custom.json"), JSON.stringify({ model: "openai:gpt-4o" }));
    expect(loadConfig({ cwd: root, env: { WEFT_CONFIG: "custom.json" } }).config.model).toBe("openai:gpt-4o");
    expect(() => loadConfig({ cwd: root, path: "missing.json", env: {} })).toThrow(/Cannot read the config file/);
  });
});
