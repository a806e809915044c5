export { parseReActReply, type ReActReply, reactSystemPrompt } from "./react-protocol.js";
export { type AgentStream, runAgent, streamAgent } from "./run-agent.js";
export type {
  AgentEvent,
  AgentFinishReason,
  AgentOptions,
  AgentProtocol,
  AgentResult,
  AgentStep,
  AgentStepInfo,
} from "./types.js";
