import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { search } from "../../src/memory/search.js";
import { formatLocation } from "../../src/memory/search-result.js";
import { InvalidArgumentError } from "../../src/spec/errors.js";
import type { Store } from "../../src/spec/store.js";
import { createMockEmbeddingModel } from "../../src/testing/mock-embedding-model.js";
import { createMockLanguageModel } from "../../src/testing/mock-language-model.js";
import { putPassages, tempStore } from "./helpers.js";

// Concept vectors: words of one concept point the same way, so synonyms are near and nothing else is.
const CONCEPTS: Record<string, number> = { car: 0, automobile: 0, vehicle: 0, boat: 1, ship: 1, tea: 2, coffee: 2 };
function conceptVector(text: string): number[] {
  const v = [0, 0, 0, 0.01];
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const i = CONCEPTS[word];
    if (i !== undefined) v[i] = (v[i] ?? 0) + 1;
  }
  return v;
}
const embedder = () => createMockEmbeddingModel({ modelId: "concepts", dimensions: 4, embed: conceptVector });

let store: Store;
beforeEach(async () => {
  store = await tempStore();
});
afterEach(() => store.close());

async function seed(withVectors = true) {
  const vec = (text: string) => (withVectors ? conceptVector(text) : undefined);
  const p = (text: string, extra: Record<string, unknown> = {}) => ({ text, embedding: vec(text), ...extra });
  await putPassages(
    store,
    {
      "guides/garage.md": [
        p("Automobile repair takes two days at the garage.", {
          headingPath: ["Garage", "Repairs"],
          lineStart: 3,
          lineEnd: 5,
        }),
        p("The garage opens at eight.", { headingPath: ["Garage"], lineStart: 7, lineEnd: 7 }),
      ],
      "guides/harbour.md": [
        p("The ship leaves the harbour at noon.", { headingPath: ["Harbour"], lineStart: 1, lineEnd: 2 }),
      ],
      "notes/car.txt": [p("My car makes a strange noise when cold.", { lineStart: 1, lineEnd: 1 })],
      "data/prices.csv": [p("coffee,2.50\ntea,2.00", { lineStart: 2, lineEnd: 3 })],
      "manual.pdf": [p("Check the vehicle's oil every month.", { page: 4, pageEnd: 5 })],
    },
    { tags: { "guides/garage.md": ["public", "garage"], "guides/harbour.md": ["public"] } },
  );
  if (withVectors) await store.documents.setVectorConfig({ embedder: "mock:concepts", dimensions: 4 });
}

