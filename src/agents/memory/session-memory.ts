import { InvalidArgumentError } from "../../spec/errors.js";
import type { SessionStore } from "../../spec/store.js";
import { bufferMemory } from "./buffer-memory.js";
import type { ConversationMemory, MemoryState, MessageLog } from "./memory.js";

/** The session metadata key under which a memory keeps its state (e.g. the running summary). */
export const SESSION_MEMORY_KEY = "memory";

/**
 * A MessageLog backed by a named session of the store. The memory state is kept in the session's
 * metadata under `memory`; other metadata keys (system prompt, model) are left as they are.
 *
 * @example
 * const log = sessionLog({ sessions: store.sessions, name: "notes" });
 */
export function sessionLog(options: { sessions: SessionStore; name: string }): MessageLog {
  const { sessions, name } = options;
  const metadata = async () => (await sessions.get(name))?.metadata ?? {};
  return {
    async read() {
      const [messages, meta] = await Promise.all([sessions.messages(name), metadata()]);
      const state = meta[SESSION_MEMORY_KEY];
      return { messages, state: state && typeof state === "object" ? (state as MemoryState) : {} };
    },
    append: (messages) => (messages.length ? sessions.append(name, messages) : Promise.resolve()),
    async setState(state) {
      await sessions.setMetadata(name, { ...(await metadata()), [SESSION_MEMORY_KEY]: state });
    },
    async clear() {
      await sessions.clear(name);
      const { [SESSION_MEMORY_KEY]: _dropped, ...rest } = await metadata();
      await sessions.setMetadata(name, rest);
    },
  };
}

export interface SessionMemoryOptions {
  /** The store's sessions (`store.sessions`). */
  sessions: SessionStore;
  /** Session name; the same name continues the conversation in a later run or process. */
  name: string;
  /** The policy deciding what is sent (default `bufferMemory({ maxTokens: 8000 })`). */
  inner?: ConversationMemory;
}

/**
 * Persists the conversation in a named session of the store, so a later run (`--session <name>`)
 * continues it. `inner` decides what of it the model sees; a summary memory's summary is kept in
 * the session metadata.
 *
 * @example
 * const store = await openStore({});
 * const memory = sessionMemory({ sessions: store.sessions, name: "trip", inner: bufferMemory({ maxTokens: 4000 }) });
 * await runAgent({ model, tools, prompt: "Plan day one.", memory });
 */
export function sessionMemory(options: SessionMemoryOptions): ConversationMemory {
  if (!options.name || typeof options.name !== "string") {
    throw new InvalidArgumentError({
      argument: "name",
      message: "sessionMemory needs a session name (a non-empty string).",
    });
  }
  const inner = options.inner ?? bufferMemory({ maxTokens: 8000 });
  if (!inner.withLog) {
    throw new InvalidArgumentError({
      argument: "inner",
      message:
        "sessionMemory: the inner memory cannot be moved to a session (it has no withLog); use bufferMemory or summaryMemory.",
    });
  }
  return inner.withLog(sessionLog({ sessions: options.sessions, name: options.name }));
}
