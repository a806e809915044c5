import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { noLocalServers, repoRoot, runWeft, STACK_LINE } from "./run-weft.js";

describe("weft basics", () => {
  it("prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
    const r = await runWeft(["--version"]);
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.code).toBe(0);
  });

  it("lists every command in --help and documents each command's options", async () => {
    const r = await runWeft(["--help"]);
    for (const command of ["run", "chat", "models", "traces", "tokens"]) expect(r.stdout).toContain(command);
    const run = await runWeft(["run", "--help"]);
    for (const option of ["--model", "--system", "--max-tokens", "--temperature", "--json"])
      expect(run.stdout).toContain(option);
  });

  it("fails with usage errors (exit 2) for bad options, in one line", async () => {
    const r = await runWeft(["run", "hi", "--max-tokens", "lots", "--model", "openai:x"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("error: --max-tokens must be an integer >= 1, got 'lots'.");
    const unknown = await runWeft(["run", "--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
    const empty = await runWeft(["run"], { input: "" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/No prompt given/);
  });

  it("explains malformed model ids and unknown providers", async () => {
    const malformed = await runWeft(["run", "hi", "--model", "gpt-4o"]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/'gpt-4o' is not a model id\. Use provider:name/);
    const unknown = await runWeft(["run", "hi", "--model", "nope:model"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/'nope' is not a known provider/);
    expect(unknown.stderr).not.toMatch(STACK_LINE);
  });

  it("says no model is configured, lists the fixes, and what it looked for", async () => {
    const env = await noLocalServers();
    const r = await runWeft(["run", "hi"], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: No model is configured/);
    expect(r.stderr).toMatch(/--model/);
    expect(r.stderr).toMatch(/OPENAI_API_KEY/);
    expect(r.stderr).toMatch(/Ollama/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const models = await runWeft(["models", "--json"], { env });
    expect(JSON.parse(models.stdout).default).toBeNull();
  });

  it("reports an invalid config file with its path and field", async () => {
    const r = await runWeft(["run", "hi", "--config", "missing.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot read the config file .*missing\.json/);
  });

  it("counts tokens with the OpenAI tokenizer without a key", async () => {
    const r = await runWeft(["tokens", "hello world", "--model", "openai:gpt-4o-mini", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ model: "openai:gpt-4o-mini", tokens: 2, characters: 11 });
  });

  it("shows an empty trace list helpfully", async () => {
    const r = await runWeft(["traces"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No traces yet/);
  });
});
