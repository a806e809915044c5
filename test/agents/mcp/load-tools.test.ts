import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMcpTools } from "../../../src/agents/mcp/load-tools.js";
import { InvalidArgumentError, McpError } from "../../../src/spec/errors.js";
import { stdioFixture } from "./fixture-servers.js";

const ctx = () => ({ toolCallId: "call-1", abortSignal: new AbortController().signal });

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("loadMcpTools", () => {
  it("connects to several servers and prefixes only the names that clash", async () => {
    const mcp = await loadMcpTools([stdioFixture("alpha"), stdioFixture("beta")], { reservedNames: ["calculator"] });
    try {
      const names = mcp.tools.map((t) => t.name);
      expect(names).toContain("alpha__add");
      expect(names).toContain("beta__add");
      expect(names).toContain("alpha__files_read");
      expect(names).not.toContain("add");
      expect(new Set(names).size).toBe(names.length);
      const betaAdd = mcp.tools.find((t) => t.name === "beta__add");
      expect(await betaAdd?.execute({ a: 2, b: 2 }, ctx())).toBe("4");
    } finally {
      await mcp.close();
    }
  });

  it("keeps plain names for one server unless a reserved name clashes", async () => {
    const mcp = await loadMcpTools([stdioFixture("solo")], { reservedNames: ["add"] });
    try {
      const names = mcp.tools.map((t) => t.name);
      expect(names).toContain("solo__add");
      expect(names).toContain("weather");
      expect(names).toContain("files_read");
    } finally {
      await mcp.close();
    }
  });

  it("closes the servers that started when another fails, and throws the failure", async () => {
    const dir = mkdtempSync(join(tmpdir(), "weft-mcp-"));
    const pidFile = join(dir, "good.pid");
    const error = await loadMcpTools([
      stdioFixture("good", "--pid-file", pidFile),
      stdioFixture("broken", "--crash-at-start"),
    ]).catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as McpError).server).toBe("broken");
    expect(existsSync(pidFile)).toBe(true);
    expect(isRunning(Number(readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("refuses two servers with one name", async () => {
    await expect(loadMcpTools([stdioFixture("same"), stdioFixture("same")])).rejects.toThrow(InvalidArgumentError);
  });
});
