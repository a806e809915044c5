// Your own tools: define them with tool() and a zod schema. The agent validates the model's
// arguments against the schema and sends problems back so the model can fix its call; a tool marked
// `sideEffect: true` runs only when the approver says yes. A scripted mock model stands in here so
// this runs offline.
// Run: npx tsx examples/agents/custom-tool.ts
import { fileURLToPath } from "node:url";
import { type ApprovalRequest, streamAgent, tool } from "weft";
import { createMockLanguageModel, type MockReply } from "weft/testing";
import { z } from "zod";

const seats = new Map([["2025-06-13", 10]]);

const checkAvailability = tool({
  name: "check_availability",
  description: "Free seats for an evening visit to the observatory on a date.",
  inputSchema: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD") }),
  execute: ({ date }) => ({ date, seatsLeft: seats.get(date) ?? 0 }),
});

const bookVisit = tool({
  name: "book_visit",
  description: "Book seats for an evening visit. Changes the booking list.",
  inputSchema: z.object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    people: z.number().int().min(1).max(12),
    name: z.string().min(1),
  }),
  sideEffect: true,
  execute: ({ date, people, name }) => {
    const left = seats.get(date) ?? 0;
    if (people > left) throw new Error(`only ${left} seats are left on ${date}`);
    seats.set(date, left - people);
    return { booked: true, reference: `${date}/${name}/${people}` };
  },
});

/** A mock reply that calls one tool. */
const call = (toolName: string, input: unknown): MockReply => ({
  choices: [{ text: "", toolCalls: [{ toolCallId: toolName, toolName, input }], finishReason: "tool-calls" }],
});

export async function main() {
  const model = createMockLanguageModel({
    reply: [
      call("check_availability", { date: "next Friday" }), // invalid: the error goes back to the model
      call("check_availability", { date: "2025-06-13" }),
      call("book_visit", { date: "2025-06-13", people: 3, name: "Ada" }),
      "Booked 3 seats for Ada on 13 June 2025.",
    ],
  });
  const asked: ApprovalRequest[] = [];
  const run = streamAgent({
    model,
    tools: [checkAvailability, bookVisit],
    prompt: "Book 3 seats for Ada next Friday (13 June 2025).",
    // Your policy here: ask a person, check a budget... This one allows small groups only.
    approve: (request) => {
      asked.push(request);
      return (request.input as { people: number }).people <= 4;
    },
  });
  const events: string[] = [];
  for await (const event of run) {
    if (event.type === "tool-call") events.push(`call ${event.toolCall.toolName}`);
    if (event.type === "approval-requested") events.push(`approve ${event.toolCall.toolName}?`);
    if (event.type === "tool-result") events.push(`${event.isError ? "error" : "result"} ${event.toolName}`);
  }
  const result = await run.result;
  console.log(events.join("\n"));
  console.log("first call was refused with:", result.steps[0]?.output);
  console.log(result.answer);
  return {
    answer: result.answer,
    events,
    validationError: String(result.steps[0]?.output),
    approvals: asked.map((a) => ({ tool: a.tool, input: a.input })),
    seatsLeft: seats.get("2025-06-13"),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
