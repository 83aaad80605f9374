// Keys in the mock. It parses no key: the keys it hands out (an
// organisation key, an identity) are made up and remembered, so pasting one
// back is taken; any other key gets the core's recorded answer
// (tests/contract/keys.json), or is refused with a pointer to the cases.
import type { IpcError, KeyCheck } from "./bindings";
import { recorded } from "./mockRecorded";

const issued = new Map<string, KeyCheck>();

export function randomHex(n: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A made-up key of this kind (no secret behind it), remembered as issued. */
export function issueKey(kind: "age" | "ssh-ed25519"): KeyCheck {
  // Shaped like the real thing (an age key has 58 characters after age1).
  const hex = randomHex(29);
  const key = kind === "age" ? `age1${hex}` : `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${btoa(hex).slice(0, 49)}`;
  const fingerprint = "SHA256:" + (btoa(randomHex(24)).slice(0, 43).match(/.{1,4}/g) ?? []).join(" ");
  const check: KeyCheck = { key, kind, fingerprint };
  issued.set(key, check);
  return structuredClone(check);
}

/** key_check_text: an issued key, or the core's recorded answer. */
export function checkKey(text: string): KeyCheck {
  const rec = recorded("key_check_text", { key: text });
  if (rec?.error) throw rec.error;
  if (rec) return rec.result as KeyCheck;
  const mine = issued.get(text.trim()) ?? [...issued.values()].find((k) => text.trim().startsWith(`${k.key} `));
  if (mine) return structuredClone(mine);
  console.warn(`mock backend: no contract case records the key "${text}"; add it to tests/contract/keys.json`);
  const err: IpcError = { code: "invalid_input", message: "key: the mock knows keys only from tests/contract/keys.json", params: {}, problems: [] };
  throw err;
}

/** A stand-in for the QR code the core draws: an empty SVG. */
export function mockQrDataUrl(): string {
  return `data:image/svg+xml;base64,${btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 33 33"/>')}`;
}
