/**
 * A small SQL tokenizer, just precise enough to find statement boundaries, the leading keyword and
 * function calls. It knows each dialect's comments, strings and quoted names (SQLite's block
 * comments do not nest and it quotes with `` ` `` and `[...]`; PostgreSQL and DuckDB nest block
 * comments and have `E'...'` and dollar-quoted strings), so that a `;` or a keyword hidden in a
 * comment or string is seen for what it is. The engines check again; this is the first gate.
 */

import type { SqlDialect } from "../types.js";

export interface SqlToken {
  kind: "word" | "quoted" | "string" | "number" | "param" | "punct";
  /** Words are lower-cased; quoted names are unescaped; punctuation is one character. */
  text: string;
  start: number;
  end: number;
}

export interface TokenizedSql {
  tokens: SqlToken[];
  /** Set when a string, quoted name or block comment is not closed. */
  unterminated?: "string" | "quoted name" | "comment";
  /** PostgreSQL/DuckDB `U&'...'` or `U&"..."`: escapes that can spell any name. */
  unicodeEscape?: boolean;
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;
const DOLLAR_TAG = /^\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/u;

/** Splits SQL into tokens, skipping whitespace and comments. */
export function tokenizeSql(sql: string, dialect: SqlDialect): TokenizedSql {
  const tokens: SqlToken[] = [];
  const pgLike = dialect !== "sqlite";
  let unicodeEscape = false;
  let i = 0;
  const n = sql.length;
  const push = (kind: SqlToken["kind"], text: string, start: number, end: number) => {
    tokens.push({ kind, text, start, end });
  };

  while (i < n) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "-" && next === "-") {
      const eol = sql.indexOf("\n", i);
      i = eol === -1 ? n : eol + 1;
    } else if (ch === "/" && next === "*") {
      const end = skipBlockComment(sql, i, pgLike);
      if (end < 0) return { tokens, unterminated: "comment", unicodeEscape };
      i = end;
    } else if (ch === "'") {
      const end = skipQuoted(sql, i, "'", false);
      if (end < 0) return { tokens, unterminated: "string", unicodeEscape };
      push("string", sql.slice(i + 1, end - 1), i, end);
      i = end;
    } else if (ch === '"' || (dialect === "sqlite" && ch === "`")) {
      const end = skipQuoted(sql, i, ch, false);
      if (end < 0) return { tokens, unterminated: "quoted name", unicodeEscape };
      push("quoted", sql.slice(i + 1, end - 1).replaceAll(ch + ch, ch), i, end);
      i = end;
    } else if (dialect === "sqlite" && ch === "[") {
      const close = sql.indexOf("]", i + 1);
      if (close < 0) return { tokens, unterminated: "quoted name", unicodeEscape };
      push("quoted", sql.slice(i + 1, close), i, close + 1);
      i = close + 1;
    } else if (ch === "$" && pgLike && DOLLAR_TAG.test(sql.slice(i, i + 66))) {
      const tag = (DOLLAR_TAG.exec(sql.slice(i, i + 66)) as RegExpExecArray)[0];
      const close = sql.indexOf(tag, i + tag.length);
      if (close < 0) return { tokens, unterminated: "string", unicodeEscape };
      push("string", sql.slice(i + tag.length, close), i, close + tag.length);
      i = close + tag.length;
    } else if (
      (ch === "$" || ch === "?" || ch === ":" || ch === "@") &&
      next !== undefined &&
      /[\p{L}\p{N}_]/u.test(next)
    ) {
      // Parameters: $1, ?1, :name, @name, $name. A lone `:` (casts `::`) falls through to punctuation.
      if (ch === ":" && sql[i - 1] === ":") {
        push("punct", ch, i, i + 1);
        i++;
        continue;
      }
      let end = i + 1;
      while (end < n && WORD_PART.test(sql[end] as string)) end++;
      push("param", sql.slice(i, end), i, end);
      i = end;
    } else if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < n && WORD_PART.test(sql[end] as string)) end++;
      const word = sql.slice(i, end).toLowerCase();
      if (pgLike && word === "e" && sql[end] === "'") {
        const close = skipQuoted(sql, end, "'", true);
        if (close < 0) return { tokens, unterminated: "string", unicodeEscape };
        push("string", sql.slice(end + 1, close - 1), i, close);
        i = close;
        continue;
      }
      if (pgLike && word === "u" && sql[end] === "&" && (sql[end + 1] === "'" || sql[end + 1] === '"')) {
        unicodeEscape = true;
      }
      push("word", word, i, end);
      i = end;
    } else if (/[0-9]/.test(ch) || (ch === "." && next !== undefined && /[0-9]/.test(next))) {
      let end = i + 1;
      while (end < n && /[0-9a-zA-Z_.]/.test(sql[end] as string)) end++;
      push("number", sql.slice(i, end), i, end);
      i = end;
    } else {
      push("punct", ch, i, i + 1);
      i++;
    }
  }
  return { tokens, unicodeEscape };
}

/** Returns the index after the comment that starts at `start`, or -1 when it is not closed. */
function skipBlockComment(sql: string, start: number, nested: boolean): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === "/" && sql[i + 1] === "*") {
      depth = nested ? depth + 1 : 1;
      i += 2;
    } else if (sql[i] === "*" && sql[i + 1] === "/") {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return -1;
}

/** Returns the index after the closing quote (doubled quotes escape it), or -1 when it is not closed. */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === "\\") {
      i += 2;
    } else if (ch === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return -1;
}
