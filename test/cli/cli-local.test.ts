import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runWeft, tempDir } from "./run-weft.js";

const MODEL = `local:${join(repoRoot, "examples", "models", "stories260K.gguf")}`;

describe("weft with the in-process demo model", () => {
  it("continues a story greedily and reproducibly, at no cost", async () => {
    const args = [
      "run",
      "Once upon a time",
      "--raw",
      "--model",
      MODEL,
      "--max-tokens",
      "30",
      "--temperature",
      "0",
      "--json",
    ];
    const first = await runWeft(args);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.text).toMatch(/^, there was a little girl named Lily/);
    expect(out).toMatchObject({ costUsd: 0, finishReason: "length", usage: { outputTokens: 30 } });
    const second = await runWeft(args);
    expect(JSON.parse(second.stdout).text).toBe(out.text);
  });

  it("chats through the model's template and prints a story-like reply", async () => {
    const r = await runWeft(["run", "hi", "--model", MODEL, "--max-tokens", "20", "--temperature", "0"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split(/\s+/).length).toBeGreaterThan(3);
  });

  it("finds a .gguf in the models folder when nothing else is configured", async () => {
    const cwd = tempDir();
    const r = await runWeft(["models", "--json", "--no-probe"], {
      cwd,
      env: { WEFT_MODELS_DIR: join(repoRoot, "examples", "models") },
    });
    expect(JSON.parse(r.stdout).default).toEqual({
      id: MODEL,
      source: `models folder ${join(repoRoot, "examples", "models")}`,
    });
  });

  it("counts tokens with the GGUF's own tokenizer", async () => {
    const r = await runWeft(["tokens", "Lily", "--model", MODEL]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("1");
  });
});
