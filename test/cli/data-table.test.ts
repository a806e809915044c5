import { describe, expect, it } from "vitest";
import { displayWidth, fitWidth, tableText } from "../../src/cli/data-table.js";

describe("tableText", () => {
  it("aligns columns, numbers to the right, NULL spelled out", () => {
    const text = tableText(
      ["name", "age", "note"],
      [
        ["Ann", 29, null],
        ["Josephine", 101.5, "ok"],
        ["Bo", "7", "x"],
      ],
    );
    expect(text.split("\n")).toEqual([
      "name         age  note",
      "─────────  ─────  ────",
      "Ann           29  NULL",
      "Josephine  101.5  ok",
      "Bo             7  x",
    ]);
  });

  it("cuts long cells and flattens line breaks", () => {
    const text = tableText(["t"], [["line one\nline two is long"]], { maxColumnWidth: 12 });
    expect(text.split("\n")[2]).toBe("line one li…");
  });

  it("counts wide characters as two columns", () => {
    expect(displayWidth("日本")).toBe(4);
    expect(displayWidth("e\u0301")).toBe(1);
    const text = tableText(
      ["city", "n"],
      [
        ["東京", 1],
        ["Oslo", 22],
      ],
    );
    expect(text.split("\n").slice(2)).toEqual(["東京   1", "Oslo  22"]);
    expect(fitWidth("東京都庁", 5)).toBe("東京…");
  });
});
