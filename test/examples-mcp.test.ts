import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Examples import "weft" like a user would; that resolves to the built package.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(resolve(root, "dist/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");

describe("MCP examples run as documented", () => {
  it("mcp/use-mcp-tools turns an SDK server's tools into weft tools and calls them", async () => {
    const { main } = await import("../examples/mcp/use-mcp-tools.js");
    const result = await main();
    expect(result.names).toEqual(["stock_level", "reorder"]);
    expect(result.sideEffects).toEqual([false, true]);
    expect(result.rejectedTooMany).toBe(true);
    expect(result.stockAfter).toBe("5");
  });

  it("mcp/serve-weft-tools serves a weft tool to the SDK client over HTTP", async () => {
    const { main } = await import("../examples/mcp/serve-weft-tools.js");
    const result = await main();
    expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(result.tools).toEqual(["moon_phase"]);
    // The total solar eclipse of 8 April 2024 happened at new moon.
    expect(Math.min(result.phase, 1 - result.phase)).toBeLessThan(0.05);
    expect(result.invalidIsError).toBe(true);
    expect(result.invalidMessage).toMatch(/^Invalid arguments for 'moon_phase': date: /);
  });
});
