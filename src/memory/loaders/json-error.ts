/**
 * Where JSON text first breaks the grammar (RFC 8259), for error messages: Node 20's JSON.parse
 * names no position for an unexpected token. Parsing itself stays with JSON.parse; this only
 * walks the grammar with an explicit stack, so deep nesting cannot overflow the call stack.
 *
 * @example
 * jsonErrorOffset('{"a": tru}'); // 6
 */
export function jsonErrorOffset(text: string): number | undefined {
  const n = text.length;
  const stack: string[] = [];
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let i = 0;
  let state: "value" | "key" | "after" = "value";
  const skipSpace = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  /** Moves past a string starting at `i`; returns false (with `i` at the fault) when it is malformed. */
  const string = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const escaped = text[i + 1] ?? "";
        if (escaped === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if ('"\\/bfnrt'.includes(escaped) && escaped) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  for (;;) {
    skipSpace();
    if (state === "value") {
      if (i >= n) return i;
      const c = text[i];
      if (c === "{" || c === "[") {
        stack.push(c);
        i++;
        skipSpace();
        if (text[i] === (c === "{" ? "}" : "]")) {
          stack.pop();
          i++;
          state = "after";
        } else state = c === "{" ? "key" : "value";
        continue;
      }
      if (c === '"') {
        if (!string()) return i;
        state = "after";
        continue;
      }
      number.lastIndex = i;
      const literal = ["true", "false", "null"].find((word) => text.startsWith(word, i));
      if (number.test(text)) i = number.lastIndex;
      else if (literal) i += literal.length;
      else return i;
      state = "after";
    } else if (state === "key") {
      if (text[i] !== '"' || !string()) return i;
      skipSpace();
      if (text[i] !== ":") return i;
      i++;
      state = "value";
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? i : undefined;
      if (text[i] === ",") {
        i++;
        state = top === "{" ? "key" : "value";
      } else if (text[i] === (top === "{" ? "}" : "]")) {
        stack.pop();
        i++;
      } else return i;
    }
  }
}
