import { describe, expect, it } from "vitest";
import { detectDelimiter } from "../../../src/data/load/csv-source.js";
import { claimName, columnLetters, safeIdentifier } from "../../../src/data/load/identifiers.js";
import { detectHeader } from "../../../src/data/load/xlsx/header.js";
import { inferColumn } from "../../../src/data/load/xlsx/infer-column.js";
import type { Plain, SheetGrid } from "../../../src/data/load/xlsx/read-workbook.js";

describe("safeIdentifier", () => {
  it("makes lowercase snake_case ASCII names that need no quoting", () => {
    const reserved = new Set(["order", "select"]);
    const name = (text: string) => safeIdentifier(text, { fallback: "column", prefix: "c_", reserved });
    expect(name("Monthly Production Data")).toBe("monthly_production_data");
    expect(name("AVG_DOWNHOLE_PRESSURE")).toBe("avg_downhole_pressure");
    expect(name("Ventes été (€)")).toBe("ventes_ete");
    expect(name("MÆRSK Ølfelt")).toBe("maersk_olfelt");
    expect(name("orderDate")).toBe("order_date");
    expect(name("2019")).toBe("c_2019");
    expect(name("Order")).toBe("order_");
    expect(name("%%%")).toBe("column");
    expect(name("x".repeat(80))).toHaveLength(60);
  });

  it("claims unique names case-insensitively", () => {
    const taken = new Set<string>();
    expect(["id", "ID", "id", "id_2"].map((n) => claimName(n, taken))).toEqual(["id", "ID_2", "id_3", "id_2_2"]);
  });

  it("names spreadsheet columns by letter", () => {
    expect([0, 25, 26, 701, 702].map(columnLetters)).toEqual(["a", "z", "aa", "zz", "aaa"]);
  });
});

describe("detectDelimiter", () => {
  it("picks the most frequent delimiter outside quotes on the first line", () => {
    expect(detectDelimiter("a;b;c\n1,5;2;3")).toBe(";");
    expect(detectDelimiter('"x,y";"z"\n')).toBe(";");
    expect(detectDelimiter("a\tb\n")).toBe("\t");
    expect(detectDelimiter("a|b|c")).toBe("|");
    expect(detectDelimiter("single\n1,2,3")).toBe(",");
  });
});

describe("inferColumn", () => {
  const day = (y: number, m: number, d: number, h = 0) => new Date(Date.UTC(y, m - 1, d, h));
  it("picks one type per kind of value", () => {
    expect(inferColumn([1, 2, null, 3]).type).toBe("BIGINT");
    expect(inferColumn([1, 2.5]).type).toBe("DOUBLE");
    expect(inferColumn([2 ** 60]).type).toBe("DOUBLE");
    expect(inferColumn([true, false, null]).type).toBe("BOOLEAN");
    expect(inferColumn([day(2024, 1, 1), day(2024, 2, 1)]).type).toBe("DATE");
    expect(inferColumn([day(2024, 1, 1), day(2024, 2, 1, 6)]).type).toBe("TIMESTAMP");
    expect(inferColumn([new Date(Date.UTC(1899, 11, 30, 8, 30))]).type).toBe("TIME");
    expect(inferColumn(["a", "b"]).type).toBe("VARCHAR");
    expect(inferColumn([null, null]).type).toBe("VARCHAR");
  });

  it("counts numbers stored as text as numbers only next to real numbers", () => {
    expect(inferColumn([1, "2", " 3.5 "]).type).toBe("DOUBLE");
    expect(inferColumn(["0042", "0043"])).toEqual({ type: "VARCHAR", mixed: false });
    expect(inferColumn([1, "two"])).toEqual({ type: "VARCHAR", mixed: true });
    expect(inferColumn([day(2024, 1, 1), "soon"])).toEqual({ type: "VARCHAR", mixed: true });
    expect(inferColumn([true, 1])).toEqual({ type: "VARCHAR", mixed: false });
  });
});

function grid(rows: Array<Array<Plain | null>>, merges: Array<[string, [number, number]]> = []): SheetGrid {
  return { name: "S", rows, mergedFrom: new Map(merges), formulasWithoutResult: 0 };
}

describe("detectHeader", () => {
  it("finds a header below a title and a blank row", () => {
    const layout = detectHeader(
      grid([["Report for 2024", null, null], [], ["Name", "Age", "Joined"], ["Ada", 36, null], ["Bob", 41, "x"]]),
    );
    expect(layout).toMatchObject({ headerRows: [2], bodyStart: 3, skippedAbove: 1 });
    expect(layout?.columns.map((c) => c.parts)).toEqual([["Name"], ["Age"], ["Joined"]]);
  });

  it("skips a title merged across the whole width", () => {
    const layout = detectHeader(
      grid(
        [
          ["Production 2024", null, null],
          ["Well", "Oil", "Gas"],
          ["F-1", 1, 2],
        ],
        [
          ["0,1", [0, 0]],
          ["0,2", [0, 0]],
        ],
      ),
    );
    expect(layout).toMatchObject({ headerRows: [1], bodyStart: 2, skippedAbove: 1 });
  });

  it("adds a units row, but not a first data row of text over a text column", () => {
    const units = detectHeader(
      grid([
        ["Well", "Oil", "Gas"],
        [null, "Sm3", "Sm3"],
        ["F-1", 10, 20],
        ["F-4", 11, null],
      ]),
    );
    expect(units?.headerRows).toEqual([0, 1]);
    expect(units?.columns.map((c) => c.parts)).toEqual([["Well"], ["Oil", "Sm3"], ["Gas", "Sm3"]]);
    const text = detectHeader(
      grid([
        ["Name", "City", "Age"],
        ["Ada", "London", "unknown"],
        ["Bob", "Oslo", 41],
        ["Cy", "Rome", 50],
      ]),
    );
    expect(text?.headerRows).toEqual([0]);
  });

  it("adds sub-headers under a group header merged across columns", () => {
    const layout = detectHeader(
      grid(
        [
          ["Region", "Q1", null],
          [null, "Name", "Code"],
          ["North", "Ann", "A1"],
        ],
        [["0,2", [0, 1]]],
      ),
    );
    expect(layout?.columns.map((c) => c.parts)).toEqual([["Region"], ["Q1", "Name"], ["Q1", "Code"]]);
  });

  it("takes years as column labels in a header with some text", () => {
    const layout = detectHeader(
      grid([
        ["Region", 2019, 2020, 2021],
        ["North", 10, 12, 15],
        ["South", 7, 8, 9],
      ]),
    );
    expect(layout?.headerRows).toEqual([0]);
    expect(layout?.columns.map((c) => c.parts)).toEqual([["Region"], ["2019"], ["2020"], ["2021"]]);
  });

  it("finds no header in a sheet of numbers, and nothing in an empty sheet", () => {
    expect(
      detectHeader(
        grid([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toMatchObject({ headerRows: [], bodyStart: 0 });
    expect(detectHeader(grid([[], [null, null]]))).toBeUndefined();
  });
});
