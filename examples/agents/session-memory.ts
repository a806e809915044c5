// Conversation memory: a session in weft's store remembers earlier turns, tool calls included, so a
// later run (another process, another day) continues the conversation. `weft agent --session name`
// does the same from the command line. A scripted mock model stands in here so this runs offline.
// Run: npx tsx examples/agents/session-memory.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bufferMemory, calculatorTool, openStore, runAgent, sessionMemory } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const path = join(mkdtempSync(join(tmpdir(), "weft-example-session-")), "weft.db");
  const model = createMockLanguageModel({
    reply: [
      {
        choices: [
          {
            text: "",
            toolCalls: [{ toolCallId: "c1", toolName: "calculator", input: { expression: "12 * 7.5" } }],
            finishReason: "tool-calls",
          },
        ],
      },
      "The trip costs 90 euros.",
      "Split between 3 people, that is 30 euros each.",
    ],
  });
  const tools = [calculatorTool()];

  // First run: its turns are saved in the session "trip".
  let store = await openStore({ path });
  const memory = () =>
    sessionMemory({ sessions: store.sessions, name: "trip", inner: bufferMemory({ maxTokens: 4000 }) });
  const first = await runAgent({
    model,
    tools,
    prompt: "12 tickets at 7.50 euros: what does the trip cost?",
    memory: memory(),
  });
  await store.close();

  // A later run opens the store again: the model is sent the first conversation before the new question.
  store = await openStore({ path });
  const second = await runAgent({ model, tools, prompt: "And per person, for 3 people?", memory: memory() });
  const sentSecondTime = model.calls.at(-1)?.messages.map((m) => m.role) ?? [];
  const saved = await store.sessions.messages("trip");
  await store.close();

  console.log(first.answer);
  console.log(second.answer);
  console.log(`the second run sent ${sentSecondTime.join(", ")}; the session holds ${saved.length} messages`);
  return { first: first.answer, second: second.answer, sentSecondTime, savedRoles: saved.map((m) => m.role) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
