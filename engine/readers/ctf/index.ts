/**
 * The CTF 1.8 reader folder's public surface: the `TraceReader` the lead registers in
 * `engine/readers/index.ts`, plus the pieces tools and tests use directly.
 */
export { ctfReader, findTraceDirs, openTraceDir } from "./ctf-reader.js";
export { CtfTraceSource } from "./ctf-source.js";
export { parseTsdl } from "./tsdl-parser.js";
export { TsdlError } from "./tsdl-lexer.js";
export { readMetadataText, MetadataFileError } from "./metadata-file.js";
export type { CtfMetadata, CtfType } from "./metadata-model.js";
export { babeltraceLines, isBabeltraceTextSource, type BabeltraceTextSource } from "./bt-text-source.js";
