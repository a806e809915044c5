// A three-step pipeline: draft with a fast model (re-run until it passes a check), edit with a
// stronger model, count the words in code. Every model call is traced under the run's id.
// Mock models stand in for hosted ones so this runs offline; use createOpenAI().languageModel(...)
// or any other model for real work.
// Run: npx tsx examples/chains/pipeline.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chain, modelStep, openStore, runChain, transformStep } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const fast = createMockLanguageModel({
    provider: "openai",
    modelId: "gpt-4o-mini",
    reply: ["Tides come from the moon.", "The moon and the sun pull the oceans, so tides rise and fall twice a day."],
  });
  const strong = createMockLanguageModel({
    provider: "openai",
    modelId: "gpt-4o",
    reply: "Pulled by the moon and sun, tides rise and fall twice a day.",
  });

  const pipeline = chain(
    modelStep({
      name: "draft",
      model: fast,
      prompt: (topic: string) => `Write one sentence about ${topic}.`,
      // Issues go back to the model with its previous reply; at most two re-runs.
      validate: (draft) => (draft.includes("sun") ? [] : ["Also mention the sun."]),
      maxRepairs: 2,
    }),
    modelStep({
      name: "edit",
      model: strong,
      system: "You are a careful editor.",
      prompt: (draft) => `Make this sentence shorter without losing facts:\n\n${draft}`,
    }),
    transformStep({ name: "count", run: (text) => ({ text, words: text.split(/\s+/).length }) }),
  );

  const store = await openStore({ path: join(mkdtempSync(join(tmpdir(), "weft-example-")), "weft.db") });
  try {
    const result = await runChain(pipeline, "tides", {
      traces: store.traces,
      onEvent: (event) => {
        if (event.type === "start") console.log(`── ${event.step}${event.model ? ` (${event.model})` : ""}`);
        if (event.type === "retry") console.log(`   retry ${event.attempt}: ${event.issues[0]?.message}`);
        if (event.type === "end") console.log(`   → ${JSON.stringify(event.result.output)}`);
      },
    });
    for (const step of result.steps) {
      console.log(
        `${step.name}: ${step.attempts} attempt(s), ${step.usage.outputTokens ?? 0} tokens out, $${step.costUsd}`,
      );
    }
    console.log(`total: $${result.costUsd?.toFixed(6)}`);
    const traces = await store.traces.list({ parentId: result.runId });
    console.log(`${traces.length} traces for run ${result.runId}`);
    return { output: result.output, steps: result.steps, costUsd: result.costUsd, traces: traces.length };
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
