import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";

/** `weft data`: placeholder, replaced by the real command. */
export function registerData(_program: Command, _globals: () => GlobalOptions): void {}
