import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { Message, TextPart } from "../../spec/language-model.js";

/**
 * Converts weft messages to Chat Completions messages. Each tool result becomes its own `tool`
 * message; non-string tool outputs are sent as JSON.
 *
 * @example
 * toChatMessages([{ role: "user", content: "Hi" }]); // [{ role: "user", content: "Hi" }]
 */
export function toChatMessages(messages: Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
        out.push({ role: "system", content: message.content });
        break;
      case "user":
        out.push({ role: "user", content: userContent(message.content) });
        break;
      case "assistant":
        out.push(assistantMessage(message.content));
        break;
      case "tool":
        for (const part of message.content) {
          const content = typeof part.output === "string" ? part.output : JSON.stringify(part.output ?? null);
          out.push({ role: "tool", tool_call_id: part.toolCallId, content });
        }
        break;
    }
  }
  return out;
}

function userContent(content: string | TextPart[]) {
  if (typeof content === "string") return content;
  if (content.length === 1 && content[0]) return content[0].text;
  return content.map((part) => ({ type: "text" as const, text: part.text }));
}

function assistantMessage(content: Extract<Message, { role: "assistant" }>["content"]) {
  if (typeof content === "string") return { role: "assistant", content } satisfies ChatCompletionAssistantMessageParam;
  const text = content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
  const toolCalls = content.flatMap((part) =>
    part.type === "tool-call"
      ? [
          {
            id: part.toolCallId,
            type: "function" as const,
            function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) },
          },
        ]
      : [],
  );
  const message: ChatCompletionAssistantMessageParam = {
    role: "assistant",
    // Servers reject an empty string next to tool calls; null is the protocol's "no text".
    content: text === "" && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}
