import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeOpenAIServer,
  type FakeRequest,
  startFakeOpenAIServer,
} from "../../src/testing/fake-openai-server.js";
import { noLocalServers, repoRoot, runWeft, STACK_LINE, tempDir } from "./run-weft.js";

const QUESTION = "What time do public nights start in summer?";

/** Runs weft in the repository (so `examples/corpus` resolves) with its own store and HOME. */
function inRepo(args: string[], env: Record<string, string>, store = join(tempDir(), "weft.db")) {
  return runWeft([...args, "--store", store], { cwd: repoRoot, env: { HOME: tempDir(), ...env } });
}

/** The number of the source block holding `needle` in a chat request, or undefined. */
function sourceNumber(request: FakeRequest, needle: string): number | undefined {
  const user = String(request.body.messages.at(-1).content);
  for (const block of user.split("</source>")) {
    const n = /<source id="(\d+)"/.exec(block)?.[1];
    if (n && block.includes(needle)) return Number(n);
  }
  return undefined;
}

let offline: Record<string, string>;
beforeAll(async () => {
  offline = await noLocalServers();
});

describe("weft index and weft search", () => {
  it("indexes a folder incrementally and says what changed", async () => {
    const cwd = tempDir();
    cpSync(join(repoRoot, "examples/corpus"), join(cwd, "corpus"), { recursive: true });
    const store = join(cwd, "weft.db");
    const first = await runWeft(["index", "corpus", "--json", "--store", store], { cwd });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.added).toContain("corpus/telescopes.md");
    expect(summary.added.length).toBeGreaterThanOrEqual(8);
    expect(summary).toMatchObject({ updated: [], removed: [], failed: [], store });

    writeFileSync(join(cwd, "corpus/faq.md"), "# FAQ\n\nThe shop sells red torches.\n");
    writeFileSync(join(cwd, "corpus/broken.pdf"), "%PDF-1.4 truncated");
    const second = await runWeft(["index", "corpus", "--store", store], { cwd });
    expect(second.code).toBe(0);
    // Not a terminal: no progress bar, just the summary and the skipped file.
    expect(second.stdout).toMatch(
      /^\d+ files: 0 new, 1 changed, \d+ unchanged, 0 removed, 1 failed \(\d+ chunks written, full text only, [\d.]+ s\)\.\n$/,
    );
    expect(second.stderr).toMatch(/^skipped corpus\/broken\.pdf: .+\n$/);
  });

  it("searches with --json, -k and --path", async () => {
    const store = join(tempDir(), "weft.db");
    expect((await inRepo(["index", "examples/corpus"], offline, store)).code).toBe(0);
    const r = await inRepo(["search", "Wren main telescope mirror", "-k", "2", "--json"], offline, store);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ source: "examples/corpus/telescopes.md", id: expect.stringMatching(/#\d+$/) });
    expect(results[0].lines.start).toBeGreaterThan(0);
    expect(results[0].text).toContain("600 mm");
    expect(typeof results[0].score).toBe("number");

    const csv = JSON.parse((await inRepo(["search", "fee", "--path", "*.csv", "--json"], offline, store)).stdout);
    expect(csv.length).toBeGreaterThan(0);
    expect(csv.every((x: { source: string }) => x.source.endsWith(".csv"))).toBe(true);

    const text = await inRepo(["search", "red light", "-k", "1"], offline, store);
    expect(text.stdout).toMatch(/^1\. examples\/corpus\/\S+:\d+-\d+ .*· [\d.]+\n {3}\S/);
  });

  it("fails in one line, without a stack trace, on a missing path or an impossible mode", async () => {
    const store = join(tempDir(), "weft.db");
    const missing = await inRepo(["index", "no/such/folder"], offline, store);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: Nothing to index at 'no\/such\/folder'.*\n$/);
    expect((await inRepo(["index", "examples/corpus"], offline, store)).code).toBe(0);
    const vector = await inRepo(["search", "dome", "--mode", "vector"], offline, store);
    expect(vector.code).toBe(1);
    expect(vector.stderr).toMatch(/^error: vector search needs the index's embedder/);
    expect(vector.stderr).not.toMatch(STACK_LINE);
    const badMode = await inRepo(["search", "dome", "--mode", "fuzzy"], offline, store);
    expect(badMode.code).toBe(2);
    expect(badMode.stderr).toMatch(/--mode must be one of text, vector, hybrid/);
  });
});

