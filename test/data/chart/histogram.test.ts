import { describe, expect, it } from "vitest";
import { binValues, histogramSpec } from "../../../src/data/chart/histogram.js";
import { InvalidArgumentError } from "../../../src/spec/errors.js";
import { result, seeded } from "./helpers.js";

/** Counts by brute force: [start, end), with the last bin closed when `closedEnd`. */
function bruteCount(values: number[], bins: Array<{ start: number; end: number }>, closedEnd: boolean): number[] {
  return bins.map(
    (b, i) =>
      values.filter((v) => v >= b.start && (v < b.end || (closedEnd && i === bins.length - 1 && v <= b.end))).length,
  );
}

describe("binValues", () => {
  it("puts every value in the bin whose range holds it, in at most the requested number of bins", () => {
    const random = seeded(7);
    const values = Array.from({ length: 5000 }, () => random() * 87.3 - 12.1);
    for (const maxBins of [3, 10, 20, 64]) {
      const { bins, step } = binValues(values, maxBins);
      expect(bins.length).toBeLessThanOrEqual(maxBins);
      expect(bins.length).toBeGreaterThan(0);
      expect(bins[0]?.start).toBeLessThanOrEqual(-12.1);
      expect(bins.at(-1)?.end).toBeGreaterThanOrEqual(Math.max(...values));
      // Edges are 1, 2 or 5 times a power of ten apart.
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      expect([1, 2, 5]).toContainEqual(Number(mantissa.toPrecision(6)));
      expect(bins.map((b) => b.count)).toEqual(bruteCount(values, bins, true));
    }
  });

  it("falls back to equal bins from the minimum when round edges cannot fit", () => {
    // Any round step puts a range across zero into at least two bins.
    expect(binValues([-12.5, 0, 75], 1).bins).toEqual([{ start: -12.5, end: 75, count: 3 }]);
    expect(binValues([-5, 0, 5], 1).bins).toEqual([{ start: -5, end: 6, count: 3 }]);
  });

  it("gives integers whole-number bins, the largest value in a bin of its own", () => {
    const ratings = [1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5];
    const { bins, step } = binValues(ratings, 10);
    expect(step).toBe(1);
    expect(bins).toEqual([
      { start: 1, end: 2, count: 1 },
      { start: 2, end: 3, count: 2 },
      { start: 3, end: 4, count: 3 },
      { start: 4, end: 5, count: 4 },
      { start: 5, end: 6, count: 5 },
    ]);
  });

  it("keeps decimal edges exact (0.3 belongs to [0.3, 0.4))", () => {
    const values = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    const { bins } = binValues(values, 10);
    expect(bins.map((b) => b.start)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it("puts identical values in one bin", () => {
    expect(binValues([7.25, 7.25, 7.25], 20).bins).toEqual([{ start: 7.2, end: 7.3, count: 3 }]);
    expect(binValues([3, 3], 20).bins).toEqual([{ start: 3, end: 4, count: 2 }]);
  });

  it("counts nulls and non-numbers apart, and reads numeric strings", () => {
    const binned = binValues([null, "4", 5, "five", null, "6.0", true], 5);
    expect(binned.nulls).toBe(2);
    expect(binned.invalid).toBe(2);
    expect(binned.bins.reduce((n, b) => n + b.count, 0)).toBe(3);
  });
});

describe("histogramSpec", () => {
  it("writes a binned bar chart with one row per bin", () => {
    const values = Array.from({ length: 15_000 }, (_, i) => i % 100);
    const spec = histogramSpec({ values, field: "latency_ms", bins: 10 });
    const data = (spec.data as { values: Array<{ bin_start: number; bin_end: number; count: number }> }).values;
    expect(data).toHaveLength(10);
    expect(data.every((b) => b.count === 1500)).toBe(true);
    expect(data[0]).toEqual({ bin_start: 0, bin_end: 10, count: 1500 });
    expect(spec.mark).toMatchObject({ type: "bar" });
    expect(spec.encoding?.x).toMatchObject({
      field: "bin_start",
      bin: { binned: true, step: 10 },
      title: "Latency ms",
    });
    expect(spec.encoding?.x2).toEqual({ field: "bin_end" });
    expect(spec.title).toBe("Distribution of Latency ms");
  });

  it("excludes nulls and reports them in the subtitle", () => {
    const spec = histogramSpec({ values: [1, 2, null, 3, null, "x"], field: "v", title: "Values" });
    expect(spec.title).toEqual({ text: "Values", subtitle: "2 null values and 1 non-numeric value excluded" });
    const data = (spec.data as { values: Array<{ count: number }> }).values;
    expect(data.reduce((n, b) => n + b.count, 0)).toBe(3);
    expect(histogramSpec({ values: [1, null, 3], field: "v" }).title).toEqual({
      text: "Distribution of V",
      subtitle: "1 null value excluded",
    });
  });

  it("takes a column from a query result, case-insensitively", () => {
    const input = result(
      [
        ["name", "TEXT"],
        ["Price", "DECIMAL(10,2)"],
      ],
      [
        ["a", "1.50"],
        ["b", "2.50"],
        ["c", null],
      ],
    );
    const spec = histogramSpec({ result: input, field: "price", bins: 2 });
    const data = (spec.data as { values: Array<{ count: number }> }).values;
    expect(data.reduce((n, b) => n + b.count, 0)).toBe(2);
    expect(spec.title).toMatchObject({ subtitle: "1 null value excluded" });
  });

  it("rejects bad input with a message that says what to do", () => {
    const input = result([["name", "TEXT"]], [["a"]]);
    expect(() => histogramSpec({ result: input, field: "price" })).toThrow(/no column 'price'.*columns are: name/);
    expect(() => histogramSpec({ values: ["a", null], field: "name" })).toThrow(/no numeric values/);
    expect(() => histogramSpec({ values: [1], field: "v", bins: 0 })).toThrow(InvalidArgumentError);
    expect(() => histogramSpec({ values: [1], field: "v", bins: 2.5 })).toThrow(/whole number/);
    expect(() => histogramSpec({ field: "v" })).toThrow(/pass values/);
    expect(() => histogramSpec({ values: [1], result: input, field: "v" })).toThrow(/not both/);
  });
});
