// What the preview dialog can show of an attachment, and reading the start
// of a text file from its preview URL.

/** At most this much of a text file is read and shown. */
export const TEXT_PREVIEW_LIMIT = 1024 * 1024;

export type PreviewKind = "image" | "video" | "audio" | "text" | "none";

/** How to show a media type; "none" for anything the webview should not render (PDF, office files, archives). */
export function previewKind(mediaType: string): PreviewKind {
  const type = mediaType.split(";")[0].trim().toLowerCase();
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  if (type.startsWith("text/")) return "text";
  return "none";
}

/**
 * The first `limit` bytes of the resource, decoded as UTF-8. The stream is
 * read chunk by chunk and dropped at the limit, so a huge file is never held
 * whole. A character cut at the limit is left out rather than mangled.
 */
export async function readTextPrefix(
  url: string,
  limit: number,
  cancelled: () => boolean = () => false,
): Promise<{ text: string; truncated: boolean }> {
  const response = await fetch(url, { cache: "no-store", credentials: "omit" });
  if (!response.ok) throw new Error(`the preview answered ${response.status}`);
  const decoder = new TextDecoder("utf-8");
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    const truncated = bytes.length > limit;
    return { text: decoder.decode(bytes.subarray(0, limit), { stream: truncated }), truncated };
  }
  const reader = response.body.getReader();
  let text = "";
  let read = 0;
  for (;;) {
    if (cancelled()) {
      await reader.cancel();
      throw new Error("cancelled");
    }
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - read;
    if (value.length > room) {
      text += decoder.decode(value.subarray(0, room), { stream: true });
      await reader.cancel();
      return { text, truncated: true };
    }
    read += value.length;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), truncated: false };
}
