// Public keys for the mock backend: a small copy of the checks in
// vault/contacts.rs (age X25519 recipients and ssh-ed25519 keys, with the
// same refusals and English messages) and of the organisation key's
// OpenSSH form and SHA256 fingerprint (vault/org_key.rs). Mock only: the
// keys made here have no secret half, they only look and check like real ones.
import { ipcError } from "./mockRecords";
import { sha256Hex } from "./mockCustody";

const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i];
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const codes = [...hrp].map((c) => c.charCodeAt(0));
  return [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31)];
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | null {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const max = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = (acc << from) | data[i];
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & max);
    }
    acc &= (1 << bits) - 1;
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & max);
  } else if (bits >= from || ((acc << (to - bits)) & max) !== 0) {
    return null;
  }
  return out;
}

/** bech32 with human-readable part `hrp` (age keys are bech32, not bech32m). */
export function bech32Encode(hrp: string, bytes: Uint8Array): string {
  const data = convertBits(bytes, 8, 5, true)!;
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = [0, 1, 2, 3, 4, 5].map((p) => (mod >>> (5 * (5 - p))) & 31);
  return hrp + "1" + [...data, ...checksum].map((d) => BECH32[d]).join("");
}

/** The payload of a bech32 string with this `hrp`; null when it is damaged. */
export function bech32Decode(hrp: string, text: string): Uint8Array | null {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null;
  const s = text.toLowerCase();
  const sep = s.lastIndexOf("1");
  if (s.slice(0, sep) !== hrp || s.length - sep - 1 < 7) return null;
  const data: number[] = [];
  for (const c of s.slice(sep + 1)) {
    const d = BECH32.indexOf(c);
    if (d < 0) return null;
    data.push(d);
  }
  if (polymod([...hrpExpand(hrp), ...data]) !== 1) return null;
  const bytes = convertBits(data.slice(0, -6), 5, 8, false);
  return bytes ? Uint8Array.from(bytes) : null;
}

export function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

