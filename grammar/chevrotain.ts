/**
 * chevrotain's runtime values, loaded from the single-file ES build the package ships
 * (`lib/chevrotain.mjs`, same release). The package's `exports` point at `lib/src`, which
 * pulls in some 650 lodash-es modules: resolving and loading them took 0.4–0.7 s at every
 * start of the CLI, against about 30 ms for the bundle. Types still come from "chevrotain".
 * Every value import of chevrotain goes through this file, so token types, `EOF` and the
 * grammar classes all come from one copy.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Chevrotain from "chevrotain";

const entry = createRequire(import.meta.url).resolve("chevrotain"); // <package>/lib/src/api.js
const chevrotain = (await import(pathToFileURL(join(dirname(entry), "..", "chevrotain.mjs")).href)) as typeof Chevrotain;

export const { createToken, CstParser, EOF, generateCstDts, Lexer, tokenMatcher } = chevrotain;
