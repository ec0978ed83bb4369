// Runs Mozilla Readability (on jsdom) over pages for `synthweave bench extract`.
// Usage: node extract.js PAGES.jsonl [PASSES]
// Each input line is {"id": ..., "path": <HTML file, UTF-8>, "url": <page URL or null>}.
// Prints one JSON line per page: {"id", "html": the article's content HTML or null when
// Readability finds no article, "cpu_ms": process CPU time (user + system) of parsing the page
// with jsdom and running Readability on it: the least of PASSES (default 3) timed passes over all
// pages, after one untimed warm-up pass}.
"use strict";
const fs = require("fs");
const { JSDOM, VirtualConsole } = require("jsdom");
const { Readability } = require("@mozilla/readability");

const pages = fs
  .readFileSync(process.argv[2], "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l));
const quiet = new VirtualConsole(); // pages' CSS and script errors are not ours to print

function extract(page, html) {
  const dom = new JSDOM(html, { url: page.url || "http://localhost/", virtualConsole: quiet });
  const article = new Readability(dom.window.document).parse();
  dom.window.close();
  return article && article.content ? article.content : null;
}

const sources = pages.map((p) => fs.readFileSync(p.path, "utf8"));
pages.forEach((p, i) => extract(p, sources[i])); // warm-up: JIT, lazy module loading
const passes = Math.max(1, parseInt(process.argv[3] || "3", 10));
const results = pages.map(() => ({ html: null, error: null, cpu_ms: Infinity }));
for (let pass = 0; pass < passes; pass++) {
  pages.forEach((p, i) => {
    const before = process.cpuUsage();
    let html = null;
    let error = null;
    try {
      html = extract(p, sources[i]);
    } catch (e) {
      error = String(e && e.message ? e.message : e);
    }
    const used = process.cpuUsage(before);
    const r = results[i];
    r.html = html;
    r.error = error;
    r.cpu_ms = Math.min(r.cpu_ms, (used.user + used.system) / 1000);
  });
}
pages.forEach((p, i) => {
  process.stdout.write(JSON.stringify({ id: p.id, ...results[i] }) + "\n");
});
