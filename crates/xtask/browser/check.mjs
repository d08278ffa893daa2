// The rendered book in headless Chromium, page by page, as a reader sees it.
//
// Run by `cargo xtask test` (crates/xtask/src/browser.rs), which serves
// target/book on 127.0.0.1 and passes a JSON config as the only argument:
//   { base, pages, expect, screenshots, noScreenshot, searches, chromium,
//     flags, profile, nodeModules }
// Fails (exit 1) on: a console error or uncaught exception, a request that
// fails or answers >= 400, any request to a host other than loopback, math
// left unrendered (raw delimiters, KaTeX errors, no KaTeX where the source
// has math, KaTeX fonts not loaded), a mermaid block not drawn as SVG, an
// image that does not load, an in-page link to a missing anchor, a language
// switch (English ⇄ 中文) missing or leading nowhere, and a search for a
// configured term that does not find its page (one per edition).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(path.join(config.nodeModules, 'noop.js'));
const { chromium } = require('playwright-core');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const isLoopback = (host) => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

const context = await chromium.launchPersistentContext(config.profile, {
  executablePath: config.chromium,
  headless: true,
  args: config.flags,
  viewport: { width: 1280, height: 900 },
});
const offsite = [];
await context.route('**/*', (route) => {
  const url = new URL(route.request().url());
  if (isLoopback(url.hostname)) return route.continue();
  offsite.push(url.href);
  return route.abort('blockedbyclient');
});

const failures = [];
for (const rel of config.pages) {
  const problems = await checkPage(rel);
  for (const problem of problems) failures.push(`${rel}: ${problem}`);
}
for (const search of config.searches) {
  const searchProblems = await checkSearch(search);
  failures.push(...searchProblems.map((p) => `search: ${p}`));
}
for (const url of new Set(offsite)) failures.push(`request leaves the machine: ${url}`);
await context.close();

if (failures.length > 0) {
  console.log(`\nFAILED: ${failures.length} problems`);
  for (const failure of failures) console.log(`  ${failure}`);
  process.exit(1);
}
console.log(`ok: ${config.pages.length} pages and the search pass in Chromium`);

