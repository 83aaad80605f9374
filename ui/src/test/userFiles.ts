// The user's own files, outside the vault, for the tests that attach,
// import or preview them: real bytes of each kind, so that the core's
// sniffing, EXIF reading and hashing answer as they do for a caseworker.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { HostBackend } from "./host";

/** A real JPEG with EXIF capture data (see tests/fixtures/evidence/README.md). */
export const PHOTO_BYTES: Uint8Array = readFileSync("../tests/fixtures/evidence/almaty-photo-exif.jpg");

/** What the fixture photo's EXIF block says, as the core reads it. */
export const PHOTO_CAPTURE = {
  taken_at: "2008-03-14 22:30:00",
  device: "Casevault Test Camera Co. CV-1",
};

// An 8×8 PNG made with ImageMagick.
const PNG_BYTES = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAQMAAAD+wSzIAAAAA1BMVEVKb6WerhXDAAAAC0lEQVQI12NgQAUAABAAAaHFIcEAAAAASUVORK5CYII="),
  (c) => c.charCodeAt(0),
);

/** A plausible file of the kind its name says. */
export function sampleContent(name: string): string | Uint8Array {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  switch (ext) {
    case "jpg":
    case "jpeg":
      return PHOTO_BYTES;
    case "png":
      return PNG_BYTES;
    case "txt":
    case "md":
      return "Показания записаны 14 марта 2019 года.\nStatement recorded on 14 March 2019.\n";
    case "pdf":
      return "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
    case "mp4":
      return new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31]);
    case "mp3":
      return new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64]);
    default:
      return new Uint8Array([0, 159, 146, 150, 1, 2]);
  }
}

/**
 * Writes each named file (sample content unless given) among the user's
 * files and returns the folder they are in, with a final "/", to build
 * full paths from.
 */
export function userFiles(backend: HostBackend, files: (string | [string, string | Uint8Array])[]): string {
  for (const f of files) {
    const [name, content] = typeof f === "string" ? [f, sampleContent(f)] : f;
    backend.writeFile(name, content);
  }
  return dirname(backend.pathFor("any")) + "/";
}
