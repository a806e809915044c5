import { describe, expect, it } from "vitest";
import { doubleQuotedStringsToSingle, executionMatch, hasOrderBy } from "../../../src/data/ask-execution-match.js";

describe("executionMatch", () => {
  it("compares rows as multisets unless ordered", () => {
    const gold = [
      [1, "a"],
      [2, "b"],
    ];
    expect(
      executionMatch(gold, [
        [2, "b"],
        [1, "a"],
      ]),
    ).toEqual({ match: true });
    expect(
      executionMatch(
        gold,
        [
          [2, "b"],
          [1, "a"],
        ],
        { ordered: true },
      ),
    ).toMatchObject({ match: false });
    expect(
      executionMatch(
        gold,
        [
          [1, "a"],
          [2, "b"],
        ],
        { ordered: true },
      ),
    ).toEqual({ match: true });
  });

  it("counts duplicates: a multiset, not a set", () => {
    expect(executionMatch([[1], [1], [2]], [[1], [2], [2]])).toMatchObject({ match: false });
    expect(executionMatch([[1], [1]], [[1]])).toEqual({ match: false, reason: "2 row(s) expected, got 1" });
  });

  it("accepts the predicted columns in another order, but not other values", () => {
    const gold = [
      ["Joe", 52],
      ["Ann", 29],
    ];
    expect(
      executionMatch(gold, [
        [29, "Ann"],
        [52, "Joe"],
      ]),
    ).toEqual({ match: true });
    expect(
      executionMatch(gold, [
        [29, "Joe"],
        [52, "Ann"],
      ]),
    ).toMatchObject({ match: false });
    expect(
      executionMatch(
        gold,
        [
          [52, "Joe"],
          [29, "Ann"],
        ],
        { anyColumnOrder: false },
      ),
    ).toMatchObject({
      match: false,
    });
  });

  it("pairs columns with equal value sets by trying the orders", () => {
    // Both columns hold {1, 2}: only the swapped order gives the gold rows.
    expect(
      executionMatch(
        [
          [1, 2],
          [2, 1],
          [1, 1],
        ],
        [
          [2, 1],
          [1, 2],
          [1, 1],
        ],
      ),
    ).toEqual({ match: true });
    expect(
      executionMatch(
        [
          [1, 2],
          [1, 2],
        ],
        [
          [1, 2],
          [2, 1],
        ],
      ),
    ).toMatchObject({ match: false });
  });

  it("compares numbers within a relative tolerance and numeric strings as numbers", () => {
    expect(executionMatch([[0.1 + 0.2]], [[0.3]])).toEqual({ match: true });
    expect(executionMatch([[33.333333333]], [[33.3333333331]])).toEqual({ match: true });
    expect(executionMatch([[33.33]], [[33.34]])).toMatchObject({ match: false });
    expect(executionMatch([["9007199254740993"]], [[9007199254740992]])).toEqual({ match: true });
    expect(executionMatch([[1]], [[true]])).toEqual({ match: true });
    expect(executionMatch([["1"]], [["01x"]])).toMatchObject({ match: false });
    expect(executionMatch([[33.33]], [[33.34]], { tolerance: 0.01 })).toEqual({ match: true });
  });

  it("tells NULL from zero and from the string 'null'", () => {
    expect(executionMatch([[null]], [[0]])).toMatchObject({ match: false });
    expect(executionMatch([[null]], [["null"]])).toMatchObject({ match: false });
    expect(executionMatch([[null]], [[null]])).toEqual({ match: true });
  });

  it("needs the same number of columns", () => {
    expect(executionMatch([[1, 2]], [[1]])).toEqual({ match: false, reason: "2 column(s) expected, got 1" });
    expect(executionMatch([], [])).toEqual({ match: true });
    expect(executionMatch([], [[1]])).toMatchObject({ match: false });
  });
});

describe("hasOrderBy", () => {
  it("finds ORDER BY outside strings and comments", () => {
    expect(hasOrderBy("SELECT name FROM singer ORDER BY age DESC")).toBe(true);
    expect(hasOrderBy("select name from singer order\n  by age")).toBe(true);
    expect(hasOrderBy("SELECT 'order by' AS x FROM t")).toBe(false);
    expect(hasOrderBy("SELECT x FROM t -- order by x")).toBe(false);
    expect(hasOrderBy('SELECT "order by" FROM t')).toBe(false);
    expect(hasOrderBy("SELECT border_by FROM t")).toBe(false);
  });
});

describe("doubleQuotedStringsToSingle", () => {
  const ids = new Set(["singer", "Name", "Citizenship"]);
  it("turns double-quoted literals into strings and leaves identifiers", () => {
    expect(doubleQuotedStringsToSingle('SELECT "Name" FROM singer WHERE Citizenship != "France"', ids)).toBe(
      "SELECT \"Name\" FROM singer WHERE Citizenship != 'France'",
    );
    expect(doubleQuotedStringsToSingle('SELECT * FROM singer WHERE Name LIKE "%O\'Neil%"', ids)).toBe(
      "SELECT * FROM singer WHERE Name LIKE '%O''Neil%'",
    );
    // Single-quoted strings that contain double quotes are left alone.
    expect(doubleQuotedStringsToSingle(`SELECT * FROM singer WHERE Name = 'say "hi"'`, ids)).toBe(
      `SELECT * FROM singer WHERE Name = 'say "hi"'`,
    );
  });
});
