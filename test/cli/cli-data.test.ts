import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";
import { noLocalServers, repoRoot, runWeft, STACK_LINE, tempDir } from "./run-weft.js";

const KEY = "sk-test-data-key";
const PNG_MAGIC = "89504e470d0a1a0a";
let server: FakeOpenAIServer;
let env: Record<string, string>;
let offline: Record<string, string>;
let cwd: string;
let db: string;
let csv: string;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: KEY });
  offline = await noLocalServers();
  env = { ...offline, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
  cwd = tempDir("weft-cli-data-");
  db = join(cwd, "concerts.sqlite");
  const sqlite = new Database(db);
  sqlite.exec(`
    CREATE TABLE singer (Singer_ID INTEGER PRIMARY KEY, Name TEXT, Country TEXT, Age INTEGER);
    INSERT INTO singer VALUES (1,'Joe Sharp','Netherlands',52),(2,'Timbaland','United States',32),
      (3,'Justin Brown','France',29),(4,'Rose White','France',41),(5,'John Nizinik','France',43),
      (6,'Tribal King','France',25);`);
  sqlite.close();
  csv = join(cwd, "measurements.csv");
  const lines = ["station,reading"];
  for (let i = 0; i < 60; i++) lines.push(`${i % 3 === 0 ? "north" : "south"},${((i * 37) % 100) / 4}`);
  writeFileSync(csv, `${lines.join("\n")}\n`);
});
afterAll(() => server.close());

/** An expected failure: one `error:` line, no stack trace. */
function expectCleanError(r: { code: number | null; stderr: string; stdout: string }, code = 1) {
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(/^error: /);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stdout).toBe("");
}

describe("weft data schema", () => {
  it("profiles a SQLite file as a table per table", async () => {
    const r = await runWeft(["data", "schema", "--db", db], { cwd, env: offline });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("singer  (6 rows)");
    expect(r.stdout).toMatch(/Singer_ID \(key\)\s+INTEGER/);
    expect(r.stdout).toMatch(/Age\s+INTEGER\s+0%\s+6\s+25\s+52/);
  });

  it("prints the profile as JSON", async () => {
    const r = await runWeft(["data", "schema", "--file", csv, "--json"], { cwd, env: offline });
    expect(r.code).toBe(0);
    const profile = JSON.parse(r.stdout);
    expect(profile.dialect).toBe("duckdb");
    expect(profile.tables).toHaveLength(1);
    expect(profile.tables[0].rowCount).toBe(60);
    expect(profile.tables[0].columns.map((c: { name: string }) => c.name)).toEqual(["station", "reading"]);
  });
});

