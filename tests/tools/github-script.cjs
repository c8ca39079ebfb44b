#!/usr/bin/env node
// Runs the script of an `actions/github-script` step the way the action does (an async function of
// github, context, core and require) against a recording stand-in for the GitHub API, so the tests can
// check what the workflow would post. Usage: node github-script.cjs SCRIPT.js FIXTURE.json
// FIXTURE: {"repo": {"owner", "repo"}, "issue": {"number"}, "comments": [...]}. Prints the API calls as JSON.
"use strict";
const { readFileSync } = require("node:fs");

async function main(scriptPath, fixturePath) {
  const script = readFileSync(scriptPath, "utf8");
  const fixture = JSON.parse(readFileSync(fixturePath, "utf8"));
  const calls = [];
  const logs = [];
  const issues = {
    listComments: async (params) => {
      calls.push({ method: "listComments", params });
      return { data: fixture.comments };
    },
    updateComment: async (params) => {
      calls.push({ method: "updateComment", params });
      return { data: { id: params.comment_id, html_url: `https://example.invalid/comment/${params.comment_id}` } };
    },
    createComment: async (params) => {
      calls.push({ method: "createComment", params });
      return { data: { id: 999, html_url: "https://example.invalid/comment/999" } };
    },
  };
  const github = {
    rest: { issues },
    paginate: async (method, params) => (await method(params)).data,
  };
  const context = { repo: fixture.repo, issue: fixture.issue, payload: {} };
  const core = { info: (text) => logs.push(text), warning: (text) => logs.push(`warning: ${text}`) };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction("github", "context", "core", "require", script)(github, context, core, require);
  console.log(JSON.stringify({ calls, logs }, null, 2));
}

main(process.argv[2], process.argv[3]).catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
