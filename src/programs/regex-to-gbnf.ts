import { InvalidArgumentError } from "../spec/errors.js";

type Range = readonly [number, number];

type Node =
  | { kind: "literal"; codePoint: number }
  | { kind: "class"; negated: boolean; ranges: Range[] }
  | { kind: "sequence"; items: Node[] }
  | { kind: "alternation"; options: Node[] }
  | { kind: "repeat"; node: Node; min: number; max: number | null };

const MAX_CODE_POINT = 0x10ffff;
const DIGIT: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
// JavaScript's \s: ASCII whitespace, NBSP, the Unicode space separators, line separators and BOM.
const SPACE: Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
// `.` matches anything but line terminators.
const LINE_TERMINATORS: Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

/**
 * Converts a JavaScript regular expression (its source, matched against the whole output) to a
 * GBNF grammar for constrained decoding. Supported: literals and escapes (`\n`, `\x41`, `\u00e9`,
 * `\.`), classes (`[a-z0-9_]`, `[^,]`), `\d \w \s` and their negations, `.`, groups (capturing,
 * `(?:...)` and named), alternation, `? * + {n} {n,} {n,m}` (lazy forms too), and `^`/`$` at the
 * very ends (ignored: the whole output always has to match). Anything else — lookarounds,
 * backreferences, `\b`, inner anchors, Unicode property escapes — throws an InvalidArgumentError
 * naming the construct.
 *
 * @example
 * regexToGbnf("\\d{3}-\\d{4}"); // 'root ::= [0-9]{3} "-" [0-9]{4}'
 */
export function regexToGbnf(pattern: string): string {
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new InvalidArgumentError({
      argument: "pattern",
      message: `The pattern is not a valid JavaScript regular expression: ${(error as Error).message}.`,
    });
  }
  const node = createParser(pattern).parse();
  const body = emit(node).text;
  return `root ::= ${body === "" ? '""' : body}`;
}

/**
 * A GBNF string literal for `text`, with quotes, backslashes and control characters escaped.
 *
 * @example
 * gbnfLiteral('say "hi"\n'); // '"say \\"hi\\"\\n"'
 */
export function gbnfLiteral(text: string): string {
  let out = '"';
  for (const char of text) {
    const codePoint = char.codePointAt(0) as number;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (codePoint < 0x20 || codePoint === 0x7f || (codePoint >= 0xd800 && codePoint <= 0xdfff))
      out += hexEscape(codePoint);
    else out += char;
  }
  return `${out}"`;
}

function unsupported(construct: string, at: number, pattern: string): InvalidArgumentError {
  return new InvalidArgumentError({
    argument: "pattern",
    message: `The pattern /${pattern}/ uses ${construct} at position ${at}, which a grammar cannot express. Supported: literals, escapes, classes like [a-z0-9_] and [^,], \\d \\w \\s, ., groups, alternation, ? * + {n} {n,} {n,m}, and ^ $ at the very ends.`,
  });
}

