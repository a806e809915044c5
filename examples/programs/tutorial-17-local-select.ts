// Select on a local model: every option is scored by the model itself (the log probability of its
// tokens after the prompt), so the logprobs are real and the choice is their argmax.
// Runs offline on the bundled story model.
// Run: npx tsx examples/programs/tutorial-17-local-select.ts
import { fileURLToPath } from "node:url";
import { createLocal, runProgram } from "weft";

const modelPath = fileURLToPath(new URL("../models/stories260K.gguf", import.meta.url));

export async function main() {
  const local = createLocal({ threads: 1 });
  try {
    const model = local.languageModel(modelPath);
    const result = await runProgram(
      "Once upon a time, there was a little{{#select 'who' logprobs='logprobs'}} girl{{or}} boy{{or}} dog{{or}} car{{/select}}",
      { model },
    );
    console.log(result.transcript);
    console.log(result.variables.logprobs, result.calls[0]?.method); // method: "score"
    return {
      who: result.variables.who as string,
      logprobs: result.variables.logprobs as Record<string, number>,
      method: result.calls[0]?.method,
    };
  } finally {
    await local.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
