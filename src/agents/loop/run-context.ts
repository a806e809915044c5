import type { CallSettings, RunOptions } from "../../generate/call-settings.js";
import { addCost, addUsage } from "../../generate/usage.js";
import type { LanguageModel, Usage } from "../../spec/language-model.js";
import type { TraceStore } from "../../spec/store.js";
import type { Approver } from "../approval.js";
import type { AnyTool } from "../tool.js";
import type { AgentEvent, AgentStep, AgentStepInfo } from "./types.js";

/** The state one agent run shares between its model calls and tool calls. */
export interface AgentRun {
  model: LanguageModel;
  tools: Map<string, AnyTool>;
  /** What every model call gets besides messages, tools and the abort signal. */
  settings: CallSettings & Omit<RunOptions, "abortSignal">;
  /** Aborts on the time limit, the caller's signal, or a stream consumer that stops reading. */
  signal: AbortSignal;
  streaming: boolean;
  emit(event: AgentEvent): void;
  onStep?: (step: AgentStepInfo) => void | Promise<void>;
  approve?: Approver;
  maxParallelTools: number;
  maxToolOutputChars: number;
  traces?: Pick<TraceStore, "insert">;
  sessionId?: string;
  parentId?: string;
  usage: Usage;
  costUsd: number | null;
  modelCalls: number;
  steps: AgentStep[];
  /** The model's last non-empty text: the best answer when a limit stops the run. */
  lastText: string;
}

/** Records one model call's usage and cost in the run. */
export function recordCall(run: AgentRun, usage: Usage, costUsd: number | null): void {
  run.modelCalls++;
  run.usage = addUsage(run.usage, usage);
  run.costUsd = addCost(run.costUsd, costUsd);
}
