import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askData, generateSql, runSql } from "../../../src/data/ask.js";
import { openDataSource } from "../../../src/data/open-source.js";
import type { DataSource } from "../../../src/data/types.js";
import { SqlRejectedError } from "../../../src/spec/errors.js";
import type { CallOptions } from "../../../src/spec/language-model.js";
import { createMockLanguageModel } from "../../../src/testing/mock-language-model.js";

let dir: string;
let dbPath: string;
let source: DataSource;

const sqlReply = (sql: string, chart: unknown = undefined) =>
  JSON.stringify(chart === undefined ? { sql } : { sql, chart });

/** Everything a call sent, as one string. */
const sent = (call: CallOptions | undefined) =>
  (call?.messages ?? []).map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content))).join("\n");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "weft-ask-data-"));
  dbPath = join(dir, "concerts.sqlite");
  const db = new Database(dbPath);
  db.exec(`
    CREATE TABLE singer (Singer_ID INTEGER PRIMARY KEY, Name TEXT, Country TEXT, Age INTEGER);
    CREATE TABLE concert (concert_ID INTEGER PRIMARY KEY, concert_Name TEXT, Year TEXT);
    CREATE TABLE singer_in_concert (
      concert_ID INTEGER REFERENCES concert(concert_ID),
      Singer_ID INTEGER REFERENCES singer(Singer_ID),
      PRIMARY KEY (concert_ID, Singer_ID));
    INSERT INTO singer VALUES (1,'Joe Sharp','Netherlands',52),(2,'Timbaland','United States',32),
      (3,'Justin Brown','France',29),(4,'Rose White','France',41),(5,'John Nizinik','France',43),
      (6,'Tribal King','France',25);
    INSERT INTO concert VALUES (1,'Auditions','2014'),(2,'Super bootcamp','2014'),(3,'Home Visits','2015');
    INSERT INTO singer_in_concert VALUES (1,2),(1,3),(2,3),(2,6),(3,5);
  `);
  db.close();
  source = await openDataSource({ db: dbPath });
});

