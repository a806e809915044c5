import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";

/** `weft mcp`: placeholder, replaced by the real command. */
export function registerMcp(_program: Command, _globals: () => GlobalOptions): void {}