describe("weft ask", () => {
  let server: FakeOpenAIServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ apiKey: "sk-memory-test", embeddingDimensions: 12 });
    env = { ...offline, OPENAI_API_KEY: "sk-memory-test", OPENAI_BASE_URL: server.url };
  });
  afterAll(() => server.close());

  it("with no model configured, prints the best passages with citations and how to configure one", async () => {
    const r = await inRepo(["ask", QUESTION, "--docs", "examples/corpus"], offline);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[1\] /);
    expect(r.stdout).toMatch(/21:00.* — examples\/corpus\/visiting-hours\.txt:\d+-\d+/);
    expect(r.stderr.trim()).toMatch(/^No model is configured, so these are the best passages .*--model provider:name/);
    expect(r.stderr).not.toMatch(STACK_LINE);

    const json = await inRepo(["ask", QUESTION, "--docs", "examples/corpus", "--json"], offline);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ kind: "extractive", notFound: false, model: null, flagged: false });
    expect(out.hint).toMatch(/No model is configured/);
    expect(out.citations.map((c: { source: string }) => c.source)).toContain("examples/corpus/visiting-hours.txt");
  });

  it("answers from the folder with a model, streams nothing when piped, and maps citations to sources", async () => {
    const store = join(tempDir(), "weft.db");
    const reply = (request: FakeRequest) => {
      const n = sourceNumber(request, "21:00");
      return { text: `In summer, public nights start at 21:00 [${n}].` };
    };
    const served = await startFakeOpenAIServer({ apiKey: "sk-memory-test", reply });
    try {
      const local = { ...env, OPENAI_BASE_URL: served.url };
      const r = await inRepo(["ask", QUESTION, "--docs", "examples/corpus", "--show-context"], local, store);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const chat = served.requests.find((q) => q.path.endsWith("/chat/completions")) as FakeRequest;
      expect(chat.body.model).toBe("gpt-4o-mini");
      const [system, user] = chat.body.messages;
      expect(system.content).toContain("I could not find an answer.");
      expect(user.content).toMatch(/^Sources:\n\n<source id="1" path="examples\/corpus\//);
      // --show-context printed exactly what the server received.
      expect(r.stdout).toContain(
        `──── system ────\n${system.content}\n──── user ────\n${user.content}\n──── end of context: `,
      );
      const n = sourceNumber(chat, "21:00") as number;
      expect(r.stdout).toContain(
        `In summer, public nights start at 21:00 [${n}].\n\nSources:\n  [${n}] examples/corpus/visiting-hours.txt:`,
      );

      const json = JSON.parse((await inRepo(["ask", QUESTION, "--json"], local, store)).stdout);
      expect(json).toMatchObject({ kind: "generated", flagged: false, notFound: false, model: "openai:gpt-4o-mini" });
      expect(json.citations).toEqual([
        expect.objectContaining({ n: expect.any(Number), source: "examples/corpus/visiting-hours.txt" }),
      ]);
      expect(json.sources[json.citations[0].n - 1].text).toContain("21:00");
      expect(json.usage.inputTokens).toBeGreaterThan(0);
    } finally {
      await served.close();
    }
  });

  it("flags an answer without valid citations", async () => {
    server.requests.length = 0;
    server.enqueue({ text: "Probably around nine [42]." });
    const r = await inRepo(["ask", QUESTION, "--docs", "examples/corpus"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Probably around nine [42].\n");
    expect(r.stderr).toMatch(/warning: The answer cites \[42\], but there are only \d+ sources\./);
    expect(r.stderr).toMatch(/warning: The answer cites none of the sources/);
  });

  it("a model named with --model that cannot be used is an error, not an extractive answer", async () => {
    const r = await inRepo(["ask", QUESTION, "--docs", "examples/corpus", "--model", "nosuch:model"], offline);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*nosuch/);
  });

  it("indexes with an embedder, reuses it for search, and refuses another one with how to rebuild", async () => {
    const store = join(tempDir(), "weft.db");
    const emb = ["--embedder", "openai:text-embedding-3-small"];
    const first = await inRepo(["index", "examples/corpus", ...emb, "--json"], env, store);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).embedder).toBe("openai:text-embedding-3-small");
    server.requests.length = 0;
    const hybrid = await inRepo(["search", "dome rotation", "--json"], env, store);
    expect(hybrid.code).toBe(0);
    expect(JSON.parse(hybrid.stdout)[0].scores.fused).toBeGreaterThan(0);
    expect(server.requests.some((q) => q.path.endsWith("/embeddings"))).toBe(true);

    const other = await inRepo(["index", "examples/corpus", "--embedder", "openai:text-embedding-3-large"], env, store);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /^error: The index in .* was built with openai:text-embedding-3-small \(12 dimensions\), not openai:text-embedding-3-large.*--rebuild/,
    );
    const rebuilt = await inRepo(
      ["index", "examples/corpus", "--embedder", "openai:text-embedding-3-large", "--rebuild", "--json"],
      env,
      store,
    );
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout).embedder).toBe("openai:text-embedding-3-large");
  });
});
