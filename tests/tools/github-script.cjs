#!/usr/bin/env node
// Runs the script of an `actions/github-script` step the way the action does (an async function of
// github, context, core and require) against a recording stand-in for the GitHub API (issues and
// checks), so the tests can check every call the workflow would make. The step's `env:` is taken from
// process.env. Usage: node github-script.cjs SCRIPT.js FIXTURE.json   (cwd: the job's workspace)
// FIXTURE: {"repo": {"owner", "repo"}, "issue": {"number"}, "comments": [...], "runId", "serverUrl"}.
// Prints {"calls": [{"method", "params"}], "logs": [...]} as JSON.
"use strict";
const { readFileSync } = require("node:fs");

async function main(scriptPath, fixturePath) {
  const script = readFileSync(scriptPath, "utf8");
  const fixture = JSON.parse(readFileSync(fixturePath, "utf8"));
  const calls = [];
  const logs = [];
  const record = (method, data) => async (params) => {
    calls.push({ method, params });
    return { data: typeof data === "function" ? data(params) : data };
  };
  const github = {
    rest: {
      issues: {
        listComments: record("issues.listComments", fixture.comments || []),
        updateComment: record("issues.updateComment", (p) => ({ id: p.comment_id, html_url: `https://example.invalid/comment/${p.comment_id}` })),
        createComment: record("issues.createComment", { id: 999, html_url: "https://example.invalid/comment/999" }),
      },
      checks: {
        create: record("checks.create", { id: 4242, html_url: "https://example.invalid/runs/4242" }),
        update: record("checks.update", (p) => ({ id: p.check_run_id })),
      },
    },
    paginate: async (method, params) => (await method(params)).data,
  };
  const context = {
    repo: fixture.repo,
    issue: fixture.issue || {},
    payload: {},
    runId: fixture.runId || 1,
    serverUrl: fixture.serverUrl || "https://github.com",
  };
  const core = {
    info: (text) => logs.push(text),
    warning: (text) => logs.push(`warning: ${text}`),
    setFailed: (text) => logs.push(`failed: ${text}`),
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction("github", "context", "core", "require", script)(github, context, core, require);
  console.log(JSON.stringify({ calls, logs }, null, 2));
}

main(process.argv[2], process.argv[3]).catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
