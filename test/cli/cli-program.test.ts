import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { noLocalServers, repoRoot, runWeft, STACK_LINE, tempDir } from "./run-weft.js";

const MODEL = `local:${join(repoRoot, "examples", "models", "stories260K.gguf")}`;

describe("weft program run", () => {
  let cwd: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    cwd = tempDir("weft-program-");
    env = await noLocalServers();
    writeFileSync(join(cwd, "hello.hbs"), "{{> header}}\nHello {{name}}!\n{{#each people}}\n- {{this}}\n{{/each}}");
    writeFileSync(join(cwd, "header.hbs"), "# {{title}}\n");
    writeFileSync(join(cwd, "vars.json"), JSON.stringify({ title: "Team", people: ["Ada", "Alan"], name: "you" }));
    writeFileSync(
      join(cwd, "story.hbs"),
      "Once upon a time, there was a little{{#select 'who' logprobs='lp'}} girl{{or}} dog{{/select}}{{gen 'rest' max_tokens=8 stop='.'}}.",
    );
    writeFileSync(
      join(cwd, "await.hbs"),
      "Once upon a time{{gen 'start' max_tokens=8}}\n{{await 'twist'}}{{gen 'end' max_tokens=5}}",
    );
    writeFileSync(join(cwd, "broken.hbs"), "Hello\n{{#each people}}\n- {{this}}\n");
    writeFileSync(join(cwd, "unknown.hbs"), "Hello {{nobody}}");
  });

  it("renders a program without a model, with --vars, --var and partials next to the file", async () => {
    const r = await runWeft(["program", "run", "hello.hbs", "--vars", "vars.json", "--var", "name=Ada"], { cwd, env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("# Team\nHello Ada!\n- Ada\n- Alan\n");
  });

  it("--json runs select and gen on the local model", async () => {
    const r = await runWeft(["program", "run", "story.hbs", "--model", MODEL, "--json", "--no-trace"], { cwd, env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["variables", "transcript", "usage", "costUsd"]);
    expect(out.variables.who).toBe(" girl");
    expect(out.variables.lp[" girl"]).toBeGreaterThan(out.variables.lp[" dog"]);
    expect(out.transcript).toBe(`Once upon a time, there was a little girl${out.variables.rest}.`);
    expect(out.costUsd).toBe(0);
    expect(out.usage.outputTokens).toBeGreaterThan(0);
  });

  it("caches deterministic gen and select results in the store, visible in the traces", async () => {
    const dir = tempDir("weft-program-cache-");
    writeFileSync(join(dir, "story.hbs"), readFileSync(join(cwd, "story.hbs")));
    const args = ["program", "run", "story.hbs", "--model", MODEL, "--json"];
    const first = JSON.parse((await runWeft(args, { cwd: dir, env })).stdout);
    const second = JSON.parse((await runWeft(args, { cwd: dir, env })).stdout);
    expect(second.variables).toEqual(first.variables);
    const traces = JSON.parse((await runWeft(["traces", "--json", "--limit", "10"], { cwd: dir, env })).stdout);
    // Newest first: the second run's score and generate calls came from the cache, the first run's did not.
    expect(traces.map((t: { operation: string; cached: boolean }) => [t.operation, t.cached])).toEqual([
      ["generate", true],
      ["score", true],
      ["generate", false],
      ["score", false],
    ]);
    const uncached = await runWeft([...args, "--no-cache"], { cwd: dir, env });
    expect(JSON.parse(uncached.stdout).variables).toEqual(first.variables);
    const after = JSON.parse((await runWeft(["traces", "--json", "--limit", "2"], { cwd: dir, env })).stdout);
    expect(after.map((t: { cached: boolean }) => t.cached)).toEqual([false, false]);
  });

  it("stops at await with exit code 3, saves the state, and resumes without regenerating", async () => {
    const state = join(cwd, "await.state.json");
    const args = ["program", "run", "await.hbs", "--model", MODEL, "--no-trace", "--state", state];
    const first = await runWeft([...args, "--json"], { cwd, env });
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(
      /The program is waiting for 'twist' \(line 2\)\. Run again with --state .*await\.state\.json --var twist=\.\.\. to continue/,
    );
    const paused = JSON.parse(first.stdout);
    expect(paused.awaiting).toBe("twist");
    expect(paused.usage.outputTokens).toBe(8);
    expect(JSON.parse(readFileSync(state, "utf8"))).toMatchObject({ version: 1, awaiting: "twist" });

    const second = await runWeft([...args, "--json", "--var", "twist=Then a dragon came"], { cwd, env });
    expect(second.code).toBe(0);
    const done = JSON.parse(second.stdout);
    // Only the last gen ran: the first was replayed from the saved state.
    expect(done.usage.outputTokens).toBe(5);
    expect(done.transcript.startsWith(`${paused.transcript}Then a dragon came`)).toBe(true);
    expect(done.variables.start).toBe(paused.variables.start);
    expect(existsSync(state)).toBe(false);
  });

  it("without --state, says to pass the value with --var and prints the partial transcript", async () => {
    const r = await runWeft(["program", "run", "await.hbs", "--model", MODEL, "--no-trace"], { cwd, env });
    expect(r.code).toBe(3);
    expect(r.stdout.startsWith("Once upon a time")).toBe(true);
    expect(r.stderr).toMatch(/waiting for 'twist'.*Run again with --var twist=\.\.\./);
  });

  it("reports syntax errors with line, column and hint, and no stack", async () => {
    const r = await runWeft(["program", "run", "broken.hbs"], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: Template syntax error at broken\.hbs, line 4, column 1: the template ended inside a block/,
    );
    expect(r.stderr).toContain("Hint: add {{/each}} to close {{#each}}.");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it("names an unknown variable", async () => {
    const r = await runWeft(["program", "run", "unknown.hbs"], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unknown variable 'nobody'.*\(unknown\.hbs, line 1, column 9\)/);
  });

  it("refuses a malformed --var and a missing file as usage errors", async () => {
    expect((await runWeft(["program", "run", "hello.hbs", "--var", "novalue"], { cwd, env })).code).toBe(2);
    const missing = await runWeft(["program", "run", "nope.hbs"], { cwd, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the program nope\.hbs/);
  });
});
