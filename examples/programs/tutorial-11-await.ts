// Await: the program stops at {{await 'instruction'}} and returns its state; calling again with the
// value resumes it. What was generated before is replayed from the state, not generated again.
// Run: npx tsx examples/programs/tutorial-11-await.ts
import { fileURLToPath } from "node:url";
import { compileProgram, runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

const program = compileProgram(`Generate a response to the following email:
{{email}}.
Response:{{gen "response"}}
{{await 'instruction'}}
{{gen 'updated_response'}}`);

export async function main() {
  const model = createMockLanguageModel({
    reply: (call) =>
      call.rawPrompt?.includes("Portuguese")
        ? "Olá! Como posso ajudar?"
        : call.rawPrompt?.includes("Chinese")
          ? "你好！我能为你做些什么？"
          : " Hi! How can I help you?",
  });
  const paused = await runProgram(program, { model, variables: { email: "Hello there" } });
  console.log(paused.transcript, `\n[waiting for '${paused.awaiting}']`);
  const portuguese = await runProgram(program, {
    model,
    state: paused.state,
    variables: { instruction: "Please translate the response above to Portuguese." },
  });
  const chinese = await runProgram(program, {
    model,
    state: paused.state,
    variables: { instruction: "Please translate the response above to Chinese." },
  });
  console.log(portuguese.transcript);
  console.log(chinese.transcript);
  return {
    awaiting: paused.awaiting,
    portuguese: portuguese.variables.updated_response,
    chinese: chinese.variables.updated_response,
    modelCalls: model.calls.length, // 3: one for the response, one per translation
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
