export { type BufferMemoryOptions, bufferMemory } from "./buffer-memory.js";
export {
  type ConversationMemory,
  type CountTokens,
  type MemoryState,
  type MessageLog,
  messageLog,
  messageTokens,
  turnBlocks,
  windowMessages,
} from "./memory.js";
export {
  SESSION_MEMORY_KEY,
  type SessionMemoryOptions,
  sessionLog,
  sessionMemory,
} from "./session-memory.js";
export { type SummaryMemoryOptions, summaryMemory } from "./summary-memory.js";