afterAll(async () => {
  await source?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("askData", () => {
  it("writes SQL from the schema, runs it, and answers from the rows", async () => {
    // Named like a priced model, so the cost of both calls adds up.
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      reply: [sqlReply("SELECT Name, Age FROM singer WHERE Age > 40 ORDER BY Age DESC"), "Three singers are over 40."],
    });
    const result = await askData({ model, source, question: "Which singers are older than 40?" });
    expect(result.sql).toBe("SELECT Name, Age FROM singer WHERE Age > 40 ORDER BY Age DESC");
    expect(result.columns.map((c) => c.name)).toEqual(["Name", "Age"]);
    expect(result.rows).toEqual([
      ["Joe Sharp", 52],
      ["John Nizinik", 43],
      ["Rose White", 41],
    ]);
    expect(result.truncated).toBe(false);
    expect(result.answer).toBe("Three singers are over 40.");
    expect(result.attempts).toEqual([{ sql: result.sql }]);
    expect(result.chart).toBeUndefined();
    expect(model.calls).toHaveLength(2);
    // The SQL call sees the dialect, the schema profile and the question.
    const first = sent(model.calls[0]);
    expect(first).toContain("SQLite");
    expect(first).toContain("CREATE TABLE singer_in_concert");
    expect(first).toContain("FOREIGN KEY (Singer_ID) REFERENCES singer(Singer_ID)");
    expect(first).toContain("Question: Which singers are older than 40?");
    // The answer call sees the question, the SQL and the rows.
    const second = sent(model.calls[1]);
    expect(second).toContain("Which singers are older than 40?");
    expect(second).toContain(result.sql);
    expect(second).toContain("John Nizinik | 43");
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    const { inputTokens = 0, outputTokens = 0 } = result.usage;
    expect(outputTokens).toBeGreaterThan(5);
    expect(result.costUsd).toBeCloseTo((inputTokens * 0.15 + outputTokens * 0.6) / 1e6, 12);
  });

  const broken: Array<[string, string]> = [
    ["a syntax error", "SELEC count(*) FROM singer"],
    ["an unknown column", "SELECT nme FROM singer"],
    ["an unknown table", "SELECT * FROM singers"],
    ["a DROP", "DROP TABLE singer"],
    ["two statements", "SELECT 1; DELETE FROM singer"],
  ];
  for (const [what, bad] of broken) {
    it(`sends ${what} back with the engine's error, then runs the repaired query`, async () => {
      const model = createMockLanguageModel({
        reply: [sqlReply(bad), sqlReply("SELECT count(*) AS n FROM singer"), "There are 6 singers."],
      });
      const result = await askData({ model, source, question: "How many singers are there?" });
      expect(result.rows).toEqual([[6]]);
      expect(result.attempts).toHaveLength(2);
      expect(result.attempts[0]?.sql).toBe(bad);
      const error = result.attempts[0]?.error ?? "";
      expect(error.length).toBeGreaterThan(10);
      expect(result.attempts[1]).toEqual({ sql: "SELECT count(*) AS n FROM singer" });
      // The second call carries the rejected SQL (as the model's turn) and the error.
      const repair = model.calls[1]?.messages ?? [];
      expect(JSON.stringify(repair)).toContain(JSON.stringify(bad).slice(1, -1));
      expect(sent(model.calls[1])).toContain(error);
      expect(model.calls).toHaveLength(3);
    });
  }

  it("leaves the database unchanged after hostile SQL", async () => {
    const check = await runSql({ source, sql: "SELECT count(*) FROM singer" });
    expect(check.rows).toEqual([[6]]);
  });

  it("fails with every attempt listed when the repairs run out", async () => {
    const model = createMockLanguageModel({
      reply: [sqlReply("SELECT nme FROM singer"), sqlReply("SELECT age2 FROM singer"), "unused"],
    });
    const error = await askData({ model, source, question: "Names?", maxRepairs: 1 }).catch((e) => e);
    expect(SqlRejectedError.isInstance(error)).toBe(true);
    expect(error.message).toContain("2 attempt(s)");
    expect(error.message).toContain("1) SELECT nme FROM singer");
    expect(error.message).toContain("2) SELECT age2 FROM singer");
    expect(error.sql).toBe("SELECT age2 FROM singer");
    expect(model.calls).toHaveLength(2);
  });

  it("does not repair errors that are not about the SQL", async () => {
    const model = createMockLanguageModel({ reply: new Error("network down") });
    await expect(askData({ model, source, question: "How many singers?" })).rejects.toThrow("network down");
  });

  it("suggests a chart for a result that suits one, using the model's hint", async () => {
    const model = createMockLanguageModel({
      reply: [
        sqlReply("SELECT Country, count(*) AS singers FROM singer GROUP BY Country", {
          mark: "bar",
          x: "Country",
          y: "singers",
          color: null,
          title: "Singers per country",
        }),
        "France has the most singers (4).",
      ],
    });
    const result = await askData({ model, source, question: "How many singers per country?", chart: true });
    expect(result.chart).toBeDefined();
    const spec = result.chart as NonNullable<typeof result.chart>;
    expect(JSON.stringify(spec.mark)).toContain("bar");
    expect(spec.title).toBe("Singers per country");
    expect(spec.data && "values" in spec.data ? spec.data.values : []).toHaveLength(3);
    expect(sent(model.calls[0])).toContain('"chart"');
  });

  it("charts every row, not only the first page shown", async () => {
    const model = createMockLanguageModel({
      reply: [
        sqlReply("SELECT Age FROM singer", { mark: "histogram", x: "Age", y: null, color: null, title: null }),
        "Ages.",
      ],
    });
    const result = await askData({ model, source, question: "Distribution of ages?", chart: true, maxRows: 2 });
    expect(result.rows).toHaveLength(2);
    expect(result.truncated).toBe(true);
    const values = (result.chart?.data && "values" in result.chart.data ? result.chart.data.values : []) as Array<{
      count: number;
    }>;
    expect(values.reduce((sum, bin) => sum + bin.count, 0)).toBe(6);
  });

  it("draws no chart for a single value", async () => {
    const model = createMockLanguageModel({
      reply: [sqlReply("SELECT count(*) AS n FROM singer", null), "There are 6."],
    });
    const result = await askData({ model, source, question: "How many singers?", chart: true });
    expect(result.chart).toBeUndefined();
  });

  it("takes SQL whose reply has no chart field or an odd one without asking again", async () => {
    for (const reply of [sqlReply("SELECT Name FROM singer"), sqlReply("SELECT Name FROM singer", { mark: 3 })]) {
      const model = createMockLanguageModel({ reply: [reply, "Six singers."] });
      const result = await askData({ model, source, question: "List singers", chart: true });
      expect(result.rows).toHaveLength(6);
      expect(model.calls).toHaveLength(2);
    }
  });

  it("asks a model with native structured output for a strict schema: every field required, no defaults", async () => {
    const model = createMockLanguageModel({
      capabilities: { jsonSchema: true },
      reply: [sqlReply("SELECT count(*) FROM singer", null), "6."],
    });
    await askData({ model, source, question: "How many?", chart: true });
    const format = model.calls[0]?.responseFormat;
    expect(format?.type).toBe("json");
    const schema = format && "schema" in format ? (format.schema as Record<string, unknown>) : {};
    expect(schema.required).toEqual(["sql", "chart"]);
    expect(schema.additionalProperties).toBe(false);
    expect(JSON.stringify(schema)).not.toContain('"default"');
  });

  it("tells the answer when the rows were cut at maxRows", async () => {
    const model = createMockLanguageModel({ reply: [sqlReply("SELECT Name FROM singer"), "Six singers."] });
    const result = await askData({ model, source, question: "List singers", maxRows: 2 });
    expect(result.rows).toHaveLength(2);
    expect(result.truncated).toBe(true);
    expect(sent(model.calls[1])).toContain("more rows exist");
  });

  it("rejects an empty question before calling the model", async () => {
    const model = createMockLanguageModel();
    await expect(askData({ model, source, question: "  " })).rejects.toThrow(/question is empty/);
    expect(model.calls).toHaveLength(0);
  });
});

