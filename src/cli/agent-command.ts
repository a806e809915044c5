import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";

/** `weft agent`: placeholder, replaced by the real command. */
export function registerAgent(_program: Command, _globals: () => GlobalOptions): void {}
