// What changed between two versions of a record, field by field, as text a
// caseworker can read. Only top-level fields are compared: nested values
// (a place, a consent, a list of perpetrators) are shown whole.

export type Change = { field: string; before: string; after: string };

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

/** A value as one line of text; "" for absent or empty. */
export function formatValue(value: unknown): string {
  if (isEmpty(value)) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value.join(", ");
  return JSON.stringify(value, (_k, v: unknown) => (v === null ? undefined : v));
}

/**
 * Changed top-level fields, in the order they appear in `after` then
 * `before`. An absent field, null, "" and [] count as the same (the core
 * writes an absent optional as null).
 */
export function diffData(before: unknown, after: unknown): Change[] {
  const a = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const b = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changes: Change[] = [];
  for (const field of fields) {
    const was = formatValue(a[field]);
    const now = formatValue(b[field]);
    if (was !== now) changes.push({ field, before: was, after: now });
  }
  return changes;
}
