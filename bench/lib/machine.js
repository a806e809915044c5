import { readFileSync } from "node:fs";
import os from "node:os";

function versionOf(name) {
  try {
    const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, "utf8")).version;
  } catch {
    return "not installed";
  }
}

/** The facts a reader needs to compare figures across machines. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => l.toFixed(2)),
    versions: {
      weft: versionOf(".."),
      ai: versionOf("ai"),
      "@langchain/core": versionOf("@langchain/core"),
      "node-llama-cpp": versionOf("node-llama-cpp"),
    },
  };
}