function createParser(pattern: string) {
  let at = 0;
  const peek = (offset = 0) => pattern[at + offset];
  const fail = (construct: string, position = at) => unsupported(construct, position, pattern);

  function alternation(): Node {
    const options: Node[] = [sequence()];
    while (peek() === "|") {
      at++;
      options.push(sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { kind: "alternation", options };
  }

  function sequence(): Node {
    const items: Node[] = [];
    while (at < pattern.length && peek() !== "|" && peek() !== ")") {
      const atom = atomAt();
      if (atom !== undefined) items.push(quantifier(atom));
    }
    return items.length === 1 ? (items[0] as Node) : { kind: "sequence", items };
  }

  /** Parses one atom; undefined for an end anchor that was skipped. */
  function atomAt(): Node | undefined {
    const c = peek() as string;
    if (c === "^") {
      if (at !== 0) throw fail("the anchor ^ inside the pattern");
      at++;
      return undefined;
    }
    if (c === "$") {
      if (at !== pattern.length - 1) throw fail("the anchor $ inside the pattern");
      at++;
      return undefined;
    }
    if (c === "(") return group();
    if (c === "[") return characterClass();
    if (c === ".") {
      at++;
      return { kind: "class", negated: true, ranges: LINE_TERMINATORS };
    }
    if (c === "\\") return escapeAtom();
    const codePoint = pattern.codePointAt(at) as number;
    at += codePoint > 0xffff ? 2 : 1;
    return { kind: "literal", codePoint };
  }

  function group(): Node {
    const start = at;
    at++;
    if (peek() === "?") {
      const next = peek(1);
      if (next === ":") at += 2;
      else if (next === "=") throw fail("a lookahead (?=...)", start);
      else if (next === "!") throw fail("a negative lookahead (?!...)", start);
      else if (next === "<" && peek(2) === "=") throw fail("a lookbehind (?<=...)", start);
      else if (next === "<" && peek(2) === "!") throw fail("a negative lookbehind (?<!...)", start);
      else if (next === "<") at = pattern.indexOf(">", at) + 1;
      else throw fail(`the group modifier (?${next ?? ""}`, start);
    }
    const inner = alternation();
    at++; // ")" — the pattern is known to be valid
    return inner;
  }

  function quantifier(atom: Node): Node {
    const c = peek();
    let min: number;
    let max: number | null;
    if (c === "*") [min, max, at] = [0, null, at + 1];
    else if (c === "+") [min, max, at] = [1, null, at + 1];
    else if (c === "?") [min, max, at] = [0, 1, at + 1];
    else if (c === "{") {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
      if (!match) return atom;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === "" ? null : Number(match[3]);
      at += match[0].length;
    } else return atom;
    if (peek() === "?") at++; // lazy: same set of whole matches
    return { kind: "repeat", node: atom, min, max };
  }

  function escapeAtom(): Node {
    const start = at;
    const c = peek(1) as string;
    const set = shorthandClass(c);
    if (set) {
      at += 2;
      return { kind: "class", negated: false, ranges: set };
    }
    if (c === "b" || c === "B") throw fail(`the word boundary \\${c}`, start);
    if (/[1-9]/.test(c)) throw fail(`the backreference \\${c}`, start);
    if (c === "k" && peek(2) === "<") throw fail("the named backreference \\k<...>", start);
    return { kind: "literal", codePoint: escapedCodePoint(false) };
  }

  /** Reads an escape that stands for one character, starting at the backslash. */
  function escapedCodePoint(inClass: boolean): number {
    const start = at;
    const c = peek(1) as string;
    at += 2;
    const simple: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b };
    if (c in simple) return simple[c] as number;
    if (inClass && c === "b") return 0x08;
    if (c === "0" && !/[0-9]/.test(peek() ?? "")) return 0;
    if (c === "p" || c === "P") throw fail(`the Unicode property escape \\${c}{...}`, start);
    if (c === "c" && /[A-Za-z]/.test(peek() ?? "")) return (pattern.charCodeAt(at++) as number) % 32;
    const hex = (length: number) => {
      const digits = pattern.slice(at, at + length);
      if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) return undefined;
      at += length;
      return Number.parseInt(digits, 16);
    };
    if (c === "x") return hex(2) ?? 0x78;
    if (c === "u") return hex(4) ?? 0x75;
    if (/[0-9]/.test(c)) throw fail(`the octal escape \\${c}`, start);
    return pattern.codePointAt(start + 1) as number;
  }

  function characterClass(): Node {
    at++;
    const negated = peek() === "^";
    if (negated) at++;
    const ranges: Range[] = [];
    while (peek() !== "]") {
      const first = classAtom();
      if (peek() === "-" && peek(1) !== "]" && peek(1) !== undefined && typeof first === "number") {
        at++;
        const last = classAtom();
        if (typeof last === "number") {
          ranges.push([first, last]);
          continue;
        }
        ranges.push([first, first], [0x2d, 0x2d], ...last);
        continue;
      }
      if (typeof first === "number") ranges.push([first, first]);
      else ranges.push(...first);
    }
    at++;
    return { kind: "class", negated, ranges: normalize(ranges) };
  }

  function classAtom(): number | Range[] {
    if (peek() === "\\") {
      const set = shorthandClass(peek(1) as string);
      if (set) {
        at += 2;
        return set;
      }
      return escapedCodePoint(true);
    }
    const codePoint = pattern.codePointAt(at) as number;
    at += codePoint > 0xffff ? 2 : 1;
    return codePoint;
  }

  return {
    parse(): Node {
      const node = alternation();
      if (at < pattern.length) throw fail(`an unmatched ${peek()}`);
      return node;
    },
  };
}

