// An agent that does arithmetic with the calculator tool instead of guessing. A scripted mock model
// stands in so this runs offline: it asks for the calculator, reads the result it is sent and
// answers. Pass any weft model (createOpenAI().languageModel("gpt-4o-mini"), a local GGUF, ...) for
// real tasks; the loop is the same.
// Run: npx tsx examples/agents/calculator-agent.ts
import { fileURLToPath } from "node:url";
import { calculatorTool, type Message, runAgent } from "weft";
import { createMockLanguageModel } from "weft/testing";

/** The output of the last tool result in a conversation, as the model was sent it. */
function lastToolOutput(messages: Message[]): unknown {
  const results = messages.flatMap((m) => (m.role === "tool" ? m.content : []));
  return results.at(-1)?.output;
}

export async function main() {
  const model = createMockLanguageModel({
    reply: (call, index) => {
      if (index === 0) {
        // Step 1: the model asks for a tool, as a provider's native tool call.
        return {
          choices: [
            {
              text: "",
              toolCalls: [
                { toolCallId: "c1", toolName: "calculator", input: { expression: "0.175 * 2340 + sqrt(1764)" } },
              ],
              finishReason: "tool-calls",
            },
          ],
        };
      }
      // Step 2: it has the tool's result in its messages and answers from it.
      const output = lastToolOutput(call.messages) as { result: string };
      return `17.5% of 2,340 plus the square root of 1764 is ${output.result}.`;
    },
  });

  const result = await runAgent({
    model,
    tools: [calculatorTool()],
    prompt: "What is 17.5% of 2,340 plus the square root of 1764?",
    maxSteps: 5,
  });
  for (const step of result.steps) console.log(`${step.tool}(${JSON.stringify(step.input)}) →`, step.output);
  console.log(result.answer);
  console.log(`${result.modelCalls} model calls, finished by: ${result.finishReason}`);
  return {
    answer: result.answer,
    steps: result.steps.map((s) => ({ tool: s.tool, output: s.output, isError: s.isError })),
    modelCalls: result.modelCalls,
    finishReason: result.finishReason,
    toolsOffered: model.calls[0]?.tools?.map((t) => t.name) ?? [],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
