// The standalone fake under hostile input, over a real socket, with its memory watched.
//
//   node .ci/hostile-pass.mjs <base-url> <api-key> <pid> <max-rss-mb>
//
// 1. Hostile requests — lone surrogates in every field, bodies of 1 MiB (hundreds of them), 31 MB
//    (with Content-Length and chunked), bodies that stall, URLs and headers past the server's limits,
//    requests that are not HTTP, odd Host headers, control characters in ids, deep nesting,
//    duplicate keys, NaN, byte order marks: each must get the error envelope with a 4xx status
//    (never a 500, never a hang).
// 2. A load of 16 parallel clients × 300 mixed operations, every answer as the spec says.
// 3. Afterwards the store must be readable: a full list walk, a get and a batch get of every run.
// 4. The process's resident memory (VmRSS) is sampled throughout and must stay under <max-rss-mb>;
//    filled to its cap and then cleared, the journal must give at least 16 MB back.
// Exits non-zero with the reasons on any failure; prints what it measured.
import http from "node:http";
import net from "node:net";
import fs from "node:fs";

const [base, key, pid, maxRssText] = process.argv.slice(2);
const maxRss = Number(maxRssText);
const target = new URL(base);
const failures = [];
let peakRss = 0;
let requests = 0;

const rss = () => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  const mb = kb / 1024;
  peakRss = Math.max(peakRss, mb);
  return mb;
};
const sampler = setInterval(rss, 100);

/** One request through node's client; resolves {status, json, text}. */
function send(method, path, { body, headers = {}, timeoutMs = 20000 } = {}) {
  requests++;
  return new Promise((resolve) => {
    const request = http.request({ host: target.hostname, port: target.port, method, path, agent: false,
      headers: { "X-API-Key": key, ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers } }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: response.statusCode, json, text });
      });
    });
    request.setTimeout(timeoutMs, () => { request.destroy(); resolve({ status: 0, json: null, text: "timed out" }); });
    request.on("error", (error) => resolve({ status: 0, json: null, text: String(error) }));
    if (body !== undefined) request.end(body); else request.end();
  });
}

/** Raw bytes on a fresh connection; resolves {status, json, text} from the first answer, or status 0. */
function raw(bytes, { stallMs = 0, timeoutMs = 20000 } = {}) {
  requests++;
  return new Promise((resolve) => {
    const socket = net.connect(Number(target.port), target.hostname);
    let received = Buffer.alloc(0);
    const done = (result) => { socket.destroy(); clearTimeout(timer); resolve(result); };
    const timer = setTimeout(() => done(parse() ?? { status: 0, json: null, text: "timed out" }), timeoutMs + stallMs);
    const parse = () => {
      const text = received.toString("latin1");
      const headEnd = text.indexOf("\r\n\r\n");
      if (headEnd < 0) return null;
      const head = text.slice(0, headEnd);
      let body = received.subarray(headEnd + 4);
      const length = /content-length:\s*(\d+)/i.exec(head);
      if (/transfer-encoding:\s*chunked/i.test(head)) {
        if (!body.toString("latin1").endsWith("0\r\n\r\n")) return null;
        const parts = []; let at = 0; const s = body.toString("latin1");
        for (;;) { const end = s.indexOf("\r\n", at); const size = parseInt(s.slice(at, end), 16); if (!size) break; parts.push(s.slice(end + 2, end + 2 + size)); at = end + 2 + size + 2; }
        body = Buffer.from(parts.join(""), "latin1");
      } else if (length && body.length < Number(length[1])) return null;
      const textBody = body.toString("utf8");
      let json = null;
      try { json = JSON.parse(textBody); } catch { /* not JSON */ }
      return { status: Number(head.split(" ")[1]), json, text: textBody };
    };
    socket.on("data", (chunk) => { received = Buffer.concat([received, chunk]); const answer = parse(); if (answer) done(answer); });
    socket.on("error", () => done(parse() ?? { status: 0, json: null, text: "connection error" }));
    socket.on("close", () => done(parse() ?? { status: 0, json: null, text: "closed without an answer" }));
    socket.write(bytes);
    if (stallMs > 0) setTimeout(() => {}, stallMs);
  });
}

function expectEnvelope(what, answer, statuses) {
  const ok = statuses.includes(answer.status) && answer.json?.error && typeof answer.json.error.code === "string" && typeof answer.json.error.message === "string";
  if (!ok) failures.push(`${what}: expected the envelope with ${statuses.join("/")}, got ${answer.status} ${answer.text.slice(0, 300)}`);
}

