#!/usr/bin/env python3
"""Checks a Casevault bundle's custody trail. Python 3 standard library only.

Run it in the extracted bundle folder (or give the folder):

    python3 verify_custody.py [FOLDER]

It reads checkpoint.txt (the Merkle tree's size and root, signed by the
organisation: check that signature first with ssh-keygen -Y verify, as
README.txt says), custody.jsonl (the exported entries) and
custody-proofs.jsonl (one proof per entry), and checks that every entry is
in the signed tree (RFC 9162 inclusion proofs, SHA-256).

Each entry's leaf commits to its fields one by one. A field the bundle shows
as it was logged comes with its salt, and the commitment is recomputed from
the value shown. A field the bundle changed (a staff name, a protected name)
comes with its commitment only: the proof shows the entry was logged, and
the original value stays hidden. Exit status 0 means every proof holds.
"""

import hashlib
import json
import os
import sys

LEAF_PREFIX = b"casevault custody leaf v1\n"
FIELDS = ["at", "actor", "action", "target", "target_kind", "digest", "detail"]


def sha256(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def unhex32(s):
    if not isinstance(s, str) or len(s) != 64 or s != s.lower():
        raise ValueError("not a 32-byte lowercase hex hash")
    return bytes.fromhex(s)


def commitment(salt, value):
    if value is None:
        return sha256(salt, b"\x00")
    if not isinstance(value, str):
        raise ValueError("a field is neither text nor null")
    return sha256(salt, b"\x01", value.encode("utf-8"))


def leaf_of(entry, proof):
    """The exact bytes of the entry's leaf, from what the bundle shows."""
    if proof.get("seq") != entry.get("seq") or len(proof.get("fields", [])) != len(FIELDS):
        raise ValueError("the proof belongs to another entry")
    seq = entry["seq"]
    if not isinstance(seq, int) or seq < 1:
        raise ValueError("bad seq")
    out = LEAF_PREFIX + seq.to_bytes(8, "big")
    redacted = []
    for name, opening in zip(FIELDS, proof["fields"]):
        if opening.get("field") != name:
            raise ValueError("fields out of order")
        if "salt" in opening and "commitment" not in opening:
            out += commitment(unhex32(opening["salt"]), entry.get(name))
        elif "commitment" in opening and "salt" not in opening:
            out += unhex32(opening["commitment"])
            redacted.append(name)
        else:
            raise ValueError("a field is neither opened nor committed")
    return out, redacted


def root_from_inclusion(index, size, leaf_hash, path):
    """RFC 9162 section 2.1.3.2: the root an audit path leads to."""
    if index >= size:
        raise ValueError("index beyond the tree")
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            raise ValueError("audit path too long")
        if fn % 2 == 1 or fn == sn:
            r = sha256(b"\x01", p, r)
            while fn % 2 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = sha256(b"\x01", r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("audit path too short")
    return r


def read_checkpoint(text):
    lines = text.split("\n")
    if lines[0] != "casevault custody checkpoint v2":
        raise ValueError("checkpoint.txt is not a v2 Casevault custody checkpoint (with a Merkle root)")
    fields = dict(line.split(": ", 1) for line in lines[1:] if line)
    return int(fields["entries"]), unhex32(fields["root"])


def main(folder):
    def read(name):
        with open(os.path.join(folder, name), "rb") as f:
            return f.read().decode("utf-8")

    size, root = read_checkpoint(read("checkpoint.txt"))
    entries = [json.loads(l) for l in read("custody.jsonl").splitlines() if l]
    proofs = [json.loads(l) for l in read("custody-proofs.jsonl").splitlines() if l]
    if len(entries) != len(proofs):
        print("FAILED: custody.jsonl and custody-proofs.jsonl differ in length")
        return 1
    print("Signed log: %d entries, Merkle root %s" % (size, root.hex()))
    bad = 0
    for entry, proof in zip(entries, proofs):
        seq = entry.get("seq")
        try:
            leaf, redacted = leaf_of(entry, proof)
            path = [unhex32(h) for h in proof["audit_path"]]
            ok = root_from_inclusion(seq - 1, size, sha256(b"\x00", leaf), path) == root
        except (ValueError, KeyError, TypeError):
            ok, redacted = False, []
        note = " (redacted: %s)" % ", ".join(redacted) if redacted else ""
        print("%s entry %s: %s%s" % ("ok" if ok else "FAILED", seq, entry.get("action"), note))
        bad += 0 if ok else 1
    if bad:
        print("FAILED: %d of %d entries are not proven to be in the signed log" % (bad, len(entries)))
        return 1
    print("OK: all %d custody entries are in the signed log" % len(entries))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as e:
        print("FAILED: %s" % e)
        sys.exit(1)
