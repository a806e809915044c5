import { open, readdir, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ModelNotFoundError } from "../../spec/errors.js";

/**
 * The folder where bare model names (`local:model.gguf`) are looked up: `$WEFT_MODELS_DIR`, else
 * `~/.weft/models`.
 *
 * @example
 * defaultModelsDir(process.env); // "/home/me/.weft/models"
 */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.WEFT_MODELS_DIR?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(os.homedir(), ".weft", "models");
}

/**
 * Lists the `.gguf` files directly inside `dir` as absolute paths, sorted by name. A missing folder
 * yields an empty list.
 *
 * @example
 * await findLocalModels(defaultModelsDir()); // ["/home/me/.weft/models/stories260K.gguf"]
 */
export async function findLocalModels(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const found: string[] = [];
  for (const name of names.sort()) {
    if (!name.toLowerCase().endsWith(".gguf")) continue;
    const full = path.join(path.resolve(dir), name);
    // stat (not lstat) so symlinked models count and dangling links do not.
    const info = await stat(full).catch(() => undefined);
    if (info?.isFile()) found.push(full);
  }
  return found;
}

export interface ModelLocation {
  /** Where the model file is expected. */
  path: string;
  /** Every path that was tried, for error messages. */
  tried: string[];
}

/** True when `name` is a path rather than a bare file name. */
function looksLikePath(name: string): boolean {
  return path.isAbsolute(name) || name.startsWith("~") || name.includes("/") || name.includes(path.sep);
}

function expandHome(name: string): string {
  if (name === "~") return os.homedir();
  if (name.startsWith("~/") || name.startsWith(`~${path.sep}`)) return path.join(os.homedir(), name.slice(2));
  return name;
}

/**
 * Finds the file a `local:` model id names. Paths are taken relative to `cwd`; a bare name is looked
 * up in `modelsDir` first, then in `cwd`, with `.gguf` appended when it has no extension.
 */
export async function locateModel(name: string, options: { modelsDir: string; cwd: string }): Promise<ModelLocation> {
  if (looksLikePath(name)) {
    const full = path.resolve(options.cwd, expandHome(name));
    return { path: full, tried: [full] };
  }
  const fileName = path.extname(name) === "" ? `${name}.gguf` : name;
  const tried = [path.resolve(options.modelsDir, fileName), path.resolve(options.cwd, fileName)];
  for (const candidate of tried) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return { path: candidate, tried };
  }
  return { path: tried[0] as string, tried };
}

/**
 * Checks that the located file exists and starts with the GGUF signature, so a wrong path or a
 * non-model file fails with a readable error instead of a native one.
 */
export async function checkModelFile(modelId: string, location: ModelLocation, modelsDir: string): Promise<void> {
  const info = await stat(location.path).catch(() => undefined);
  if (!info?.isFile()) {
    const available = await findLocalModels(modelsDir).catch(() => []);
    const listing = available.length
      ? ` Models in ${modelsDir}: ${available.map((p) => path.basename(p)).join(", ")}.`
      : ` The models folder ${modelsDir} has no .gguf files.`;
    const where = location.tried.length > 1 ? `any of ${location.tried.join(", ")}` : location.path;
    throw new ModelNotFoundError({
      modelId: `local:${modelId}`,
      detail: `no GGUF file at ${where}.${listing} Pass a path to a .gguf file (local:./model.gguf) or put the file in the models folder (set WEFT_MODELS_DIR or modelsDir to change it).`,
    });
  }
  const magic = await readMagic(location.path);
  if (magic !== "GGUF") {
    throw new ModelNotFoundError({
      modelId: `local:${modelId}`,
      detail: `${location.path} is not a GGUF model file (it does not start with the "GGUF" signature). Local models must be llama.cpp GGUF files; convert or download the .gguf version of the model.`,
    });
  }
}

async function readMagic(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead).toString("latin1");
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
