// Generate text that must match a regular expression. On a local model the pattern becomes a grammar, so
// the model cannot produce anything else; on hosted models the output is validated and repaired.
// Run: npx tsx examples/programs/pattern-local.ts
import { fileURLToPath } from "node:url";
import { createLocal, generateWithPattern, regexToGbnf } from "weft";

const modelPath = fileURLToPath(new URL("../models/stories260K.gguf", import.meta.url));

export async function main(): Promise<string[]> {
  const local = createLocal({ threads: 1 });
  try {
    const model = local.languageModel(modelPath);
    console.log(regexToGbnf("\\d{3}-\\d{4}")); // root ::= [0-9]{3} "-" [0-9]{4}
    const texts: string[] = [];
    for (const [rawPrompt, pattern] of [
      ["Her phone number was ", "\\d{3}-\\d{4}"],
      ["The dog's name was ", "[A-Z][a-z]{2,6}"],
      ["Was the sun out? ", "(yes|no)"],
    ] as const) {
      const { text, method } = await generateWithPattern({ model, rawPrompt, pattern, maxTokens: 20 });
      console.log(`${method}: ${rawPrompt}${text}`);
      texts.push(text);
    }
    return texts;
  } finally {
    await local.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
