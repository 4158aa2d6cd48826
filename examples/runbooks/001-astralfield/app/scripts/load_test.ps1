#!/bin/sh
# STAND-IN for the team's PowerShell load test: 200 requests, 10 at a time, to /api/leagues; fails when any
# answers 5xx or the p95 is above 2 s (the runbook's SLO). With -BaseUrl URL it loads that deployment;
# without, as before a deployment, it starts the code in this folder on a free port and loads that.
cd "$(dirname "$0")/.."
exec node --input-type=module -e '
import { spawn } from "node:child_process";
import { createServer } from "node:net";
const args = process.argv.slice(1); let url = args[0] === "-BaseUrl" ? args[1] : undefined;
let app;
if (!url) {
  const port = await new Promise((resolve) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  app = spawn(process.execPath, ["server.mjs"], { env: { ...process.env, PORT: String(port), GANTRY_VERSION: "local" }, stdio: "ignore" });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await fetch(url + "/api/health").catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 100));
}
const times = []; let failed = 0;
const one = async () => { const t = performance.now(); const r = await fetch(url + "/api/leagues"); await r.text(); times.push(performance.now() - t); if (r.status >= 500) failed++; };
try { for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 10 }, one)); } finally { app?.kill(); }
times.sort((a, b) => a - b); const p95 = times[Math.floor(times.length * 0.95)];
console.log(`load test of ${url}: ${times.length} requests, ${failed} failed, p95 ${p95.toFixed(1)}ms`);
if (failed > 0 || p95 > 2000) process.exit(1);' -- "$@"
