import type { CallSettings, RunOptions } from "../../generate/call-settings.js";
import type { LanguageModel, Message, ToolCall, Usage } from "../../spec/language-model.js";
import type { TraceStore } from "../../spec/store.js";
import type { Approver } from "../approval.js";
import type { ConversationMemory } from "../memory/memory.js";
import type { AnyTool } from "../tool.js";

/** Why an agent run ended. */
export type AgentFinishReason = "answer" | "step-limit" | "time-limit" | "aborted";

/** How tools are offered: the provider's tool calling, or the ReAct text format for models without it. */
export type AgentProtocol = "native" | "react";

/** One tool call of a run, with what the model was shown as its result. */
export interface AgentStep {
  /** The model call (1-based) that asked for it. */
  step: number;
  toolCallId: string;
  tool: string;
  input: unknown;
  /** The tool's output as the model saw it: truncated to the budget, or an error message. */
  output: unknown;
  /** Invalid arguments, unknown tool, denied approval, a throwing or cancelled tool. */
  isError: boolean;
}

/** What `onStep` receives after each model call and the tools it asked for. */
export interface AgentStepInfo {
  step: number;
  /** The model's text in this step (the thought, or the answer). */
  text: string;
  toolCalls: ToolCall[];
  results: AgentStep[];
  usage: Usage;
}

export interface AgentOptions extends Omit<CallSettings, "tools" | "toolChoice">, RunOptions {
  model: LanguageModel;
  tools?: AnyTool[];
  /** The user's request; appended after `messages`. */
  prompt?: string;
  messages?: Message[];
  system?: string;
  /**
   * Model calls that may ask for tools (default 10). When the last one still asks for tools, one
   * more call (tools offered with `toolChoice: "none"`, and a note that the budget is spent) asks
   * for the best answer from what was found, and the run ends with finishReason `step-limit`.
   */
  maxSteps?: number;
  /** Wall-clock budget of the whole run; the model call or tools in flight are aborted when it passes. */
  timeLimitMs?: number;
  /** Asked before every `sideEffect` tool call; without it those calls are denied. */
  approve?: Approver;
  /** Earlier turns to include, and where this run's messages are saved. */
  memory?: ConversationMemory;
  /** `auto` (default): native tool calling when `model.capabilities.tools`, ReAct otherwise. */
  protocol?: "auto" | AgentProtocol;
  /** Called after each step; awaited, so it may persist or print. */
  onStep?: (step: AgentStepInfo) => void | Promise<void>;
  /** Tool calls of one step that run at the same time (default 4). */
  maxParallelTools?: number;
  /** Characters of one tool output the model is shown (default 20,000); longer output is cut with a note. */
  maxToolOutputChars?: number;
  /**
   * ReAct only: replies out of format in a row that get a correction; the next one is taken as a
   * plain answer (default 2).
   */
  maxCorrections?: number;
  /** Records one trace (operation `tool`) per tool call. Model calls are traced by tracingMiddleware on the model. */
  traces?: Pick<TraceStore, "insert">;
  /** Grouping for tool traces, like tracingMiddleware's. */
  sessionId?: string;
  parentId?: string;
}

export interface AgentResult {
  /** The final answer; on a time limit or abort, the model's last text so far (maybe empty). */
  answer: string;
  /** Every tool call, in order. */
  steps: AgentStep[];
  /**
   * The conversation without the system prompt and memory's history: the given `messages`, the
   * prompt, then what this run added (assistant turns, tool results, the answer). It is also what
   * memory saves. ReAct runs record tool calls in the same native form.
   */
  messages: Message[];
  /** Summed over every model call. */
  usage: Usage;
  /** USD summed over model calls; null when a model's price is unknown. */
  costUsd: number | null;
  finishReason: AgentFinishReason;
  /** Model calls made (the step-limit answer call included). */
  modelCalls: number;
  protocol: AgentProtocol;
}

export type AgentEvent =
  | { type: "step-start"; step: number }
  /** Text as the model writes it (streamAgent only); for ReAct, only the text after `Final Answer:`. */
  | { type: "text-delta"; step: number; delta: string }
  | { type: "tool-call"; step: number; toolCall: ToolCall }
  | { type: "approval-requested"; step: number; toolCall: ToolCall }
  | { type: "approval-denied"; step: number; toolCall: ToolCall; reason: "denied" | "no-approver" }
  | { type: "tool-result"; step: number; toolCallId: string; toolName: string; output: unknown; isError: boolean }
  | ({ type: "finish" } & AgentResult);
