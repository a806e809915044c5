import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importNodeLlamaCpp } from "../../src/models/local/engine.js";
import { createLocal, defaultModelsDir, findLocalModels } from "../../src/models/local/index.js";
import { InvalidArgumentError, MissingDependencyError, ModelNotFoundError } from "../../src/spec/errors.js";

// These tests need no model file: they cover naming, lookup and the failures that happen before loading.
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "weft-local-"));
  writeFileSync(path.join(dir, "b.gguf"), "GGUF\u0003\u0000\u0000\u0000");
  writeFileSync(path.join(dir, "A.GGUF"), "GGUF\u0003\u0000\u0000\u0000");
  writeFileSync(path.join(dir, "notes.txt"), "not a model");
  writeFileSync(path.join(dir, "fake.gguf"), "this is plain text, not a model");
  mkdirSync(path.join(dir, "folder.gguf"));
  symlinkSync(path.join(dir, "gone.gguf"), path.join(dir, "dangling.gguf"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("defaultModelsDir", () => {
  it("uses WEFT_MODELS_DIR when set, else ~/.weft/models", () => {
    expect(defaultModelsDir({ WEFT_MODELS_DIR: "/srv/models" })).toBe(path.resolve("/srv/models"));
    expect(defaultModelsDir({})).toBe(path.join(os.homedir(), ".weft", "models"));
    expect(defaultModelsDir({ WEFT_MODELS_DIR: "  " })).toBe(path.join(os.homedir(), ".weft", "models"));
  });
});

describe("findLocalModels", () => {
  it("lists .gguf files (any case) as sorted absolute paths, skipping folders and dangling links", async () => {
    expect(await findLocalModels(dir)).toEqual(["A.GGUF", "b.gguf", "fake.gguf"].map((name) => path.join(dir, name)));
  });

  it("returns an empty list for a missing folder", async () => {
    expect(await findLocalModels(path.join(dir, "does-not-exist"))).toEqual([]);
  });
});

describe("createLocal without loading a model", () => {
  it("names the provider local and rejects bad numeric options", () => {
    expect(createLocal({ modelsDir: dir }).name).toBe("local");
    expect(() => createLocal({ threads: 0 })).toThrow(InvalidArgumentError);
    expect(() => createLocal({ contextSize: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => createLocal().languageModel(" ")).toThrow(InvalidArgumentError);
  });

  it("reports a missing file with the resolved path, the models folder and what is in it", async () => {
    const local = createLocal({ modelsDir: dir, cwd: "/work/somewhere" });
    const error = await local
      .languageModel("./missing.gguf")
      .doGenerate({ messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(path.resolve("/work/somewhere/missing.gguf"));
    expect((error as Error).message).toContain("b.gguf");

    const bare = await local
      .languageModel("nothing-here")
      .countTokens?.("x")
      .catch((e: unknown) => e);
    expect(ModelNotFoundError.isInstance(bare)).toBe(true);
    expect((bare as Error).message).toContain(path.join(dir, "nothing-here.gguf"));
    expect((bare as Error).message).toContain(path.resolve("/work/somewhere/nothing-here.gguf"));
    await local.dispose();
  });

  it("rejects a file that is not GGUF before handing it to llama.cpp", async () => {
    const local = createLocal({ modelsDir: dir });
    const error = await local
      .languageModel("fake.gguf")
      .doGenerate({ messages: [], rawPrompt: "x" })
      .catch((e: unknown) => e);
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/fake\.gguf is not a GGUF model file/);
    await local.dispose();
  });
});

describe("importNodeLlamaCpp", () => {
  it("turns a missing package into MissingDependencyError with the install command", async () => {
    const missing = "node-llama-cpp-not-installed";
    const error = await importNodeLlamaCpp(() => import(missing)).catch((e: unknown) => e);
    expect(MissingDependencyError.isInstance(error)).toBe(true);
    expect((error as MissingDependencyError).packageName).toBe("node-llama-cpp");
    expect((error as Error).message).toBe(
      "Local GGUF models needs the optional package 'node-llama-cpp'. Install it with: npm install node-llama-cpp",
    );
  });

  it("loads the installed package", async () => {
    const lib = await importNodeLlamaCpp();
    expect(typeof lib.getLlama).toBe("function");
  });
});