const run = (extra) => JSON.stringify({ url: "https://example.com/products", goal: "List the products", ...extra });
const head = (method, path, extraHeaders = "") => `${method} ${path} HTTP/1.1\r\nHost: ${target.host}\r\nX-API-Key: ${key}\r\n${extraHeaders}`;

// 1. Hostile input.
const started = Date.now();
const creates = ["/v1/automation/run", "/v1/automation/run-async", "/v1/automation/run-sse"];
const surrogateBodies = [
  '{"url":"https://e.com","goal":"a\\ud800b"}', '{"url":"https://e.com/\\udc00","goal":"x"}', '{"url":"https://e.com","goal":"x","\\ud800":1}',
  '{"url":"https://e.com","goal":"x","output_schema":{"a":"\\ud800"}}', '{"url":"https://e.com","goal":"x","output_schema":{"\\udbff":{}}}',
  '{"url":"https://e.com","goal":"x","profile_id":"\\ud800"}', '{"url":"https://e.com","goal":"x","proxy_config":{"enabled":true,"username":"\\ud800"}}',
  '{"url":"https://e.com","goal":"x","credential_item_ids":["\\ud800"]}', '{"url":"https://e.com","goal":"x","webhook_url":"https://h.example/\\ud800"}',
];
for (const path of creates) for (const body of surrogateBodies) expectEnvelope(`surrogate ${path} ${body}`, await send("POST", path, { body }), [400]);
expectEnvelope("surrogate in a batch item", await send("POST", "/v1/automation/run-batch", { body: `{"runs":[${run()},${surrogateBodies[0]}]}` }), [400]);
expectEnvelope("surrogate in run_ids", await send("POST", "/v1/runs/batch", { body: '{"run_ids":["a","\\ud800"]}' }), [400]);
expectEnvelope("surrogate in a scenario", await send("POST", "/_fake/scenarios", { body: '{"goal_contains":"x","result":{"a":"\\ud800"}}' }), [400]);
const nested = (depth) => `{"url":"https://e.com","goal":"x","output_schema":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
for (const [what, body] of [["33 deep", nested(32)], ["1000 deep", "[".repeat(1000) + "]".repeat(1000)], ["duplicate keys", '{"url":"https://e.com","goal":"x","goal":"y"}'],
  ["nested duplicate keys", '{"url":"https://e.com","goal":"x","output_schema":{"a":1,"a":2}}'], ["NaN", '{"url":"https://e.com","goal":"x","agent_config":{"max_steps":NaN}}'],
  ["huge number", '{"url":"https://e.com","goal":"x","agent_config":{"max_steps":1e400}}'], ["BOM", "\ufeff" + run()], ["not UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
  ["empty", ""], ["null", "null"], ["an array", "[]"], ["unknown property", run({ colour: "blue" })]]) {
  expectEnvelope(`body: ${what}`, await send("POST", "/v1/automation/run-async", { body }), [400]);
}
for (const id of ["abc%0A", "abc%0D", "abc%0D%0A", "ab%09c", "abc%7F", "run$1", "..%2F..", "r%C3%BCn"]) {
  expectEnvelope(`id ${id}`, await send("GET", `/v1/runs/${id}`), [400]);
  expectEnvelope(`cancel id ${id}`, await send("POST", `/v1/runs/${id}/cancel`), [400]);
}
expectEnvelope("id 5000 chars", await send("GET", `/v1/runs/${"a".repeat(5000)}`), [404]);
for (const host of ["evil.example", "127.0.0.1:99999", "a b", "[::1"]) {
  const answer = await raw(`${head("GET", "/v1/runs?limit=5").replace(`Host: ${target.host}`, `Host: ${host}`)}Connection: close\r\n\r\n`);
  if (answer.status === 200) {
    if (answer.json.data.some((r) => r.streaming_url && !r.streaming_url.startsWith(base))) failures.push(`Host ${host}: a streaming_url not under ${base}`);
  } else expectEnvelope(`Host ${host}`, answer, [400]);
}
const http10 = await raw(`GET /v1/runs?limit=5 HTTP/1.0\r\nX-API-Key: ${key}\r\n\r\n`);
if (http10.status !== 200 || http10.json.data.some((r) => r.streaming_url && !r.streaming_url.startsWith(base))) failures.push(`HTTP/1.0 without Host: ${http10.status} ${http10.text.slice(0, 200)}`);
// Hundreds of rejected 1 MiB bodies: the case that once took the process past 1 GB.
const mib = Buffer.alloc(1024 * 1024 + 1, 0x61);
for (let round = 0; round < 40; round++) {
  const answers = await Promise.all(Array.from({ length: 10 }, () => send("POST", "/v1/automation/run-async", { body: mib })));
  answers.forEach((answer, i) => expectEnvelope(`1 MiB body ${round * 10 + i}`, answer, [400]));
}
const justUnder = Buffer.from(run({ output_schema: { padding: "x".repeat(1024 * 1024 - 200) } }));
for (let i = 0; i < 20; i++) await send("POST", "/v1/automation/run-async", { body: justUnder });
expectEnvelope("31 MB with Content-Length", await raw(Buffer.concat([Buffer.from(`${head("POST", "/v1/automation/run-async")}Content-Length: 31000000\r\n\r\n`), Buffer.alloc(256 * 1024, 0x61)])), [400]);
const chunk = Buffer.from(`10000\r\n${"a".repeat(0x10000)}\r\n`);
expectEnvelope("2 MiB chunked", await raw(Buffer.concat([Buffer.from(`${head("POST", "/v1/automation/run-async")}Transfer-Encoding: chunked\r\n\r\n`), ...Array(32).fill(chunk)])), [400]);
expectEnvelope("bad chunk", await raw(`${head("POST", "/v1/automation/run-async")}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`), [400]);
const stalls = await Promise.all(Array.from({ length: 8 }, () => raw(`${head("POST", "/v1/automation/run-async")}Content-Length: 100\r\n\r\n{"url":"ht`, { timeoutMs: 15000 })));
stalls.forEach((answer, i) => expectEnvelope(`stalled body ${i}`, answer, [408]));
expectEnvelope("headers that never end", await raw(head("GET", "/v1/runs"), { timeoutMs: 15000 }), [408]);
expectEnvelope("URL of 100 KB", await raw(`${head("GET", `/v1/runs?goal=${"g".repeat(100 * 1024)}`)}\r\n`), [414]);
expectEnvelope("URL of 20 KB", await send("GET", `/v1/runs?goal=${"g".repeat(20 * 1024)}`), [400]);
expectEnvelope("headers of 100 KB", await raw(`${head("GET", "/v1/runs")}X-Big: ${"h".repeat(100 * 1024)}\r\n\r\n`), [431]);
for (const garbage of ["GARBAGE\r\n\r\n", "GET /v1/runs/abc%00 HTTP/1.1\r\nHost: x\r\n\r\n", `GET /v1/runs HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n`,
  `GET /v1/runs HTTP/1.1\r\n\r\n`, "GET / HTTP/9.9\r\nHost: x\r\n\r\n", `POST /v1/runs/batch HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n`]) {
  expectEnvelope(`not HTTP: ${JSON.stringify(garbage.slice(0, 40))}`, await raw(garbage), [400, 505]);
}
const hostileSeconds = (Date.now() - started) / 1000;
const afterHostile = rss();

// 2. Load: 16 clients × 300 mixed operations.
const loadStarted = Date.now();
const created = [];
async function client(n) {
  for (let i = 0; i < 300; i++) {
    const op = (n * 7 + i) % 6;
    let answer;
    if (op === 0) { answer = await send("POST", "/v1/automation/run-async", { body: run({ goal: `client ${n} op ${i}` }) }); if (answer.json?.run_id) created.push(answer.json.run_id); }
    else if (op === 1 && created.length) answer = await send("GET", `/v1/runs/${created[(n + i) % created.length]}`);
    else if (op === 2) answer = await send("GET", `/v1/runs?limit=${1 + (i % 100)}${i % 2 ? "&status=COMPLETED" : ""}`);
    else if (op === 3 && created.length) answer = await send("POST", `/v1/runs/${created[(n * i) % created.length]}/cancel`);
    else if (op === 4 && created.length) answer = await send("POST", "/v1/runs/batch", { body: JSON.stringify({ run_ids: created.slice(-20) }) });
    else answer = await send("POST", "/v1/automation/run-batch", { body: JSON.stringify({ runs: [JSON.parse(run()), JSON.parse(run({ goal: "second" }))] }) });
    if (answer.status !== 200) failures.push(`load client ${n} op ${i}: ${answer.status} ${answer.text.slice(0, 200)}`);
  }
}
await Promise.all(Array.from({ length: 16 }, (_, n) => client(n)));
const loadSeconds = (Date.now() - loadStarted) / 1000;

// 3. The store is readable: a full walk, a get and a batch get of every run.
const ids = [];
let cursor = null;
do {
  const page = await send("GET", `/v1/runs?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  if (page.status !== 200) { failures.push(`list walk: ${page.status} ${page.text.slice(0, 300)}`); break; }
  ids.push(...page.json.data.map((r) => r.run_id));
  cursor = page.json.pagination.next_cursor;
} while (cursor);
let unreadable = 0;
for (const id of ids) if ((await send("GET", `/v1/runs/${id}`)).status !== 200) unreadable++;
for (let i = 0; i < ids.length; i += 100) if ((await send("POST", "/v1/runs/batch", { body: JSON.stringify({ run_ids: ids.slice(i, i + 100) }) })).status !== 200) unreadable++;
if (unreadable) failures.push(`${unreadable} gets or batch gets of stored runs failed`);
const journal = await send("GET", "/_fake/journal?path_prefix=/v1/runs/batch");

// 4. Memory. The journal is filled to its cap first (each body is kept up to 64 KiB, the journal up
// to about 32 MiB), so giving it back is a signal well above the noise of a process that keeps
// serving: a resident size moves by tens of MB as the collector's budgets grow and shrink.
const filler = `{"goal":"${"x".repeat(200 * 1024)}`; // not JSON: answered 400, journaled
for (let i = 0; i < 400; i += 8) {
  await Promise.all(Array.from({ length: 8 }, () => send("POST", "/v1/automation/run-async", { body: filler })));
}
// The lowest of a few samples over 3 s, before and after: the collector runs when it runs.
const settledRss = async () => {
  let lowest = Infinity;
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 500));
    lowest = Math.min(lowest, rss());
  }
  return lowest;
};
const beforeClear = await settledRss();
const clearJournal = async () => {
  const cleared = await send("DELETE", "/_fake/journal");
  if (cleared.status < 200 || cleared.status > 299) failures.push(`DELETE /_fake/journal answered ${cleared.status}: ${cleared.text.slice(0, 200)}`);
  const left = await send("GET", "/_fake/journal?path_prefix=/v1/automation");
  if (left.status !== 200 || (left.json?.entries ?? left.json)?.length !== 0) failures.push(`the journal still has entries after DELETE: ${left.status} ${left.text.slice(0, 200)}`);
};
await clearJournal();
let afterClear = await settledRss();
// At least 16 MB of the journal's ~32 MiB of bodies must come back. The clear ends in a compacting,
// decommitting collection; in one CI run of about a dozen the resident size did not follow it within 3 s
// (391 → 401 MB; 49–167 MB came back in the others), so a second clear — nothing left to free, one more
// collection — is the one retry, printed when used.
let retried = false;
if (afterClear > beforeClear - 16) {
  retried = true;
  console.log(`clearing the full journal gave back ${(beforeClear - afterClear).toFixed(0)} MB within 3 s (${beforeClear.toFixed(0)} → ${afterClear.toFixed(0)} MB); clearing once more`);
  await clearJournal();
  afterClear = await settledRss();
}
clearInterval(sampler);
if (peakRss > maxRss) failures.push(`resident memory peaked at ${peakRss.toFixed(0)} MB, over the bound of ${maxRss} MB`);
if (afterClear > beforeClear - 16) failures.push(`clearing the full journal gave back less than 16 MB (${beforeClear.toFixed(0)} → ${afterClear.toFixed(0)} MB${retried ? ", after a second clear" : ""})`);

console.log(`hostile pass: ${requests} requests; hostile part ${hostileSeconds.toFixed(1)} s, load (16 × 300) ${loadSeconds.toFixed(1)} s; ${ids.length} runs walked, got and batch-got`);
console.log(`journal answer ${journal.status} (${(journal.text.length / 1024).toFixed(0)} KB)`);
console.log(`resident memory: after the hostile part ${afterHostile.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB (bound ${maxRss} MB), before clearing the full journal ${beforeClear.toFixed(0)} MB, after ${afterClear.toFixed(0)} MB`);
if (failures.length) {
  console.error(`${failures.length} failures:\n` + failures.slice(0, 50).join("\n"));
  process.exit(1);
}
console.log("hostile pass: every hostile request got the envelope, the load was served, the store is readable, memory stayed bounded");
