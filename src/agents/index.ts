/** Agents: a tool-calling loop, built-in tools, conversation memory and MCP. */

export { type ApprovalRequest, type Approver, autoApprove, terminalApprover } from "./approval.js";
export {
  type AgentEvent,
  type AgentFinishReason,
  type AgentOptions,
  type AgentProtocol,
  type AgentResult,
  type AgentStep,
  type AgentStepInfo,
  type AgentStream,
  parseReActReply,
  type ReActReply,
  reactSystemPrompt,
  runAgent,
  streamAgent,
} from "./loop/index.js";
export {
  type ConnectMcpOptions,
  connectMcpServer,
  type McpConnection,
  type McpToolInfo,
  type McpToolsOptions,
} from "./mcp/connect.js";
export {
  type JsonInputSchema,
  type JsonSchemaToolOptions,
  type JsonSchemaValidator,
  jsonInputSchema,
  jsonSchemaTool,
} from "./mcp/json-schema-tool.js";
export { type LoadedMcpTools, type LoadMcpToolsOptions, loadMcpTools } from "./mcp/load-tools.js";
export {
  type McpHttpServing,
  type McpStdioServing,
  type ServeMcpHttpOptions,
  type ServeMcpStdioOptions,
  serveMcpHttp,
  serveMcpStdio,
} from "./mcp/serve.js";
export { createWeftMcpServer, type McpToolListing, mcpToolListing, type WeftMcpServerOptions } from "./mcp/server.js";
export {
  type McpHttpServerConfig,
  type McpServerConfig,
  type McpStdioServerConfig,
  mcpServerConfigs,
} from "./mcp/server-config.js";
export { sanitizeToolName } from "./mcp/tool-name.js";
export {
  type BufferMemoryOptions,
  bufferMemory,
  type ConversationMemory,
  type CountTokens,
  type SessionMemoryOptions,
  type SummaryMemoryOptions,
  sessionMemory,
  summaryMemory,
} from "./memory/index.js";
export { type AnyTool, type Tool, type ToolContext, tool, toolDefinition } from "./tool.js";
export { type CalculatorResult, type CalculatorToolOptions, calculatorTool } from "./tools/calculator.js";
export { type CodeToolOptions, type CodeToolResult, codeTool } from "./tools/code.js";
export {
  type FileEntry,
  type FileEntryType,
  type FilesToolInput,
  type FilesToolOptions,
  type FilesToolResult,
  filesTool,
} from "./tools/files.js";
export {
  type HttpToolOptions,
  type HttpToolOutput,
  httpGetTool,
  httpPostTool,
  httpTools,
} from "./tools/http.js";
export type { NetPolicy, ResolvedAddress } from "./tools/net-policy.js";
export { type OpenApiCallOutput, type OpenApiToolsOptions, openApiTools } from "./tools/openapi.js";
export { type BraveSearchOptions, braveSearchProvider } from "./tools/search-providers/brave.js";
export { type SearxngSearchOptions, searxngSearchProvider } from "./tools/search-providers/searxng.js";
export type { SearchProviderOptions } from "./tools/search-providers/shared-options.js";
export { type TavilySearchOptions, tavilySearchProvider } from "./tools/search-providers/tavily.js";
export { type PolicyRequest, type PolicyResponse, requestWithPolicy } from "./tools/ssrf-request.js";
export {
  searchProviderFromEnv,
  type WebSearchProvider,
  type WebSearchRequest,
  type WebSearchResult,
  type WebSearchToolOptions,
  webSearchTool,
} from "./tools/web-search.js";
export { type WikipediaArticle, type WikipediaToolOptions, wikipediaTool } from "./tools/wikipedia.js";