export function randomHex(n: number): string {
  return Array.from(randomBytes(n), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** contacts::fingerprint: SHA-256 of the key text, 16 groups of 4 hex digits. */
export function keyFingerprint(key: string): string {
  // crypto::fingerprint::of_recipient: an ssh key by its blob, as ssh-keygen
  // prints it; an age recipient by its text, in the same SHA256: format.
  return sshFingerprint(key) ?? "SHA256:" + toBase64(hexBytes(sha256Hex(key.trim()))).replace(/=+$/, "");
}

/** crypto::fingerprint::same: equal however either is grouped. */
export function sameFingerprint(a: string, b: string): boolean {
  const bare = (s: string) => s.replace(/\s+/g, "");
  return bare(a) !== "" && bare(a) === bare(b);
}

/** A fresh age X25519 recipient (no identity behind it: mock only). */
export function newAgeRecipient(): string {
  return bech32Encode("age", randomBytes(32));
}

const ED25519_NAME = "ssh-ed25519";

/** The OpenSSH wire form of an Ed25519 public key: string "ssh-ed25519", string key. */
function ed25519Blob(key: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(ED25519_NAME);
  const out = new Uint8Array(4 + name.length + 4 + key.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, name.length);
  out.set(name, 4);
  view.setUint32(4 + name.length, key.length);
  out.set(key, 8 + name.length);
  return out;
}

/** The 32-byte key inside an OpenSSH ssh-ed25519 base64 blob; null when damaged. */
function ed25519Key(b64: string): Uint8Array | null {
  const blob = fromBase64(b64);
  if (!blob || blob.length !== 51) return null;
  const view = new DataView(blob.buffer);
  if (view.getUint32(0) !== 11 || new TextDecoder().decode(blob.subarray(4, 15)) !== ED25519_NAME) return null;
  if (view.getUint32(15) !== 32) return null;
  return blob.slice(19);
}

/** A new organisation key's public half: `ssh-ed25519 AAAA… casevault-org`. */
export function newOrgKey(): { openssh: string; fingerprint: string } {
  const blob = ed25519Blob(randomBytes(32));
  const openssh = `${ED25519_NAME} ${toBase64(blob)} casevault-org`;
  return { openssh, fingerprint: sshFingerprint(openssh)! };
}

/** ssh-keygen -l's `SHA256:…` of an OpenSSH ssh-ed25519 key; null if it is not one. */
export function sshFingerprint(openssh: string): string | null {
  const [kind, b64] = openssh.trim().split(/\s+/);
  if (kind !== ED25519_NAME || !b64 || !ed25519Key(b64)) return null;
  return "SHA256:" + toBase64(hexBytes(sha256Hex(fromBase64(b64)!))).replace(/=+$/, "");
}

function invalidKey(problem: string) {
  return ipcError("invalid_input", `key: ${problem}`);
}

/** contacts::parse_recipient: (normalised key, "age" | "ssh-ed25519"), or the core's refusal. */
export function parseRecipient(raw: string): { key: string; type: "age" | "ssh-ed25519" } {
  const text = raw.trim();
  if (text === "") throw invalidKey("paste the recipient's public key (age1… or ssh-ed25519 …)");
  if (text.startsWith("AGE-SECRET-KEY-")) {
    throw invalidKey("this is a SECRET key: never share it. Ask the recipient for their public key (age1…)");
  }
  if (text.startsWith("age1")) {
    const bytes = bech32Decode("age", text);
    if (!bytes || bytes.length !== 32) {
      throw invalidKey("this age public key is damaged or incomplete (invalid recipient); copy it again in full");
    }
    return { key: text.toLowerCase(), type: "age" };
  }
  if (text.startsWith("ssh-ed25519 ")) {
    const [kind, b64 = ""] = text.split(/\s+/);
    if (!ed25519Key(b64)) {
      throw invalidKey("this ssh-ed25519 key is damaged or incomplete; copy the whole line from the .pub file");
    }
    return { key: `${kind} ${b64}`, type: "ssh-ed25519" };
  }
  if (text.startsWith("ssh-") || text.startsWith("ecdsa-")) {
    throw invalidKey("only ssh-ed25519 SSH keys are accepted; ask for an ed25519 key or an age key (age1…)");
  }
  throw invalidKey("this is not a public key Casevault can seal to; it takes age keys (age1…) and ssh-ed25519 keys");
}

/**
 * A QR-code-like SVG for the key, as a data: URL. The real backend renders
 * a real QR code (the qrcode crate); the mock only draws a stand-in with the
 * three finder squares and modules from the key's hash.
 */
export function mockQrDataUrl(text: string): string {
  const n = 25;
  const bits = [...sha256Hex(text).repeat(3)].flatMap((h) => {
    const v = parseInt(h, 16);
    return [v & 8, v & 4, v & 2, v & 1].map(Boolean);
  });
  const finder = (x: number, y: number) =>
    [
      [0, 0],
      [n - 7, 0],
      [0, n - 7],
    ].some(([fx, fy]) => x >= fx && x < fx + 7 && y >= fy && y < fy + 7);
  const finderOn = (x: number, y: number) => {
    const fx = x >= n - 7 ? x - (n - 7) : x;
    const fy = y >= n - 7 ? y - (n - 7) : y;
    const ring = Math.max(Math.abs(fx - 3), Math.abs(fy - 3));
    return ring !== 2;
  };
  const rects: string[] = [];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const on = finder(x, y) ? finderOn(x, y) : bits[(y * n + x) % bits.length];
      if (on) rects.push(`<rect x="${x + 4}" y="${y + 4}" width="1" height="1"/>`);
    }
  }
  const size = n + 8;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="200" height="200" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><g fill="#000">${rects.join("")}</g></svg>`;
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}
