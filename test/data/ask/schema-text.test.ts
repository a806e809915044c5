import { describe, expect, it } from "vitest";
import { quoteIdentifier, schemaForPrompt } from "../../../src/data/schema-text.js";
import type { ColumnProfile, SchemaProfile, TableProfile } from "../../../src/data/types.js";

function column(name: string, type: string, extra: Partial<ColumnProfile> = {}): ColumnProfile {
  return { name, type, nullShare: 0, distinctCount: 3, samples: [], ...extra };
}

const concerts: SchemaProfile = {
  dialect: "sqlite",
  tables: [
    {
      name: "singer",
      rowCount: 6,
      primaryKey: ["Singer_ID"],
      columns: [
        column("Singer_ID", "INTEGER", { distinctCount: 6, min: 1, max: 6 }),
        column("Name", "TEXT", { distinctCount: 6, samples: ["Joe Sharp", "Timbaland", "O'Neil"] }),
        column("Country", "TEXT", { nullShare: 0.25, samples: ["France", "Netherlands", "United States"] }),
        column("Age", "INTEGER", { distinctCount: 6, min: 25, max: 52 }),
      ],
    },
    {
      name: "concert",
      rowCount: 6,
      primaryKey: ["concert_ID"],
      columns: [
        column("concert_ID", "INTEGER", { distinctCount: 6, min: 1, max: 6 }),
        column("concert_Name", "TEXT", { distinctCount: 2, samples: ["Auditions", "Super bootcamp"] }),
        column("Year", "TEXT", { samples: ["2014", "2015"] }),
      ],
    },
    {
      name: "singer_in_concert",
      rowCount: 10,
      primaryKey: ["concert_ID", "Singer_ID"],
      foreignKeys: [
        { columns: ["concert_ID"], references: { table: "concert", columns: ["concert_ID"] } },
        { columns: ["Singer_ID"], references: { table: "singer", columns: ["Singer_ID"] } },
      ],
      columns: [column("concert_ID", "INTEGER"), column("Singer_ID", "INTEGER")],
    },
  ],
};

/** A wide schema: `n` unrelated tables of 12 columns each, plus the concert tables. */
function wide(n: number): SchemaProfile {
  const filler: TableProfile[] = Array.from({ length: n }, (_, i) => ({
    name: `ledger_${i}`,
    rowCount: 1000,
    columns: Array.from({ length: 12 }, (_, j) =>
      column(`amount_${j}`, "REAL", { distinctCount: 900, min: 0, max: 99999.5 }),
    ),
  }));
  return { dialect: "sqlite", tables: [...filler, ...concerts.tables] };
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe("schemaForPrompt", () => {
  it("writes CREATE TABLE blocks with keys, null shares, ranges and exact sample literals", async () => {
    const { text, detail, tables, tokens } = await schemaForPrompt(concerts, { tokenBudget: 2000 });
    expect(detail).toBe("full");
    expect(tables).toEqual(["singer", "concert", "singer_in_concert"]);
    expect(tokens).toBeLessThanOrEqual(2000);
    expect(text).toContain("SQLite database, 3 tables");
    expect(text).toContain("CREATE TABLE singer ( -- 6 rows");
    expect(text).toContain("Singer_ID INTEGER PRIMARY KEY, -- 6 distinct, 1 to 6");
    expect(text).toContain("'O''Neil'");
    expect(text).toContain("25% null");
    // All distinct values listed: said as "values", so the model can use the exact spelling.
    expect(text).toContain("values 'Auditions', 'Super bootcamp'");
    expect(text).toContain("PRIMARY KEY (concert_ID, Singer_ID)");
    expect(text).toContain("FOREIGN KEY (Singer_ID) REFERENCES singer(Singer_ID)");
    // "Year" is reserved in no dialect; "order" is.
    expect(text).toContain("  Year TEXT");
  });

  it("counts with gpt-tokenizer by default", async () => {
    const { text, tokens } = await schemaForPrompt(concerts, { tokenBudget: 2000 });
    const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
    expect(tokens).toBe(countTokens(text));
  });

  it("drops detail before dropping tables", async () => {
    const full = await schemaForPrompt(concerts, { tokenBudget: 5000, countTokens: words });
    const brief = await schemaForPrompt(concerts, { tokenBudget: full.tokens - 1, countTokens: words });
    expect(brief.detail).not.toBe("full");
    expect(brief.tables).toHaveLength(3);
    expect(brief.tokens).toBeLessThan(full.tokens);
  });

  it("keeps the tables the question is about in a wide schema, with the bridge table for the join", async () => {
    const profile = wide(40);
    const all = await schemaForPrompt(profile, { tokenBudget: 100_000, countTokens: words });
    const budget = 400;
    expect(all.tokens).toBeGreaterThan(budget * 5);
    const picked = await schemaForPrompt(profile, {
      question: "Show the names of singers who performed in concerts in 2014",
      tokenBudget: budget,
      countTokens: words,
    });
    expect(picked.detail).toBe("selected");
    expect(picked.tokens).toBeLessThanOrEqual(budget);
    expect(picked.tables).toEqual(expect.arrayContaining(["singer", "concert", "singer_in_concert"]));
    expect(picked.omittedTables.length).toBeGreaterThan(30);
    expect(picked.text).toContain("CREATE TABLE singer_in_concert");
    expect(picked.text).toMatch(/more tables not shown: ledger_/);
  });

  it("keeps key columns and the relevant columns of a table too wide for the budget", async () => {
    const columns = [
      column("well_id", "INTEGER"),
      ...Array.from({ length: 60 }, (_, j) => column(`sensor_reading_${j}`, "DOUBLE", { min: 0, max: 1 })),
      column("BORE_OIL_VOL", "DOUBLE", { min: 0, max: 5000 }),
    ];
    const profile: SchemaProfile = {
      dialect: "duckdb",
      tables: [{ name: "production", rowCount: 100, columns }],
    };
    const picked = await schemaForPrompt(profile, {
      question: "What is the average oil volume per well?",
      tokenBudget: 120,
      countTokens: words,
    });
    expect(picked.tables).toEqual(["production"]);
    expect(picked.text).toContain("well_id INTEGER");
    expect(picked.text).toContain("BORE_OIL_VOL DOUBLE");
    expect(picked.omittedColumns).toBeGreaterThan(0);
    expect(picked.text).toMatch(/-- \d+ more columns not shown/);
    expect(picked.tokens).toBeLessThanOrEqual(120);
  });

  it("without a question keeps the profile's order when selecting", async () => {
    const picked = await schemaForPrompt(wide(40), { tokenBudget: 300, countTokens: words });
    expect(picked.tables[0]).toBe("ledger_0");
    expect(picked.tokens).toBeLessThanOrEqual(300);
  });
});

describe("quoteIdentifier", () => {
  it("quotes what the dialect would not read back as written", () => {
    expect(quoteIdentifier("Name", "sqlite")).toBe("Name");
    expect(quoteIdentifier("Name", "postgres")).toBe('"Name"');
    expect(quoteIdentifier("name", "postgres")).toBe("name");
    expect(quoteIdentifier("On Stream", "duckdb")).toBe('"On Stream"');
    expect(quoteIdentifier("order", "duckdb")).toBe('"order"');
    expect(quoteIdentifier('say "hi"', "duckdb")).toBe('"say ""hi"""');
  });
});
