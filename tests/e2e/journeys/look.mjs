// What a person sees, checked: every journey calls look() at each main
// screen. It saves a screenshot under target/screenshots/journeys/ and
// asserts layout invariants measured from the DOM's bounding boxes, and that
// no visible text comes from another language's catalogue.
//
// The invariants are the ones a reader trips over, each found on a real
// screen before it was written down:
//   - two cells of one table row overlap ("Inciden" under the next cell);
//   - a cell leaves its row's vertical band (a wrapped row overlapping the
//     next row's title);
//   - a header cell is cut off (its text is wider than its box);
//   - something sticks out of the window horizontally;
//   - a dialog's primary action is outside the window (Next below the fold);
//   - an English label under a Kazakh header.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, SCREENSHOTS } from "../harness.mjs";

export const SIZES = [
  { width: 1024, height: 640 },
  { width: 1280, height: 800 },
];
export const LANGUAGES = ["en", "ru", "kk"];
export const JOURNEY_SHOTS = join(SCREENSHOTS, "journeys");

function flatten(obj, prefix = "", out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === "object") flatten(v, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = String(v);
  }
  return out;
}

export function catalogue(lang) {
  return flatten(JSON.parse(readFileSync(join(ROOT, "ui", "src", "locales", `${lang}.json`), "utf8")));
}

/**
 * The strings that, seen on a `lang` screen, can only have come from
 * another catalogue: values of the other catalogues that are not also a
 * value of this one, with at least one word of four letters (so "OK",
 * numbers and names shared by all languages never count). Templates
 * ("{count} cases") are reduced to their fixed words.
 */
export function foreignStrings(lang) {
  const own = new Set(Object.values(catalogue(lang)).map((s) => s.trim()));
  const foreign = new Set();
  for (const other of LANGUAGES) {
    if (other === lang) continue;
    for (const value of Object.values(catalogue(other))) {
      const v = value.trim();
      if (own.has(v) || v.includes("{") || !/\p{L}{4,}/u.test(v)) continue;
      foreign.add(v);
    }
  }
  return [...foreign];
}

/** Writes the UI language into a home before the app starts there. */
export function setLanguage(home, lang) {
  const dir = join(home, ".config", "casevault");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "ui.json"), JSON.stringify({ language: lang }));
}

/** Sizes the app window (the window sits at 0,0 on the bare X display). */
export async function setSize(browser, size) {
  await browser.setWindowSize(size.width, size.height);
  await browser.waitUntil(
    async () => {
      const [w, h] = await browser.execute(() => [window.innerWidth, window.innerHeight]);
      return w === size.width && h === size.height;
    },
    { timeout: 5000, timeoutMsg: `the window did not become ${size.width}x${size.height}` },
  );
}