describe("search: modes", () => {
  it("full text by default without an embedder, with locations and heading paths", async () => {
    await seed(false);
    const response = await search({ store, query: "automobile repair", k: 3 });
    expect(response.mode).toBe("text");
    expect(response.queries).toEqual(["automobile repair"]);
    const [top] = response.results;
    expect(top).toMatchObject({
      id: "guides/garage.md#0",
      documentId: "guides/garage.md",
      source: "guides/garage.md",
      headingPath: ["Garage", "Repairs"],
      lines: { start: 3, end: 5 },
    });
    expect(top?.score).toBe(top?.scores.text);
    expect(formatLocation(top as never)).toBe("guides/garage.md:3-5");
    expect(response.results.map((r) => r.id)).not.toContain("notes/car.txt#0");
  });

  it("vector search finds synonyms that share no word with the query, and reports pages", async () => {
    await seed();
    const { results, mode } = await search({ store, query: "automobile", mode: "vector", embedder: embedder(), k: 3 });
    expect(mode).toBe("vector");
    expect(results.map((r) => r.source).sort()).toEqual(["guides/garage.md", "manual.pdf", "notes/car.txt"]);
    expect(results.every((r) => r.scores.vector !== undefined && r.score === r.scores.vector)).toBe(true);
    const pdf = results.find((r) => r.source === "manual.pdf");
    expect(pdf?.pages).toEqual({ start: 4, end: 5 });
    expect(formatLocation(pdf as never)).toBe("manual.pdf pp. 4-5");
  });

  it("hybrid (the default with an embedder) fuses both lists by reciprocal rank", async () => {
    await seed();
    const text = await search({ store, query: "automobile repair garage", mode: "text", k: 10 });
    const vector = await search({
      store,
      query: "automobile repair garage",
      mode: "vector",
      embedder: embedder(),
      k: 10,
    });
    const hybrid = await search({ store, query: "automobile repair garage", embedder: embedder(), k: 10 });
    expect(hybrid.mode).toBe("hybrid");
    // The store's lists hold more than k, so compare within the passages both modes return here.
    const rank = (list: typeof text.results, id: string) => {
      const i = list.findIndex((r) => r.id === id);
      return i < 0 ? 0 : 1 / (60 + i + 1);
    };
    for (const r of hybrid.results) {
      expect(r.scores.fused).toBeCloseTo(rank(text.results, r.id) + rank(vector.results, r.id), 12);
      expect(r.score).toBe(r.scores.fused);
    }
    expect(hybrid.results[0]?.id).toBe("guides/garage.md#0");
    // Found by vectors only (no shared word), still present after fusion.
    expect(hybrid.results.map((r) => r.id)).toContain("notes/car.txt#0");
  });

  it("refuses vector modes without the index's embedder, with another embedder, or on a full-text index", async () => {
    await seed();
    await expect(search({ store, query: "car", mode: "vector" })).rejects.toThrow(/--embedder mock:concepts/);
    const other = createMockEmbeddingModel({ modelId: "other", dimensions: 4 });
    await expect(search({ store, query: "car", embedder: other })).rejects.toThrow(
      /built with mock:concepts .* not mock:other/,
    );
    const bare = await tempStore();
    try {
      await putPassages(bare, { "a.md": [{ text: "car" }] });
      await expect(search({ store: bare, query: "car", mode: "hybrid", embedder: embedder() })).rejects.toThrow(
        /has no vectors/,
      );
      // Not asked for: an embedder on a full-text index quietly means full text.
      expect((await search({ store: bare, query: "car", embedder: embedder() })).mode).toBe("text");
    } finally {
      await bare.close();
    }
  });

  it("refuses an embedder whose vectors no longer have the index's dimension", async () => {
    await seed();
    const wider = createMockEmbeddingModel({ modelId: "concepts", dimensions: 6 });
    await expect(search({ store, query: "car", embedder: wider })).rejects.toThrow(
      /mock:concepts now produces 6-dimensional vectors, but .* holds 4-dimensional ones.*--rebuild/,
    );
  });

  it("validates k and the query", async () => {
    await seed(false);
    await expect(search({ store, query: "car", k: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(search({ store, query: "   " })).rejects.toThrow(/empty/);
    expect((await search({ store, query: "?!" })).results).toEqual([]);
  });
});

describe("search: filters", () => {
  it("keeps documents whose path matches a glob; a pattern without / matches file names anywhere", async () => {
    await seed(false);
    const all = async (filters: object) =>
      (await search({ store, query: "garage ship car coffee vehicle oil", k: 20, filters })).results.map(
        (r) => r.source,
      );
    expect(new Set(await all({ pathGlob: "guides/**" }))).toEqual(new Set(["guides/garage.md", "guides/harbour.md"]));
    expect(await all({ pathGlob: "*.csv" })).toEqual(["data/prices.csv"]);
    expect(new Set(await all({ pathGlob: ["notes/*", "*.pdf"] }))).toEqual(new Set(["notes/car.txt", "manual.pdf"]));
    expect(await all({ pathGlob: "nothing/**" })).toEqual([]);
  });

  it("keeps documents carrying every tag, and documents named by id", async () => {
    await seed(false);
    const sources = async (filters: object) =>
      new Set((await search({ store, query: "garage ship car", k: 20, filters })).results.map((r) => r.source));
    expect(await sources({ tags: ["public"] })).toEqual(new Set(["guides/garage.md", "guides/harbour.md"]));
    expect(await sources({ tags: ["public", "garage"] })).toEqual(new Set(["guides/garage.md"]));
    expect(await sources({ documentIds: ["notes/car.txt"] })).toEqual(new Set(["notes/car.txt"]));
    expect(await sources({ tags: ["public"], pathGlob: "**/harbour.md" })).toEqual(new Set(["guides/harbour.md"]));
  });
});

describe("search: diversification and model-assisted steps", () => {
  it("MMR moves a near-duplicate below a different passage", async () => {
    await putPassages(store, {
      "a.md": [{ text: "boat ship boat harbour schedule" }],
      "b.md": [{ text: "boat ship boat harbour schedule today" }],
      "c.md": [{ text: "boat rental prices" }],
    });
    const plain = await search({ store, query: "boat harbour schedule", k: 2 });
    expect(plain.results.map((r) => r.source)).toEqual(["a.md", "b.md"]);
    const diverse = await search({ store, query: "boat harbour schedule", k: 2, mmr: { lambda: 0.3 } });
    expect(diverse.results.map((r) => r.source)).toEqual(["a.md", "c.md"]);
    await expect(search({ store, query: "boat", mmr: { lambda: 2 } })).rejects.toThrow(/between 0 and 1/);
  });

  it("query rewriting searches the model's rewrites too and fuses every list", async () => {
    await seed(false);
    const model = createMockLanguageModel({
      reply: '1. ship departure time\n- "automobile repair"\nship departure time\n',
    });
    const response = await search({ store, query: "when does the boat go", rewrite: model, k: 5 });
    expect(response.queries).toEqual(["when does the boat go", "ship departure time", "automobile repair"]);
    expect(response.results.map((r) => r.source)).toContain("guides/harbour.md");
    expect(response.results[0]?.scores.fused).toBeGreaterThan(0);
    expect(model.calls[0]?.messages[0]).toMatchObject({ role: "system" });
  });

  it("HyDE embeds the model's hypothetical answer with the query", async () => {
    await seed();
    const model = createMockLanguageModel({ reply: "The ship sails from the harbour." });
    const emb = embedder();
    const response = await search({ store, query: "departures?", mode: "vector", embedder: emb, hyde: model, k: 1 });
    expect(response.hypotheticalAnswer).toBe("The ship sails from the harbour.");
    expect(emb.calls[0]).toEqual(["departures?", "The ship sails from the harbour."]);
    expect(response.results[0]?.source).toBe("guides/harbour.md");
    const text = await search({ store, query: "ship", mode: "text", hyde: model });
    expect(text.warnings[0]).toMatch(/HyDE/);
  });

  it("an LLM reranker scores each passage (delimited as data) and reorders by its scores", async () => {
    await seed(false);
    const model = createMockLanguageModel({
      reply: (call) => {
        const prompt = String(call.messages.at(-1)?.content);
        return prompt.includes("oil") ? "9" : prompt.includes("noise") ? "7" : "Score: 2";
      },
    });
    const response = await search({ store, query: "car vehicle automobile", rerank: model, k: 3 });
    expect(response.results.map((r) => r.source)).toEqual(["manual.pdf", "notes/car.txt", "guides/garage.md"]);
    expect(response.results.map((r) => r.scores.rerank)).toEqual([9, 7, 2]);
    const prompt = String(model.calls[0]?.messages.at(-1)?.content);
    expect(prompt).toMatch(/^Query: car vehicle automobile\n\n<passage>\n[\s\S]+\n<\/passage>/);
    expect(model.calls[0]?.maxTokens).toBe(4);
  });

  it("accepts any Reranker", async () => {
    await seed(false);
    const reranker = { id: "length", rank: async (_q: string, texts: string[]) => texts.map((t) => -t.length) };
    const { results } = await search({ store, query: "garage car", rerank: reranker, k: 2 });
    expect(results[0]?.text).toBe("The garage opens at eight.");
  });
});