describe("weft data sql", () => {
  it("prints an aligned table with numbers to the right", async () => {
    const r = await runWeft(["data", "sql", "SELECT Name, Age FROM singer WHERE Age > 40 ORDER BY Age", "--db", db], {
      cwd,
      env: offline,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Name\s+Age$/);
    expect(lines.slice(2, 5)).toEqual(["Rose White     41", "John Nizinik   43", "Joe Sharp      52"]);
    expect(lines.at(-1)).toBe("(3 rows)");
  });

  it("gives sql, columns, rows, answer and chart as JSON", async () => {
    const r = await runWeft(["data", "sql", "SELECT count(*) AS n FROM singer", "--db", db, "--json"], {
      cwd,
      env: offline,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["sql", "columns", "rows", "answer", "chart"]);
    expect(out.rows).toEqual([[6]]);
    expect(out.columns[0].name).toBe("n");
    expect(out.answer).toBeNull();
    expect(out.chart).toBeNull();
  });

  it("says when rows were cut at --max-rows", async () => {
    const r = await runWeft(["data", "sql", "SELECT Name FROM singer", "--db", db, "--max-rows", "2"], {
      cwd,
      env: offline,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("2 rows shown; more exist");
  });

  const hostile: Array<[string, string[]]> = [
    ["a DROP", ["DROP TABLE singer", "--db"]],
    ["a DELETE after a SELECT", ["SELECT 1; DELETE FROM singer", "--db"]],
    ["a file-reading function", ["SELECT * FROM read_csv('/etc/passwd')", "--file"]],
    ["COPY", ["COPY (SELECT 1) TO '/tmp/weft-copy.csv'", "--file"]],
  ];
  for (const [what, [sql, flag]] of hostile) {
    it(`refuses ${what} with one line and exit 1`, async () => {
      const r = await runWeft(["data", "sql", sql as string, flag as string, flag === "--db" ? db : csv], {
        cwd,
        env: offline,
      });
      expectCleanError(r);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
  }

  it("left the database as it was", async () => {
    const r = await runWeft(["data", "sql", "SELECT count(*) AS n FROM singer", "--db", db, "--json"], {
      cwd,
      env: offline,
    });
    expect(JSON.parse(r.stdout).rows).toEqual([[6]]);
    expect(existsSync("/tmp/weft-copy.csv")).toBe(false);
  });
});

describe("weft data flags", () => {
  const bad: Array<[string, string[], RegExp]> = [
    ["both sources", ["data", "sql", "SELECT 1", "--db", "x.sqlite", "--file", "x.csv"], /either --file or --db/],
    ["no source", ["data", "schema"], /Name the data/],
    ["a chart without --out", ["data", "chart", "--histogram", "reading", "--file", "m.csv"], /--out is required/],
    ["an unknown chart format", ["data", "chart", "--histogram", "x", "--file", "m.csv", "--out", "x.gif"], /\.svg/],
    [
      "both --histogram and --sql",
      ["data", "chart", "--histogram", "x", "--sql", "SELECT 1", "--out", "x.svg"],
      /either/,
    ],
    ["a bad --max-rows", ["data", "sql", "SELECT 1", "--db", "x.sqlite", "--max-rows", "lots"], /--max-rows must be/],
    ["an empty question", ["data", "ask", " ", "--db", "x.sqlite"], /question is empty/],
  ];
  for (const [what, args, message] of bad) {
    it(`exits 2 on ${what}`, async () => {
      const r = await runWeft(args, { cwd, env: offline });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_LINE);
    });
  }

  it("names the columns when --histogram's column does not exist", async () => {
    const r = await runWeft(["data", "chart", "--file", csv, "--histogram", "temp", "--out", "t.svg"], {
      cwd,
      env: offline,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no column 'temp'");
    expect(r.stderr).toContain("station, reading");
  });

  it("says a missing file is missing", async () => {
    const r = await runWeft(["data", "schema", "--file", join(cwd, "nope.csv")], { cwd, env: offline });
    expectCleanError(r);
    expect(r.stderr).toContain("nope.csv");
  });

  it("has help for every subcommand", async () => {
    const r = await runWeft(["data", "--help"], { cwd, env: offline });
    expect(r.code).toBe(0);
    for (const sub of ["ask", "schema", "sql", "chart"]) expect(r.stdout).toContain(sub);
    const ask = await runWeft(["data", "ask", "--help"], { cwd, env: offline });
    expect(ask.stdout).toContain("--chart <out>");
    expect(ask.stdout).toContain("weft data sql");
  });
});

describe("weft data chart", () => {
  it("draws a histogram as SVG", async () => {
    const r = await runWeft(["data", "chart", "--file", csv, "--histogram", "reading", "--out", "reading.svg"], {
      cwd,
      env: offline,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("histogram of reading in");
    const svg = readFileSync(join(cwd, "reading.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("Distribution of");
  });

  it("draws a query's chart as PNG, with --bins bounded", async () => {
    const r = await runWeft(
      [
        "data",
        "chart",
        "--file",
        csv,
        "--sql",
        "SELECT station, avg(reading) AS mean_reading FROM measurements GROUP BY station",
        "--out",
        "stations.png",
      ],
      { cwd, env: offline },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const png = readFileSync(join(cwd, "stations.png"));
    expect(png.subarray(0, 8).toString("hex")).toBe(PNG_MAGIC);
    expect(png.length).toBeGreaterThan(1000);
  });

  it("refuses a result that suits no chart", async () => {
    const r = await runWeft(["data", "chart", "--db", db, "--sql", "SELECT count(*) FROM singer", "--out", "c.svg"], {
      cwd,
      env: offline,
    });
    expectCleanError(r);
    expect(r.stderr).toContain("does not suit a chart");
  });
});

describe("weft data ask", () => {
  it("prints the JSON shape with the model's SQL, the rows, the answer and a chart", async () => {
    server.enqueue(
      {
        text: JSON.stringify({
          sql: "SELECT Country, count(*) AS singers FROM singer GROUP BY Country ORDER BY singers DESC, Country",
          chart: { mark: "bar", x: "Country", y: "singers", color: null, title: "Singers per country" },
        }),
      },
      { text: "France has the most singers, four of six." },
    );
    const r = await runWeft(
      [
        "data",
        "ask",
        "How many singers per country?",
        "--db",
        db,
        "--model",
        "openai:gpt-4o-mini",
        "--chart",
        "c.svg",
        "--json",
      ],
      { cwd, env },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["sql", "columns", "rows", "answer", "chart"]);
    expect(out.rows).toEqual([
      ["France", 4],
      ["Netherlands", 1],
      ["United States", 1],
    ]);
    expect(out.answer).toBe("France has the most singers, four of six.");
    expect(out.chart.title).toBe("Singers per country");
    expect(readFileSync(join(cwd, "c.svg"), "utf8")).toMatch(/^<svg/);
    const [sqlCall, answerCall] = server.requests.slice(-2).map((q) => q.body);
    expect(sqlCall.response_format.type).toBe("json_schema");
    expect(JSON.stringify(sqlCall.messages)).toContain("CREATE TABLE singer");
    expect(JSON.stringify(answerCall.messages)).toContain("France | 4");
  });

  it("repairs rejected SQL and prints SQL, table and answer", async () => {
    server.enqueue(
      { text: JSON.stringify({ sql: "DELETE FROM singer" }) },
      { text: JSON.stringify({ sql: "SELECT avg(Age) AS mean_age FROM singer" }) },
      { text: "The average age is about 37." },
    );
    const own = tempDir("weft-cli-data-ask-");
    const r = await runWeft(["data", "ask", "Average age?", "--db", db, "--model", "openai:gpt-4o-mini"], {
      cwd: own,
      env,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("SQL:\n  SELECT avg(Age) AS mean_age FROM singer");
    expect(r.stdout).toMatch(/mean_age\n─+\n\s+37\n\(1 row\)/);
    expect(r.stdout).toContain("The average age is about 37.");
    expect(r.stderr).toContain("1 query attempt(s) were rejected");
    const repair = server.requests.at(-2)?.body;
    expect(JSON.stringify(repair.messages)).toContain("DELETE FROM singer");
    // Every model call is traced: two SQL attempts and the answer.
    const traces = await runWeft(["traces", "--json", "-n", "10"], { cwd: own, env });
    const recent = JSON.parse(traces.stdout);
    expect(recent).toHaveLength(3);
    expect(recent.every((t: { modelId: string }) => t.modelId === "gpt-4o-mini")).toBe(true);
  });

  it("without a model, fails in one sentence and points at data sql", async () => {
    const r = await runWeft(["data", "ask", "How many singers?", "--db", db], { cwd: tempDir(), env: offline });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: No model is configured/);
    expect(r.stderr).toContain("weft data sql");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

const VOLVE = resolve(repoRoot, "../shared/data/volve-production/Volve production data.xlsx");
const hasVolve = existsSync(VOLVE);
if (!hasVolve) console.warn(`[cli-data] skipping the Volve charts: ${VOLVE} is missing.`);

describe.skipIf(!hasVolve)("weft data chart on the Volve production spreadsheet", () => {
  for (const column of ["BORE_OIL_VOL", "BORE_GAS_VOL", "BORE_WAT_VOL"]) {
    it(`draws the histogram of ${column} as PNG`, async () => {
      const out = `${column}.png`;
      const r = await runWeft(["data", "chart", "--file", VOLVE, "--histogram", column, "--out", out], {
        cwd,
        env: offline,
        timeoutMs: 180_000,
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout.toLowerCase()).toContain(`histogram of ${column.toLowerCase()}`);
      expect(r.stdout).toContain("15,634 rows");
      const png = readFileSync(join(cwd, out));
      expect(png.subarray(0, 8).toString("hex")).toBe(PNG_MAGIC);
      expect(png.length).toBeGreaterThan(5000);
    }, 200_000);
  }

  it("draws the oil histogram by asking, over every row, not the first page", async () => {
    server.enqueue(
      {
        text: JSON.stringify({
          sql: "SELECT bore_oil_vol FROM daily_production_data",
          chart: { mark: "histogram", x: "bore_oil_vol", y: null, color: null, title: "Daily oil volume" },
        }),
      },
      { text: "Most days produced under 500 Sm3 of oil." },
    );
    const r = await runWeft(
      ["data", "ask", "Show the distribution of daily oil volumes", "--file", VOLVE, "--chart", "asked.svg", "--json"],
      { cwd, env, timeoutMs: 180_000 },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toHaveLength(1000);
    const counted = out.chart.data.values.reduce((sum: number, bin: { count: number }) => sum + bin.count, 0);
    expect(counted + 6473).toBe(15_634); // every non-null value of the sheet, as the schema's null share says
    expect(readFileSync(join(cwd, "asked.svg"), "utf8")).toMatch(/^<svg/);
    expect(JSON.stringify(server.requests.at(-2)?.body.messages)).toContain("daily_production_data");
  }, 200_000);
});