function shorthandClass(c: string): Range[] | undefined {
  switch (c) {
    case "d":
      return DIGIT;
    case "D":
      return complement(DIGIT);
    case "w":
      return WORD;
    case "W":
      return complement(WORD);
    case "s":
      return SPACE;
    case "S":
      return complement(SPACE);
    default:
      return undefined;
  }
}

/** Sorts and merges ranges. */
function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function hexEscape(codePoint: number): string {
  const hex = codePoint.toString(16).toUpperCase();
  if (codePoint <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (codePoint <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}

function classChar(codePoint: number): string {
  const char = String.fromCodePoint(codePoint);
  return /[0-9A-Za-z]/.test(char) || (codePoint >= 0x20 && codePoint < 0x7f && !/[\]\\\-^["]/.test(char))
    ? char
    : hexEscape(codePoint);
}

function emitClass(node: Extract<Node, { kind: "class" }>): string {
  let ranges = node.ranges;
  let negated = node.negated;
  // A class of everything but a few characters reads better (and is smaller) negated.
  const inverse = complement(ranges);
  if (!negated && inverse.length < ranges.length) {
    ranges = inverse;
    negated = true;
  }
  if (ranges.length === 0) return negated ? `[\\x00-${hexEscape(MAX_CODE_POINT)}]` : "";
  const body = ranges
    .map(([lo, hi]) =>
      lo === hi ? classChar(lo) : hi === lo + 1 ? classChar(lo) + classChar(hi) : `${classChar(lo)}-${classChar(hi)}`,
    )
    .join("");
  return `[${negated ? "^" : ""}${body}]`;
}

/** GBNF text of a node; `atomic` when a quantifier can follow it without parentheses. */
interface Emitted {
  text: string;
  atomic: boolean;
}

function emit(node: Node): Emitted {
  switch (node.kind) {
    case "literal":
      return { text: gbnfLiteral(String.fromCodePoint(node.codePoint)), atomic: true };
    case "class": {
      const text = emitClass(node);
      if (text === "") throw emptyClass();
      return { text, atomic: true };
    }
    case "sequence": {
      const parts: Emitted[] = [];
      let text = "";
      const flush = () => {
        // A multi-character literal repeats as a whole in GBNF, but it is kept atomic only when it is one character.
        if (text !== "") parts.push({ text: gbnfLiteral(text), atomic: [...text].length === 1 });
        text = "";
      };
      for (const item of node.items) {
        if (item.kind === "literal") text += String.fromCodePoint(item.codePoint);
        else {
          flush();
          const part = emit(item);
          if (part.text !== "") parts.push(part);
        }
      }
      flush();
      if (parts.length === 1) return parts[0] as Emitted;
      return { text: parts.map((p) => p.text).join(" "), atomic: false };
    }
    case "alternation": {
      const options = node.options.map((option) => emit(option).text);
      const filled = options.filter((option) => option !== "");
      if (filled.length === 0) return { text: "", atomic: true };
      const text = `(${filled.join(" | ")})`;
      return filled.length < options.length ? { text: `${text}?`, atomic: false } : { text, atomic: true };
    }
    case "repeat": {
      const inner = emit(node.node);
      if (inner.text === "" || node.max === 0) return { text: "", atomic: true };
      const atom = inner.atomic ? inner.text : `(${inner.text})`;
      const { min, max } = node;
      const suffix =
        min === 0 && max === null
          ? "*"
          : min === 1 && max === null
            ? "+"
            : min === 0 && max === 1
              ? "?"
              : min === 1 && max === 1
                ? ""
                : max === null
                  ? `{${min},}`
                  : min === max
                    ? `{${min}}`
                    : `{${min},${max}}`;
      return { text: `${atom}${suffix}`, atomic: suffix === "" && inner.atomic };
    }
  }
}

function emptyClass(): InvalidArgumentError {
  return new InvalidArgumentError({
    argument: "pattern",
    message: "The pattern has an empty character class [] that matches nothing; remove it or add characters.",
  });
}