async function checkPage(rel) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  try {
    await page.goto(config.base + rel, { waitUntil: 'load', timeout: 60000 });
    await page.waitForLoadState('networkidle', { timeout: 30000 });
    // mermaid draws after load; give it time to finish every block.
    await page.waitForFunction(
      () => [...document.querySelectorAll('pre.mermaid')].every((b) => b.querySelector('svg')),
      null, { timeout: 20000 },
    ).catch(() => {});
    await page.evaluate(() => document.fonts.ready.then(() => null));
    const seen = await page.evaluate(inspect);
    problems.push(...judge(rel, seen));
    const other = await page.evaluate(languageSwitch);
    if (other) problems.push(`language switch: ${other}`);
    if (!config.noScreenshot.includes(rel)) {
      const file = path.join(config.screenshots, rel.replace(/\//g, '__').replace(/\.html$/, '.png'));
      await page.screenshot({ path: file, fullPage: true });
      seen.screenshot = file;
    }
    const shot = seen.screenshot ? ` → ${path.relative(process.cwd(), seen.screenshot)}` : '';
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${rel} (math ${seen.katex}, diagrams ${seen.mermaidDrawn}/${seen.mermaid}, images ${seen.images}, in-page links ${seen.anchors})${shot}`);
  } catch (err) {
    problems.push(`could not check: ${err.message.split('\n')[0]}`);
    console.log(`FAIL ${rel}`);
  }
  await page.close();
  return [...new Set(problems)];
}

// Runs in the page: what a reader would see.
function inspect() {
  const main = document.querySelector('main') || document.body;
  const prose = main.cloneNode(true);
  prose.querySelectorAll('pre, code, .katex, script, style, svg').forEach((n) => n.remove());
  const text = prose.textContent;
  const raw = [];
  for (const needle of ['$$', '\\(', '\\)', '\\[', '\\]', '\\frac', '\\begin{']) {
    if (text.includes(needle)) raw.push(needle);
  }
  const inline = text.match(/\$[^\s$][^$\n]{0,80}[^\s$\\]\$/);
  if (inline) raw.push(inline[0]);
  const katexFonts = [...document.fonts].filter((f) => f.family.replace(/"/g, '').startsWith('KaTeX'));
  const blocks = [...document.querySelectorAll('pre.mermaid')];
  const badDiagrams = blocks.filter((b) => {
    const svg = b.querySelector('svg');
    return !svg || /Syntax error/i.test(svg.textContent);
  }).length;
  const brokenImages = [...document.images]
    .filter((img) => !img.complete || img.naturalWidth === 0)
    .map((img) => img.getAttribute('src'));
  const here = location.href.split('#')[0];
  const missing = [];
  let anchors = 0;
  for (const a of document.querySelectorAll('a[href*="#"]')) {
    const url = new URL(a.getAttribute('href'), location.href);
    if (url.href.split('#')[0] !== here || url.hash.length < 2) continue;
    anchors += 1;
    const id = decodeURIComponent(url.hash.slice(1));
    if (!document.getElementById(id) && document.getElementsByName(id).length === 0) {
      missing.push(url.hash);
    }
  }
  return {
    raw,
    katex: main.querySelectorAll('.katex').length,
    katexErrors: main.querySelectorAll('.katex-error').length,
    katexFontsLoaded: katexFonts.filter((f) => f.status === 'loaded').length,
    katexFontsFailed: katexFonts.filter((f) => f.status === 'error').map((f) => f.family),
    mermaid: blocks.length,
    mermaidDrawn: blocks.length - badDiagrams,
    images: document.images.length,
    brokenImages,
    anchors,
    missing,
  };
}

// Runs in the page: '' when the menu bar links to this page in the other
// edition and that page exists, else what is wrong.
async function languageSwitch() {
  if (!document.querySelector('.menu-bar')) return ''; // toc.html
  const link = document.querySelector('.menu-bar .lang-switch');
  if (!link) return 'no English ⇄ 中文 link in the menu bar';
  const res = await fetch(link.href);
  await res.text();
  return res.ok ? '' : `${link.getAttribute('href')} answers HTTP ${res.status}`;
}

function judge(rel, seen) {
  const expect = config.expect[rel] || { math: 0, mermaid: 0 };
  const problems = [];
  if (seen.raw.length) problems.push(`math left unrendered: ${seen.raw.join(' ')}`);
  if (seen.katexErrors) problems.push(`${seen.katexErrors} KaTeX errors`);
  if (expect.math > 0 && seen.katex === 0) {
    problems.push(`the source has ${expect.math} math expressions, the page shows none`);
  }
  if (seen.katex > 0 && seen.katexFontsLoaded === 0) problems.push('no KaTeX font loaded');
  if (seen.katexFontsFailed.length) problems.push(`KaTeX fonts failed: ${seen.katexFontsFailed}`);
  if (seen.mermaid < expect.mermaid) {
    problems.push(`the source has ${expect.mermaid} mermaid blocks, the page ${seen.mermaid}`);
  }
  if (seen.mermaidDrawn < seen.mermaid) {
    problems.push(`${seen.mermaid - seen.mermaidDrawn} mermaid blocks not drawn as SVG`);
  }
  if (seen.brokenImages.length) problems.push(`images not loaded: ${seen.brokenImages.join(' ')}`);
  if (seen.missing.length) problems.push(`in-page links to missing anchors: ${seen.missing.join(' ')}`);
  return problems;
}

async function checkSearch({ page: rel, term, expect }) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  try {
    await page.goto(config.base + rel, { waitUntil: 'load' });
    // As a reader does: open the search bar, type (mdBook searches on key
    // presses), then follow the first hit on the expected page.
    await page.click('#mdbook-search-toggle');
    // The index loads on the first click; a term typed before it is there
    // can be searched half-typed (a two-character Chinese term often was).
    await page.waitForFunction(() => window.search && window.search.index, null, { timeout: 30000 });
    await page.waitForTimeout(500);
    await page.locator('#mdbook-searchbar').pressSequentially(term, { delay: 20 });
    // Characters outside the keyboard layout (Chinese) are inserted without key
    // events, and mdBook searches on keyup: release a key, as an IME does.
    await page.locator('#mdbook-searchbar').press('End');
    const link = `#mdbook-searchresults a[href*="${expect}"]`;
    await page.waitForSelector(link, { timeout: 15000 });
    const hits = await page.locator('#mdbook-searchresults li').count();
    const file = path.join(config.screenshots, `search-${rel.replace(/\//g, '__')}-${term.toLowerCase()}.png`);
    await page.screenshot({ path: file });
    await Promise.all([page.waitForURL(`**/${expect}*`), page.locator(link).first().click()]);
    const hash = new URL(page.url()).hash;
    const found = await page.evaluate((h) => !h || !!document.getElementById(decodeURIComponent(h.slice(1))), hash);
    if (!found) problems.push(`the hit leads to ${page.url()}, which has no anchor ${hash}`);
    console.log(`ok   search "${term}": ${hits} results, the first in ${expect} opens it → ${path.relative(process.cwd(), file)}`);
  } catch (err) {
    problems.push(`"${term}" does not find ${expect}: ${err.message.split('\n')[0]}`);
  }
  await page.close();
  return problems;
}
