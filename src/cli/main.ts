import { Command, CommanderError } from "commander";
import { registerAgent } from "./agent-command.js";
import { registerAsk } from "./ask-command.js";
import { registerCache } from "./cache-command.js";
import { registerChat } from "./chat-command.js";
import type { GlobalOptions } from "./context.js";
import { registerData } from "./data-command.js";
import { registerIndex } from "./index-command.js";
import { UsageError } from "./io.js";
import { registerMcp } from "./mcp-command.js";
import { registerModels } from "./models-command.js";
import { registerProgram } from "./program-command.js";
import { registerRun } from "./run-command.js";
import { registerSearch } from "./search-command.js";
import { registerTokens } from "./tokens-command.js";
import { registerTraces } from "./traces-command.js";
import { registerUnitTests } from "./unit-tests-command.js";
import { VERSION } from "./version.js";

/** Prints an expected failure in one or two sentences; unexpected ones get a pointer to WEFT_DEBUG. */
async function report(error: unknown): Promise<number> {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  const { WeftError } = await import("../spec/errors.js");
  if (WeftError.isInstance(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    if (process.env.WEFT_DEBUG && error.cause)
      process.stderr.write(`cause: ${String((error.cause as Error).stack ?? error.cause)}\n`);
    return 1;
  }
  if (process.env.WEFT_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  else {
    process.stderr.write(
      `error: ${(error as Error)?.message ?? String(error)}\nThis is unexpected; run again with WEFT_DEBUG=1 for details and report it.\n`,
    );
  }
  return 1;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("weft")
    .description(
      "Local-first toolkit for building with language models: chat and run prompts, answer from documents and data, run agents with tools, serve MCP.",
    )
    .version(VERSION, "-v, --version")
    .option("--config <path>", "config file (default: nearest weft.config.json, or $WEFT_CONFIG)")
    .option("--store <path>", "SQLite store file (default: .weft/weft.db, or $WEFT_STORE)")
    .option("--store-url <url>", "PostgreSQL URL for the store instead of SQLite (or $WEFT_STORE_URL)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();
  registerRun(program, globals);
  registerChat(program, globals);
  registerModels(program, globals);
  registerTraces(program, globals);
  registerTokens(program, globals);
  registerProgram(program, globals);
  registerUnitTests(program, globals);
  registerIndex(program, globals);
  registerSearch(program, globals);
  registerAsk(program, globals);
  registerCache(program, globals);
  registerData(program, globals);
  registerAgent(program, globals);
  registerMcp(program, globals);
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version or the usage error.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = await report(error);
  }
}