// Runs in the page. Returns a list of problems, each { rule, where, detail }.
function measure(foreign) {
  const problems = [];
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    const s = getComputedStyle(el);
    return s.visibility !== "hidden" && s.display !== "none" && Number(s.opacity) !== 0;
  };
  const describe = (el) => {
    const id = el.closest("[data-testid]")?.getAttribute("data-testid") ?? "";
    const text = (el.innerText || el.value || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ""} "${text}"`;
  };
  // Inside a container that scrolls or clips horizontally, sticking out of
  // the window is the container's business (a wide table in a scroller).
  const clippedByAncestor = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === "auto" || ox === "scroll" || ox === "hidden" || ox === "clip") return true;
    }
    return false;
  };

  if (document.documentElement.scrollWidth > vw + 1) {
    problems.push({ rule: "page-overflows", where: "document", detail: `${document.documentElement.scrollWidth} > ${vw}` });
  }
  const leaves = document.querySelectorAll("button, input, select, textarea, a, label, th, td, h1, h2, h3, h4, p, li, [role=cell], [role=columnheader]");
  for (const el of leaves) {
    if (!visible(el) || clippedByAncestor(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.left < -1) {
      problems.push({ rule: "overflows-window", where: describe(el), detail: `x ${Math.round(r.left)}..${Math.round(r.right)} of ${vw}` });
    }
  }

  const rows = document.querySelectorAll("tr, [role=row]");
  for (const row of rows) {
    if (!visible(row)) continue;
    const band = row.getBoundingClientRect();
    const cells = [...row.children].filter((c) => visible(c));
    const boxes = cells.map((c) => c.getBoundingClientRect());
    for (let i = 0; i < cells.length; i++) {
      const a = boxes[i];
      if (a.top < band.top - 1 || a.bottom > band.bottom + 1) {
        problems.push({ rule: "cell-leaves-row", where: describe(cells[i]), detail: `cell y ${Math.round(a.top)}..${Math.round(a.bottom)}, row ${Math.round(band.top)}..${Math.round(band.bottom)}` });
      }
      for (let j = i + 1; j < cells.length; j++) {
        const b = boxes[j];
        const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (overlapX > 1 && overlapY > 1) {
          problems.push({ rule: "cells-overlap", where: `${describe(cells[i])} / ${describe(cells[j])}`, detail: `${Math.round(overlapX)}x${Math.round(overlapY)} px` });
        }
      }
      const cell = cells[i];
      if ((cell.tagName === "TH" || cell.getAttribute("role") === "columnheader") && cell.scrollWidth > cell.clientWidth + 1) {
        problems.push({ rule: "header-cut-off", where: describe(cell), detail: `${cell.scrollWidth} > ${cell.clientWidth}` });
      }
    }
  }

  const dialogs = document.querySelectorAll("[role=dialog], dialog[open], [aria-modal=true]");
  for (const d of dialogs) {
    if (!visible(d)) continue;
    const primary = [...d.querySelectorAll("[data-primary], button.primary, button[type=submit]")].find(visible);
    if (!primary) continue;
    const r = primary.getBoundingClientRect();
    if (r.bottom > vh + 1 || r.right > vw + 1 || r.top < -1 || r.left < -1) {
      problems.push({ rule: "primary-action-outside", where: describe(primary), detail: `y ${Math.round(r.top)}..${Math.round(r.bottom)} of ${vh}` });
    }
  }

  // Visible text from another catalogue: whole text nodes, and the parts of
  // composed labels ("Қосу: Victims"). Only label separators split a text:
  // a record's own words ("Caseworker (sample)") stay whole, so case data
  // that happens to contain an English word is not taken for a label.
  const foreignSet = new Set(foreign);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    if (!text || !n.parentElement || !visible(n.parentElement)) continue;
    if (n.parentElement.closest("script, style, [data-user-content], [translate=no]")) continue;
    const parts = [text, ...text.split(/\s*[:·•|]\s*/u)].map((p) => p.trim()).filter(Boolean);
    for (const part of parts) {
      if (foreignSet.has(part) && !seen.has(part)) {
        seen.add(part);
        problems.push({ rule: "untranslated", where: describe(n.parentElement), detail: part });
      }
    }
  }
  return problems;
}

/**
 * Looks at the current screen as a person would: saves a screenshot named
 * `{journey}-{lang}-{w}x{h}-{nn}-{screen}.png` and returns the problems
 * found; `assertLooksRight` fails the test with all of them listed.
 */
export async function look(browser, ctx, screen) {
  mkdirSync(JOURNEY_SHOTS, { recursive: true });
  ctx.step = (ctx.step ?? 0) + 1;
  await browser.pause(350); // let WebKit paint what the last action changed
  const name = `${ctx.journey}-${ctx.lang}-${ctx.size.width}x${ctx.size.height}-${String(ctx.step).padStart(2, "0")}-${screen}.png`;
  execFileSync(
    "import",
    ["-window", "root", "-crop", `${ctx.size.width}x${ctx.size.height}+0+0`, "+repage", join(JOURNEY_SHOTS, name)],
    { env: process.env },
  );
  ctx.foreign ??= foreignStrings(ctx.lang);
  const problems = await browser.execute(measure, ctx.foreign);
  return problems.map((p) => ({ screen, ...p }));
}

export async function assertLooksRight(assert, browser, ctx, screen) {
  const problems = await look(browser, ctx, screen);
  assert.deepEqual(
    problems.map((p) => `${p.rule}: ${p.where} (${p.detail})`),
    [],
    `${ctx.journey} ${ctx.lang} ${ctx.size.width}x${ctx.size.height}, screen "${screen}"`,
  );
}
