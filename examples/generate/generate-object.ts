// Get a typed object back. On local models the JSON schema becomes a grammar, so the output always parses;
// on OpenAI it becomes response_format json_schema; elsewhere weft validates and asks the model to repair.
// Run: npx tsx examples/generate/generate-object.ts
import { fileURLToPath } from "node:url";
import { createLocal, generateObject } from "weft";
import { z } from "zod";

const modelPath = fileURLToPath(new URL("../models/stories260K.gguf", import.meta.url));

const Character = z.object({
  name: z.string().max(12),
  mood: z.enum(["happy", "sad", "curious"]),
});

export async function main(): Promise<z.infer<typeof Character>> {
  const local = createLocal({ threads: 1 });
  try {
    const { object, method } = await generateObject<z.infer<typeof Character>>({
      model: local.languageModel(modelPath),
      schema: Character,
      prompt: "Describe the main character of a story.",
      maxTokens: 60,
      temperature: 0,
    });
    console.log(object, `(enforced by ${method})`);
    return object;
  } finally {
    await local.dispose?.();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
