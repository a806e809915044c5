/** Agents: a tool-calling loop, built-in tools, conversation memory and MCP. */

export { type AnyTool, type Tool, type ToolContext, tool, toolDefinition } from "./tool.js";
