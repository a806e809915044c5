/**
 * JavaScript evaluated inside the sandbox before the user's code. It installs `console` (which
 * forwards formatted lines to one host function) and returns the helpers the host uses to turn the
 * result and errors into text. Formatting happens inside the sandbox so that getters, `toJSON` and
 * proxies run under the sandbox's time and memory limits, never in the host; the host only ever
 * receives strings, and checks their length again.
 *
 * The helpers capture the built-ins they use before user code runs, so a script that replaces
 * `JSON.stringify` changes nothing but its own output.
 */
export const PRELUDE_SOURCE = `(function (write, maxChars, maxDepth) {
  "use strict";
  const stringify = JSON.stringify;
  const isArray = Array.isArray;
  const objectKeys = Object.keys;
  const isFiniteNumber = Number.isFinite;
  const ErrorType = Error;
  const MapType = Map;
  const SetType = Set;
  const toText = String;

  function toJson(value, depth, ancestors) {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        return isFiniteNumber(value) ? value : toText(value);
      case "bigint":
        return toText(value) + "n";
      case "undefined":
        return undefined;
      case "symbol":
        return value.toString();
      case "function":
        return "[Function " + (value.name || "anonymous") + "]";
    }
    if (value === null) return null;
    for (let i = 0; i < ancestors.length; i++) if (ancestors[i] === value) return "[Circular]";
    if (depth >= maxDepth) return isArray(value) ? "[Array]" : "[Object]";
    ancestors[ancestors.length] = value;
    try {
      if (typeof value.toJSON === "function") return toJson(value.toJSON(), depth + 1, ancestors);
      if (value instanceof ErrorType) return { name: toText(value.name), message: toText(value.message) };
      if (value instanceof MapType || value instanceof SetType) {
        const items = [];
        for (const item of value) items[items.length] = toJson(item, depth + 1, ancestors);
        return items;
      }
      if (isArray(value)) {
        const items = [];
        for (let i = 0; i < value.length; i++) {
          const item = toJson(value[i], depth + 1, ancestors);
          items[i] = item === undefined ? null : item;
        }
        return items;
      }
      const out = {};
      const keys = objectKeys(value);
      for (let i = 0; i < keys.length; i++) {
        const item = toJson(value[keys[i]], depth + 1, ancestors);
        if (item !== undefined) out[keys[i]] = item;
      }
      return out;
    } finally {
      ancestors.length = ancestors.length - 1;
    }
  }

  function serialize(value) {
    const json = toJson(value, 0, []);
    if (json === undefined) return undefined;
    const text = stringify(json);
    return text.length > maxChars ? text.slice(0, maxChars + 1) : text;
  }

  function formatArgument(value) {
    if (typeof value === "string") return value;
    try {
      if (value instanceof ErrorType) return toText(value.name) + ": " + toText(value.message);
      const text = serialize(value);
      return text === undefined ? "undefined" : text;
    } catch (error) {
      return "[unprintable value]";
    }
  }

  let full = false;
  function line(level) {
    return function () {
      if (full) return;
      let text = "";
      for (let i = 0; i < arguments.length; i++) {
        text += (i > 0 ? " " : "") + formatArgument(arguments[i]);
        if (text.length > maxChars) break;
      }
      full = write(level, text.length > maxChars ? text.slice(0, maxChars + 1) : text) === true;
    };
  }

  globalThis.console = {
    log: line("log"),
    info: line("info"),
    debug: line("debug"),
    warn: line("warn"),
    error: line("error"),
  };

  function describeError(error) {
    try {
      if (error instanceof ErrorType) {
        let text = toText(error.name) + ": " + toText(error.message);
        const stack = error.stack;
        if (typeof stack === "string" && stack.length > 0) text += "\\n" + stack;
        return text.slice(0, maxChars);
      }
      const text = serialize(error);
      return ("Uncaught " + (text === undefined ? "undefined" : text)).slice(0, maxChars);
    } catch (inner) {
      return "Uncaught exception (it could not be described)";
    }
  }

  return { serialize, describeError };
})`;
