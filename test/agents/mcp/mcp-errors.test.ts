import { ErrorCode, McpError as SdkMcpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { callError, connectError } from "../../../src/agents/mcp/mcp-errors.js";
import { AbortError, McpError, TimeoutError, ToolExecutionError } from "../../../src/spec/errors.js";

const stdio = { name: "files", command: "files-server", args: ["--root", "."] };
const http = { name: "tickets", url: "http://127.0.0.1:9/mcp" };
const call = (error: unknown, extra: Partial<Parameters<typeof callError>[1]> = {}) =>
  callError(error, {
    config: stdio,
    mcpTool: "read",
    weftTool: "read",
    state: { stderr: "" },
    timeoutMs: 1000,
    ...extra,
  });

describe("MCP error mapping", () => {
  it("a JSON-RPC error answer to a call is a ToolExecutionError the model can act on", () => {
    const error = call(new SdkMcpError(ErrorCode.InvalidParams, "Tool read: path must be a string"));
    expect(ToolExecutionError.isInstance(error)).toBe(true);
    expect(error.message).toBe("MCP server 'files' rejected the call to 'read': Tool read: path must be a string");
  });

  it("timeouts, aborts and lost connections keep their own classes", () => {
    expect(TimeoutError.isInstance(call(new SdkMcpError(ErrorCode.RequestTimeout, "Request timed out")))).toBe(true);
    const aborted = new AbortController();
    aborted.abort();
    expect(AbortError.isInstance(call(new Error("x"), { signal: aborted.signal }))).toBe(true);
    const closed = call(new SdkMcpError(ErrorCode.ConnectionClosed, "Connection closed"));
    expect(McpError.isInstance(closed)).toBe(true);
    expect(closed.message).toMatch(
      /^Lost the connection to MCP server 'files' \(files-server --root \.\) while running 'read'/,
    );
  });

  it("start-up failures it cannot classify still name the server and the command", () => {
    const error = connectError(new Error("Server's protocol version is not supported: 1999-01-01"), {
      config: stdio,
      state: { stderr: "booting\nready\n" },
      startupTimeoutMs: 30_000,
    });
    expect(error.message).toBe(
      "MCP server 'files' did not complete the MCP handshake: Server's protocol version is not supported: 1999-01-01 (stderr: booting | ready). Check that 'files-server --root .' is an MCP server.",
    );
    const slow = connectError(new SdkMcpError(ErrorCode.RequestTimeout, "Request timed out"), {
      config: http,
      state: { stderr: "" },
      startupTimeoutMs: 30_000,
    });
    expect(slow.message).toMatch(
      /^MCP server 'tickets' at http:\/\/127\.0\.0\.1:9\/mcp did not answer the MCP handshake within 30 s\./,
    );
  });
});
