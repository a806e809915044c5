import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mcpCallOutput } from "../../../src/agents/mcp/call-result.js";
import { expandEnvReferences, mcpServerConfigs } from "../../../src/agents/mcp/server-config.js";
import { loadConfig } from "../../../src/models/config.js";
import { ConfigError, McpError, ToolExecutionError } from "../../../src/spec/errors.js";

/** `${NAME}`: weft's syntax for an environment variable in config values. */
const ref = (name: string) => `\${${name}}`;

describe("mcpCallOutput", () => {
  it("prefers structuredContent, joins plain text, and lists mixed content", () => {
    expect(
      mcpCallOutput({ content: [{ type: "text", text: '{"a":1}' }], structuredContent: { a: 1 } }, { tool: "t" }),
    ).toEqual({ a: 1 });
    expect(
      mcpCallOutput(
        {
          content: [
            { type: "text", text: "one" },
            { type: "text", text: "two" },
          ],
        },
        { tool: "t" },
      ),
    ).toBe("one\ntwo");
    expect(
      mcpCallOutput(
        {
          content: [
            { type: "audio", data: "AAAA", mimeType: "audio/wav" },
            { type: "resource", resource: { uri: "mem://x", mimeType: "application/octet-stream", blob: "AAAAAAAA" } },
          ],
        },
        { tool: "t" },
      ),
    ).toEqual([
      { type: "audio", description: "[audio audio/wav, 3 bytes, not shown]" },
      {
        type: "resource",
        uri: "mem://x",
        mimeType: "application/octet-stream",
        description: "[resource application/octet-stream, 6 bytes, not shown]",
      },
    ]);
    expect(mcpCallOutput({ content: [] }, { tool: "t" })).toBe("");
    expect(mcpCallOutput({ toolResult: { legacy: true } }, { tool: "t" })).toEqual({ legacy: true });
  });

  it("throws ToolExecutionError for isError results, with a fallback message", () => {
    expect(() => mcpCallOutput({ isError: true, content: [{ type: "text", text: "boom" }] }, { tool: "t" })).toThrow(
      new ToolExecutionError({ tool: "t", message: "boom" }),
    );
    expect(() => mcpCallOutput({ isError: true, content: [] }, { tool: "t" })).toThrow(
      /The tool 't' reported an error without a message/,
    );
  });
});

describe("mcpServers in weft.config.json", () => {
  const write = (json: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), "weft-mcp-config-"));
    writeFileSync(join(dir, "weft.config.json"), JSON.stringify(json));
    return dir;
  };

  it("reads stdio and HTTP servers, filling in the transport type", () => {
    const dir = write({
      mcpServers: {
        files: { command: "npx", args: ["-y", "server-files", "."], env: { ROOT: ref("HOME") } },
        search: { url: "https://mcp.example.com/mcp", headers: { Authorization: `Bearer ${ref("SEARCH_TOKEN")}` } },
        legacy: { type: "sse", url: "http://127.0.0.1:9000/sse" },
      },
    });
    const { config } = loadConfig({ cwd: dir, env: {} });
    expect(mcpServerConfigs(config.mcpServers)).toEqual([
      {
        name: "files",
        type: "stdio",
        command: "npx",
        args: ["-y", "server-files", "."],
        env: { ROOT: ref("HOME") },
      },
      {
        name: "search",
        type: "http",
        url: "https://mcp.example.com/mcp",
        headers: { Authorization: `Bearer ${ref("SEARCH_TOKEN")}` },
      },
      { name: "legacy", type: "sse", url: "http://127.0.0.1:9000/sse" },
    ]);
  });

  it("names the bad field", () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ files: {} }, /mcpServers\.files\.command: must name the program to run/],
      [{ files: { command: "x", url: "http://x" } }, /mcpServers\.files: Unrecognized key: "command"/],
      [{ "my files": { command: "x" } }, /mcpServers\.my files: server names use 1-32 letters/],
      [{ api: { url: "not a url" } }, /mcpServers\.api\.url: Invalid URL/],
      [{ api: { type: "websocket", url: "ws://x" } }, /mcpServers\.api\.type/],
      [{ files: { command: "x", args: "--flag" } }, /mcpServers\.files\.args/],
    ];
    for (const [servers, message] of cases) {
      const dir = write({ mcpServers: servers });
      expect(() => loadConfig({ cwd: dir, env: {} }), JSON.stringify(servers)).toThrow(ConfigError);
      expect(() => loadConfig({ cwd: dir, env: {} })).toThrow(message);
    }
  });

  it("expands variable references and names a missing variable", () => {
    expect(
      expandEnvReferences(
        { A: `x-${ref("ONE")}-${ref("TWO")}`, B: "$ONE stays" },
        { server: "s", what: "header", env: { ONE: "1", TWO: "2" } },
      ),
    ).toEqual({ A: "x-1-2", B: "$ONE stays" });
    expect(() =>
      expandEnvReferences({ Authorization: `Bearer ${ref("TOKEN")}` }, { server: "s", what: "header", env: {} }),
    ).toThrow(
      new McpError({
        server: "s",
        message: `MCP server 's': header 'Authorization' uses ${ref("TOKEN")}, which is not set. Set TOKEN in the environment, or change the value in weft.config.json.`,
      }),
    );
  });
});
