// Choose between options by scoring each one with the bundled story model: every option's tokens are
// evaluated after the prompt and the most likely option wins. No key, no server, no network.
// Run: npx tsx examples/programs/select-local.ts
import { fileURLToPath } from "node:url";
import { createLocal, type SelectResult, selectOption } from "weft";

const modelPath = fileURLToPath(new URL("../models/stories260K.gguf", import.meta.url));

export async function main(): Promise<SelectResult> {
  const local = createLocal({ threads: 1 });
  const options = [" girl", " boy", " dog", " car"];
  try {
    const result = await selectOption({
      model: local.languageModel(modelPath),
      rawPrompt: "Once upon a time, there was a little",
      options,
    });
    console.log(`chose ${JSON.stringify(result.option)} by ${result.method}`);
    for (const [i, option] of options.entries()) {
      console.log(`  ${JSON.stringify(option)}: log p = ${result.logprobs[i]?.toFixed(3)}`);
    }
    return result;
  } finally {
    await local.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
