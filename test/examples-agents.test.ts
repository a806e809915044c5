import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Examples import "weft" like a user would; that resolves to the built package.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(resolve(root, "dist/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");

describe("agent examples run as documented", () => {
  it("agents/calculator-agent computes with the calculator and answers from its exact result", async () => {
    const { main } = await import("../examples/agents/calculator-agent.js");
    const result = await main();
    expect(result.toolsOffered).toEqual(["calculator"]);
    expect(result.steps).toEqual([
      { tool: "calculator", output: expect.objectContaining({ result: "451.5", type: "BigNumber" }), isError: false },
    ]);
    expect(result.answer).toBe("17.5% of 2,340 plus the square root of 1764 is 451.5.");
    expect(result.modelCalls).toBe(2);
    expect(result.finishReason).toBe("answer");
  });

  it("agents/custom-tool feeds a validation error back, asks for approval, then books", async () => {
    const { main } = await import("../examples/agents/custom-tool.js");
    const result = await main();
    expect(result.validationError).toMatch(/invalid arguments for check_availability:\n- date: use YYYY-MM-DD/);
    expect(result.events).toEqual([
      "call check_availability",
      "error check_availability",
      "call check_availability",
      "result check_availability",
      "call book_visit",
      "approve book_visit?",
      "result book_visit",
    ]);
    expect(result.approvals).toEqual([{ tool: "book_visit", input: { date: "2025-06-13", people: 3, name: "Ada" } }]);
    expect(result.seatsLeft).toBe(7);
    expect(result.answer).toBe("Booked 3 seats for Ada on 13 June 2025.");
  });

  it("agents/session-memory continues a conversation kept in the store", async () => {
    const { main } = await import("../examples/agents/session-memory.js");
    const result = await main();
    expect(result.first).toBe("The trip costs 90 euros.");
    expect(result.second).toBe("Split between 3 people, that is 30 euros each.");
    expect(result.sentSecondTime).toEqual(["user", "assistant", "tool", "assistant", "user"]);
    expect(result.savedRoles).toEqual(["user", "assistant", "tool", "assistant", "user", "assistant"]);
  });
});
