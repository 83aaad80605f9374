// Names across scripts and spellings, for the mock backend only: a small
// copy of the core's name keys (model/names.rs), so that the picker, the
// Names tab and the duplicate check can be worked on and tested without
// the Rust side. Each word becomes a key: Cyrillic romanised, then the
// spellings romanisations disagree on folded to one (ya/ia, y/i, kh/h,
// zh/j/dzh, ts/c, shch/sch, doubled letters).
import type { NameMatch } from "./bindings";

// What deunicode gives for Russian, plus the Kazakh letters it does not know
// (their usual passport spelling), and ё as е (Пётр / Петр / Petr).
const CYRILLIC: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "i",
  к: "k", л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f",
  х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "iu", я: "ia",
  ә: "a", ғ: "g", қ: "k", ң: "n", ө: "o", ұ: "u", ү: "u", һ: "h", і: "i",
};

// Longer patterns first, so that "shch" is not read as "sh" + "ch".
const FOLDS: [string, string][] = [
  ["shch", "sh"],
  ["sch", "sh"],
  ["dzh", "zh"],
  ["kh", "h"],
  ["ts", "c"],
  ["tc", "c"],
  ["x", "ks"],
  ["w", "v"],
  ["j", "zh"],
  ["y", "i"],
];

const TIER_ORDER: Record<NameMatch, number> = { exact: 0, variant: 1, fuzzy: 2 };

function collapseDoubles(word: string): string {
  let out = "";
  for (const c of word) if (!out.endsWith(c)) out += c;
  return out;
}

/** The key of one word: romanised, folded, doubled letters collapsed. */
export function wordKey(word: string): string {
  let romanised = "";
  for (const c of word.toLowerCase()) romanised += CYRILLIC[c] ?? c;
  let ascii = romanised
    .normalize("NFD")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
  for (const [from, to] of FOLDS) ascii = ascii.replaceAll(from, to);
  // After y became i: "ie"/"e" (Aliyev / Алиев) and "io"/"e" (Pyotr / Petr) are one.
  return collapseDoubles(collapseDoubles(ascii).replaceAll("ie", "e").replaceAll("io", "e"));
}

/** The keys of every word of a name. */
export function nameKeys(name: string): string[] {
  return name
    .split(/[^\p{L}\p{N}'ʼ]+/u)
    .map(wordKey)
    .filter((k) => k !== "");
}

export function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[y.length];
}

function allowedEdits(len: number): number {
  return len <= 3 ? 0 : len <= 7 ? 1 : 2;
}

export type NameScore = { how: NameMatch; edits: number };

/** How `name` matches `query`, or null: exact (contains it as typed), variant, or fuzzy. */
export function matchName(query: string, name: string): NameScore | null {
  const lower = query.trim().toLowerCase();
  if (lower === "") return null;
  if (name.toLowerCase().includes(lower)) return { how: "exact", edits: 0 };
  const queryKeys = nameKeys(query);
  if (queryKeys.length === 0) return null;
  const keys = nameKeys(name);
  let how: NameMatch = "variant";
  let edits = 0;
  for (const qk of queryKeys) {
    // A word being typed matches the start of a name's word.
    if (keys.some((k) => k === qk || (qk.length >= 3 && k.startsWith(qk)))) continue;
    const best = Math.min(...keys.map((k) => levenshtein(k, qk)));
    if (best > allowedEdits(qk.length)) return null;
    how = "fuzzy";
    edits += best;
  }
  return { how, edits };
}

/** Orders matches: tier, then edits, then the name. */
export function rankNames(a: NameScore & { name: string }, b: NameScore & { name: string }): number {
  return TIER_ORDER[a.how] - TIER_ORDER[b.how] || a.edits - b.edits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
