import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { autoApprove, terminalApprover } from "../../../src/agents/approval.js";
import { runAgent, streamAgent } from "../../../src/agents/loop/run-agent.js";
import type { AgentEvent } from "../../../src/agents/loop/types.js";
import { tool } from "../../../src/agents/tool.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";
import { callTools, toolResults } from "./helpers.js";

/** A tool that only ends when its abort signal fires, recording that it did. */
function waitsForAbort() {
  const seen = { aborted: false, started: false };
  const t = tool({
    name: "wait",
    description: "Waits for a very long time.",
    inputSchema: z.object({}),
    execute: (_input, { abortSignal }) =>
      new Promise((_resolve, reject) => {
        seen.started = true;
        abortSignal.addEventListener("abort", () => {
          seen.aborted = true;
          reject(new Error("interrupted"));
        });
      }),
  });
  return { tool: t, seen };
}

describe("time limit and abort", () => {
  it("aborts a slow tool through its signal when the time limit passes and ends with time-limit", async () => {
    const { tool: wait, seen } = waitsForAbort();
    const model = createMockLanguageModel({ reply: callTools([["wait", {}]], "Let me wait.") });
    const result = await runAgent({ model, tools: [wait], prompt: "wait", timeLimitMs: 30 });
    expect(seen).toEqual({ started: true, aborted: true });
    expect(result.finishReason).toBe("time-limit");
    expect(result.steps[0]?.isError).toBe(true);
    expect(result.steps[0]?.output).toMatch(/stopped before it finished: the time limit was reached/);
    expect(model.calls).toHaveLength(1);
    expect(result.answer).toBe("Let me wait.");
    // The call and its (error) result stay paired in the recorded conversation.
    expect(result.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool"]);
  });

  it("ends even when a tool ignores its abort signal", async () => {
    const stuck = tool({
      name: "stuck",
      description: "Never returns.",
      inputSchema: z.object({}),
      execute: () => new Promise(() => {}),
    });
    const model = createMockLanguageModel({ reply: callTools([["stuck", {}]]) });
    const result = await runAgent({ model, tools: [stuck], prompt: "go", timeLimitMs: 30 });
    expect(result.finishReason).toBe("time-limit");
    expect(result.steps[0]?.isError).toBe(true);
  });

  it("aborts a model call in flight when the time limit passes", async () => {
    let signalSeen: AbortSignal | undefined;
    const model = createMockLanguageModel({
      reply: (options) => {
        signalSeen = options.abortSignal;
        return new Promise(() => {});
      },
    });
    const result = await runAgent({ model, prompt: "think", timeLimitMs: 30 });
    expect(result.finishReason).toBe("time-limit");
    expect(signalSeen?.aborted).toBe(true);
    expect(result.answer).toBe("");
  });

  it("stops between steps when the caller aborts, with finishReason aborted", async () => {
    const controller = new AbortController();
    const model = createMockLanguageModel({ reply: callTools([["count", {}]]) });
    const count = tool({ name: "count", description: "Counts.", inputSchema: z.object({}), execute: () => 1 });
    const result = await runAgent({
      model,
      tools: [count],
      prompt: "go",
      abortSignal: controller.signal,
      onStep: () => controller.abort(),
    });
    expect(result.finishReason).toBe("aborted");
    expect(model.calls).toHaveLength(1);
  });

  it("does not start when the caller's signal is already aborted", async () => {
    const model = createMockLanguageModel({ reply: "hi" });
    const result = await runAgent({ model, prompt: "go", abortSignal: AbortSignal.abort() });
    expect(result.finishReason).toBe("aborted");
    expect(model.calls).toHaveLength(0);
  });
});

describe("approval of side-effecting tools", () => {
  const setup = () => {
    const sent: string[] = [];
    const send = tool({
      name: "send_email",
      description: "Sends an email.",
      inputSchema: z.object({ to: z.string().email(), body: z.string() }),
      sideEffect: true,
      execute: ({ to }) => {
        sent.push(to);
        return "sent";
      },
    });
    const model = createMockLanguageModel({
      reply: ({ messages }) => {
        const results = toolResults(messages);
        return results.length
          ? `result: ${String(results[0]?.output)}`
          : callTools([["send_email", { to: "ann@example.com", body: "hi" }, "m1"]]);
      },
    });
    return { send, sent, model };
  };

  it("runs the tool when the approver says yes, passing it the validated input", async () => {
    const { send, sent, model } = setup();
    const asked: unknown[] = [];
    const result = await runAgent({
      model,
      tools: [send],
      prompt: "mail Ann",
      approve: (request) => {
        asked.push({ tool: request.tool, input: request.input, id: request.toolCallId });
        return true;
      },
    });
    expect(asked).toEqual([{ tool: "send_email", input: { to: "ann@example.com", body: "hi" }, id: "m1" }]);
    expect(sent).toEqual(["ann@example.com"]);
    expect(result.answer).toBe("result: sent");
  });

  it("tells the model the user did not approve, without running the tool", async () => {
    const { send, sent, model } = setup();
    const result = await runAgent({ model, tools: [send], prompt: "mail Ann", approve: async () => false });
    expect(sent).toEqual([]);
    expect(result.steps[0]?.isError).toBe(true);
    expect(result.answer).toMatch(/result: Error: the user did not approve this call of send_email/);
  });

  it("denies side-effecting calls when there is no approver", async () => {
    const { send, sent, model } = setup();
    const events: AgentEvent[] = [];
    for await (const e of streamAgent({ model, tools: [send], prompt: "mail Ann" })) events.push(e);
    expect(sent).toEqual([]);
    const denied = events.find((e) => e.type === "approval-denied");
    expect(denied).toMatchObject({ reason: "no-approver", toolCall: { toolName: "send_email" } });
    expect(events.some((e) => e.type === "approval-requested")).toBe(false);
    const finish = events.at(-1);
    expect(finish?.type === "finish" && finish.answer).toMatch(/needs the user's approval/);
  });

  it("does not ask about calls whose arguments are invalid, and never asks for read-only tools", async () => {
    const { send } = setup();
    const look = tool({ name: "look", description: "Reads.", inputSchema: z.object({}), execute: () => "seen" });
    const model = createMockLanguageModel({
      reply: ({ messages }) =>
        toolResults(messages).length
          ? "done"
          : callTools([
              ["send_email", { to: "not an address", body: "x" }],
              ["look", {}],
            ]),
    });
    let asked = 0;
    const result = await runAgent({ model, tools: [send, look], prompt: "go", approve: () => ++asked > 0 });
    expect(asked).toBe(0);
    expect(result.steps.map((s) => s.isError)).toEqual([true, false]);
    expect(result.steps[0]?.output).toMatch(/- to: /);
  });

  it("autoApprove approves everything", async () => {
    const { send, sent, model } = setup();
    await runAgent({ model, tools: [send], prompt: "mail Ann", approve: autoApprove });
    expect(sent).toEqual(["ann@example.com"]);
  });

  it("terminalApprover asks y/N on the given streams: only y or yes approves", async () => {
    const ask = async (answer: string | null) => {
      const input = new PassThrough();
      const output = new PassThrough();
      let shown = "";
      output.on("data", (d) => {
        shown += String(d);
      });
      const approve = terminalApprover({ input, output });
      const pending = approve({
        tool: "send_email",
        input: { to: "ann@example.com" },
        toolCallId: "1",
        description: "",
      });
      if (answer === null) input.end();
      else input.write(`${answer}\n`);
      return { approved: await pending, shown };
    };
    const yes = await ask("y");
    expect(yes.approved).toBe(true);
    expect(yes.shown).toBe('Allow send_email with {"to":"ann@example.com"}? [y/N] ');
    expect((await ask("YES")).approved).toBe(true);
    expect((await ask("")).approved).toBe(false);
    expect((await ask("no")).approved).toBe(false);
    expect((await ask("yep")).approved).toBe(false);
    expect((await ask(null)).approved).toBe(false);
  });

  it("terminalApprover gives up (denies) when the run is aborted while it waits", async () => {
    const input = new PassThrough();
    const controller = new AbortController();
    const approve = terminalApprover({ input, output: new PassThrough() });
    const pending = approve({ tool: "t", input: {}, toolCallId: "1", description: "", abortSignal: controller.signal });
    controller.abort();
    expect(await pending).toBe(false);
  });
});