describe("generateSql", () => {
  it("checks without running and skips the answer", async () => {
    const model = createMockLanguageModel({
      reply: [sqlReply("```sql\nSELECT Name FROM singer WHERE Country = 'France';\n```")],
    });
    const result = await generateSql({ model, source, question: "French singers?" });
    expect(result.sql).toBe("SELECT Name FROM singer WHERE Country = 'France'");
    expect(model.calls).toHaveLength(1);
  });
});

describe("askData on files loaded into DuckDB", () => {
  it("names DuckDB in the prompt and runs on the loaded CSV", async () => {
    const csv = join(dir, "sales.csv");
    writeFileSync(csv, "region,amount\nNorth,10\nSouth,25\nNorth,5\n");
    const duck = await openDataSource({ file: csv });
    try {
      const [table] = await duck.tables();
      const name = table?.name ?? "";
      const model = createMockLanguageModel({
        reply: [
          sqlReply(`SELECT region, sum(amount) AS total FROM ${name} GROUP BY region ORDER BY total DESC`),
          "South.",
        ],
      });
      const result = await askData({ model, source: duck, question: "Which region sold most?" });
      expect(sent(model.calls[0])).toContain("DuckDB");
      expect(result.rows.map((r) => [r[0], Number(r[1])])).toEqual([
        ["South", 25],
        ["North", 15],
      ]);
    } finally {
      await duck.close();
    }
  });
});
