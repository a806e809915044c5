import { describe, expect, it } from "vitest";
import { bigintCell, floatCell, isoTimestamp, numericCell, shortText } from "../../../src/data/sources/cells.js";

describe("cells", () => {
  it("keeps decimal text that a double cannot hold exactly", () => {
    expect(numericCell("42")).toBe(42);
    expect(numericCell("-0.50")).toBe(-0.5);
    expect(numericCell("9007199254740991")).toBe(9007199254740991);
    expect(numericCell("9007199254740993")).toBe("9007199254740993");
    expect(numericCell("123456789012345.6")).toBe("123456789012345.6");
    expect(numericCell("12345678901234.5")).toBe(12345678901234.5);
    expect(numericCell("100.000")).toBe(100);
    expect(numericCell("NaN")).toBe("NaN");
    expect(bigintCell(-(2n ** 63n))).toBe("-9223372036854775808");
    expect(bigintCell(-42n)).toBe(-42);
    expect(floatCell(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
  });

  it("writes timestamps as ISO 8601", () => {
    expect(isoTimestamp("2020-01-02 03:04:05")).toBe("2020-01-02T03:04:05");
    expect(isoTimestamp("2020-01-02 03:04:05.123456+00")).toBe("2020-01-02T03:04:05.123456Z");
    expect(isoTimestamp("2020-01-02 03:04:05+05:30")).toBe("2020-01-02T03:04:05+05:30");
    expect(isoTimestamp("2020-01-02 03:04:05-08")).toBe("2020-01-02T03:04:05-08:00");
    expect(isoTimestamp("infinity")).toBe("infinity");
  });

  it("cuts long text to 40 characters, counting characters rather than UTF-16 units", () => {
    expect(shortText("short")).toBe("short");
    const cut = shortText("é".repeat(50));
    expect(Array.from(cut)).toHaveLength(40);
    expect(cut.endsWith("…")).toBe(true);
    expect(Array.from(shortText("😀".repeat(41)))).toHaveLength(40);
  });
});
