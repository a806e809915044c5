import { createInterface } from "node:readline";
import type { Command } from "commander";
import type { Message } from "../spec/language-model.js";
import type { GlobalOptions } from "./context.js";
import { numberOption } from "./io.js";

interface ChatOptions {
  model?: string;
  system?: string;
  session?: string;
  maxTokens?: string;
  temperature?: string;
  trace?: boolean;
}

const HELP = `Commands: /system <text> sets the system prompt (/system alone shows it), /model <id> switches model,
/reset clears the conversation, /history prints it, /exit quits (Ctrl-D works too).`;

export function registerChat(program: Command, globals: () => GlobalOptions): void {
  program
    .command("chat")
    .description("Chat with a model in the terminal, streaming replies; lines piped on stdin are sent one by one.")
    .option("-m, --model <id>", "model id provider:name; auto-detected when omitted")
    .option("-s, --system <text>", "system prompt")
    .option("--session <name>", "keep the conversation in the store under this name and continue it next time")
    .option("--max-tokens <n>", "maximum tokens per reply")
    .option("-t, --temperature <x>", "sampling temperature")
    .option("--no-trace", "do not record calls in the trace store")
    .addHelpText("after", `\n${HELP}\n\nExample:\n  weft chat --session notes --model ollama:llama3.2`)
    .action(async (opts: ChatOptions) => {
      const maxTokens = numberOption("--max-tokens", opts.maxTokens, { integer: true, min: 1 });
      const temperature = numberOption("--temperature", opts.temperature, { min: 0, max: 2 });
      const { createCliContext } = await import("./context.js");
      const { streamText } = await import("../generate/stream-text.js");
      const { WeftError } = await import("../spec/errors.js");
      const ctx = await createCliContext(globals());
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      const say = (text: string) => process.stderr.write(`${text}\n`);
      let failed = false;
      try {
        const store = opts.session || opts.trace !== false ? await ctx.store() : undefined;
        const session = opts.session;
        const saved = session && store ? await store.sessions.open(session) : undefined;
        let history: Message[] = session && store ? await store.sessions.messages(session) : [];
        let system = opts.system ?? (saved?.metadata.system as string | undefined);
        let modelId = opts.model ?? (saved?.metadata.model as string | undefined);
        let { model } = await ctx.model(modelId, { trace: opts.trace, sessionId: session });
        const remember = async () => {
          if (!session || !store) return;
          // Keep what other commands stored on the session (e.g. an agent's conversation summary).
          const current = (await store.sessions.get(session))?.metadata ?? {};
          await store.sessions.setMetadata(session, {
            ...current,
            system,
            model: `${model.provider}:${model.modelId}`,
          });
        };
        if (interactive) {
          say(
            `Chatting with ${model.provider}:${model.modelId}${session ? ` (session '${session}', ${history.length} earlier messages)` : ""}. /help for commands.`,
          );
        }
        const rl = createInterface({
          input: process.stdin,
          output: interactive ? process.stdout : undefined,
          terminal: interactive,
        });
        if (interactive) {
          rl.setPrompt("you> ");
          rl.prompt();
        }
        for await (const raw of rl) {
          const line = raw.trim();
          if (line === "") {
            if (interactive) rl.prompt();
            continue;
          }
          if (line.startsWith("/")) {
            const [command, ...restWords] = line.slice(1).split(/\s+/);
            const rest = restWords.join(" ");
            if (command === "exit" || command === "quit") break;
            else if (command === "help") say(HELP);
            else if (command === "reset") {
              history = [];
              if (session && store) await store.sessions.clear(session);
              say("Conversation cleared.");
            } else if (command === "system") {
              if (rest) {
                system = rest;
                await remember();
                say("System prompt set.");
              } else say(system ? `System prompt: ${system}` : "No system prompt.");
            } else if (command === "model") {
              if (!rest) say(`Model: ${model.provider}:${model.modelId}`);
              else {
                try {
                  ({ model } = await ctx.model(rest, { trace: opts.trace, sessionId: session }));
                  modelId = rest;
                  await remember();
                  say(`Now using ${rest}.`);
                } catch (error) {
                  say(`error: ${(error as Error).message}`);
                }
              }
            } else if (command === "history") {
              for (const m of history)
                say(`${m.role}: ${typeof m.content === "string" ? m.content : JSON.stringify(m.content)}`);
            } else say(`Unknown command /${command}. ${HELP}`);
            if (interactive) rl.prompt();
            continue;
          }
          const turn: Message = { role: "user", content: line };
          try {
            const result = streamText({ model, system, messages: [...history, turn], maxTokens, temperature });
            if (interactive) process.stdout.write("\x1b[36m");
            for await (const delta of result.textStream) process.stdout.write(delta);
            if (interactive) process.stdout.write("\x1b[0m");
            const done = await result.done;
            process.stdout.write("\n");
            const reply: Message = { role: "assistant", content: done.text };
            history.push(turn, reply);
            if (session && store) {
              await store.sessions.append(session, [turn, reply]);
              await remember();
            }
          } catch (error) {
            failed = true;
            process.stdout.write(interactive ? "\x1b[0m\n" : "");
            if (!WeftError.isInstance(error)) throw error;
            say(`error: ${error.message}`);
          }
          if (interactive) rl.prompt();
        }
        rl.close();
      } finally {
        await ctx.close();
      }
      if (failed && !interactive) process.exitCode = 1;
    });
}
