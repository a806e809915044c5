export { type ChunkOptions, chunkDocument } from "./chunk-document.js";
export { estimateTokens } from "./estimate-tokens.js";
