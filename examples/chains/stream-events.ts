// Route a question by a cheap classification step, then stream the chosen step's answer as it is
// written, by iterating over the run's events. Mock models stand in for hosted ones.
// Run: npx tsx examples/chains/stream-events.ts
import { fileURLToPath } from "node:url";
import { branch, chain, modelStep, streamChain } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main(question = "What is 17 * 23?") {
  const classifier = createMockLanguageModel({ reply: "math" });
  const calculator = createMockLanguageModel({ modelId: "math-model", reply: "17 * 23 = 391." });
  const chatter = createMockLanguageModel({ modelId: "chat-model", reply: "Happy to help with that!" });

  const pipeline = chain(
    modelStep({
      name: "classify",
      model: classifier,
      prompt: (q: string) => `Answer "math" or "other": is this a math question?\n\n${q}`,
      parse: (label, q) => ({ q, math: label.trim().toLowerCase() === "math" }),
    }),
    branch({
      name: "route",
      when: (c) => c.math,
      ifTrue: modelStep({ name: "calculate", model: calculator, prompt: (c: { q: string }) => c.q }),
      ifFalse: modelStep({ name: "chat", model: chatter, prompt: (c: { q: string }) => c.q }),
    }),
  );

  const { events, result } = streamChain(pipeline, question);
  let streamed = "";
  for await (const event of events) {
    if (event.type === "start") console.log(`[${event.step}]`);
    if (event.type === "text" && event.step !== "classify") {
      process.stdout.write(event.text);
      streamed += event.text;
    }
  }
  process.stdout.write("\n");
  const { output, steps } = await result;
  return { output, streamed, steps: steps.map((s) => s.name) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
