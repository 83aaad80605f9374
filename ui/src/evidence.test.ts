import { screen, waitFor, within } from "@testing-library/svelte";
import type { UserEvent } from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "./lib/i18n";
import { existsSync } from "node:fs";
import { CASE_ID, INCIDENT_ID, renderCase, seededBackend } from "./test/fixtures";
import { PHOTO_BYTES, PHOTO_CAPTURE, userFiles } from "./test/userFiles";

const PHOTO_SIZE = `${PHOTO_BYTES.length} bytes`;

beforeEach(() => {
  setLocale("en");
});

async function openAttachments(user: UserEvent, kind: string, id: string) {
  await user.click(screen.getByTestId(`attachments-toggle-${kind}-${id}`));
  return screen.getByTestId(`attachments-${kind}-${id}`);
}

async function attach(user: UserEvent, path: string, note = "") {
  await user.type(screen.getByTestId("attach-path"), path);
  if (note) await user.type(screen.getByTestId("attach-note"), note);
  await user.click(screen.getByTestId("attach-submit"));
  await screen.findByTestId("attach-done");
}

/** Attaches a file to the case and opens its preview; returns the attachment's id. */
async function openPreview(user: UserEvent, path: string) {
  const block = await openAttachments(user, "case", CASE_ID);
  await attach(user, path);
  const item = await within(block).findByTestId("attachment-item");
  const id = item.getAttribute("data-id")!;
  await user.click(within(item).getByTestId(`preview-open-${id}`));
  await screen.findByTestId("preview-dialog");
  return id;
}

describe("attaching files", () => {
  it("attaches a photo to the case with a note, lists it and logs it", async () => {
    const { user, backend } = await renderCase();
    const home = userFiles(backend, ["photo.jpg"]);
    const toggle = screen.getByTestId(`attachments-toggle-case-${CASE_ID}`);
    await waitFor(() => expect(toggle).toHaveTextContent("Attachments (0)"));
    expect(toggle).toHaveAttribute("aria-expanded", "false");

    const block = await openAttachments(user, "case", CASE_ID);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(within(block).getByTestId("attachments-empty")).toBeInTheDocument();
    await attach(user, `${home}photo.jpg`, "Taken outside the embassy");

    expect(screen.getByTestId("attach-done")).toHaveTextContent("“photo.jpg” was attached.");
    const item = await within(block).findByTestId("attachment-item");
    expect(within(item).getByTestId("attachment-name")).toHaveTextContent("photo.jpg");
    expect(within(item).getByTestId("attachment-type")).toHaveTextContent("image/jpeg");
    expect(within(item).getByTestId("attachment-size")).toHaveTextContent(PHOTO_SIZE);
    expect(within(item).getByTestId("attachment-added")).toHaveTextContent(/^Added by caseworker on /);
    expect(within(item).getByTestId("attachment-note")).toHaveTextContent("Taken outside the embassy");
    expect(toggle).toHaveTextContent("Attachments (1)");
    // The form is cleared and ready for the next file.
    expect(screen.getByTestId("attach-path")).toHaveValue("");
    expect(screen.getByTestId("attach-path")).toHaveFocus();

    const [a] = await backend.attachmentsList({ record_id: CASE_ID });
    expect(a).toMatchObject({ original_name: "photo.jpg", note: "Taken outside the embassy", record_id: CASE_ID });
    expect(item).toHaveAttribute("data-id", a.id);
    const trail = await backend.custodyTrail({ target: a.id });
    // The entry's digest is of the attachment's whole stored state (its SHA-256 among it).
    expect(trail).toMatchObject([{ action: "attach", digest: expect.stringMatching(/^state1:[0-9a-f]{64}$/), detail: `photo.jpg (${PHOTO_SIZE}) to case "${CASE_ID}"` }]);
  });

  it("attaches to an incident by keyboard alone; Escape closes the list and returns to its button", async () => {
    const { user, backend } = await renderCase();
    const home = userFiles(backend, ["notes.txt"]);
    const toggle = screen.getByTestId(`attachments-toggle-incident-${INCIDENT_ID}`);
    toggle.focus();
    await user.keyboard("{Enter}");
    const panel = screen.getByTestId("attachments-panel");
    expect(panel).toHaveFocus();
    expect(screen.getByTestId(`attachments-incident-${INCIDENT_ID}`)).toContainElement(panel);

    await user.tab();
    expect(screen.getByTestId("attach-path")).toHaveFocus();
    await user.keyboard(`${home}notes.txt{Enter}`);
    await screen.findByTestId("attach-done");
    const [a] = await backend.attachmentsList({ record_id: INCIDENT_ID });
    expect(a).toMatchObject({ original_name: "notes.txt", media_type: "text/plain" });

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("attachments-panel")).not.toBeInTheDocument();
    await waitFor(() => expect(toggle).toHaveFocus());
    expect(toggle).toHaveTextContent("Attachments (1)");
  });

  it("only one record's attachments are open at a time", async () => {
    const { user } = await renderCase();
    await openAttachments(user, "case", CASE_ID);
    await openAttachments(user, "incident", INCIDENT_ID);
    expect(screen.getAllByTestId("attachments-panel")).toHaveLength(1);
    expect(screen.getByTestId(`attachments-incident-${INCIDENT_ID}`)).toContainElement(screen.getByTestId("attach-path"));
  });

  it("asks for a full path before sending anything", async () => {
    const { user, backend } = await renderCase();
    const add = vi.spyOn(backend, "attachmentAdd");
    await openAttachments(user, "case", CASE_ID);
    const submit = screen.getByTestId("attach-submit");
    expect(submit).toBeDisabled();

    await user.type(screen.getByTestId("attach-path"), "photo.jpg");
    // The backend's path rule, asked as the path is typed (path_check).
    expect(await screen.findByTestId("attach-path-error")).toHaveTextContent("Give the full path, starting with /");
    expect(screen.getByTestId("attach-path")).toHaveAttribute("aria-invalid", "true");
    await waitFor(() => expect(submit).toBeDisabled());
    await user.keyboard("{Enter}");

    await user.clear(screen.getByTestId("attach-path"));
    await user.type(screen.getByTestId("attach-path"), "~/photo.jpg");
    expect(await screen.findByTestId("attach-path-error")).toHaveTextContent("“~” is not understood here");

    await user.clear(screen.getByTestId("attach-path"));
    await user.type(screen.getByTestId("attach-path"), "/home/test/photo.jpg");
    expect(screen.queryByTestId("attach-path-error")).not.toBeInTheDocument();
    expect(submit).toBeEnabled();
    expect(add).not.toHaveBeenCalled();
  });

  it("shows the backend's error for a file that does not exist, and attaches nothing", async () => {
    const { user, backend } = await renderCase();
    await openAttachments(user, "case", CASE_ID);
    await user.type(screen.getByTestId("attach-path"), "/home/test/missing.jpg");
    await user.click(screen.getByTestId("attach-submit"));

    const err = await screen.findByTestId("attach-error");
    expect(err).toHaveAttribute("data-code", "invalid_input");
    expect(err).toHaveAttribute("role", "alert");
    expect(err).toHaveTextContent("/home/test/missing.jpg");
    // What was typed stays, to be corrected.
    expect(screen.getByTestId("attach-path")).toHaveValue("/home/test/missing.jpg");
    expect(screen.queryByTestId("attach-done")).not.toBeInTheDocument();
    expect(await backend.attachmentsList({ record_id: CASE_ID })).toEqual([]);
  });

  it("shows a progress bar while the file is encrypted into the vault", async () => {
    const backend = await seededBackend({ progressPauseMs: 40 });
    const home = userFiles(backend, ["photo.jpg"]);
    const { user } = await renderCase(backend);
    await openAttachments(user, "case", CASE_ID);
    await user.type(screen.getByTestId("attach-path"), `${home}photo.jpg`);
    await user.click(screen.getByTestId("attach-submit"));

    await screen.findByTestId("attach-progress");
    expect(screen.getByTestId("attach-submit")).toBeDisabled();
    expect(screen.getByTestId("attach-submit")).toHaveTextContent("Attaching…");
    // Determinate once the backend reports bytes done.
    await waitFor(() => expect(screen.getByTestId("attach-progress")).toHaveAttribute("max", String(PHOTO_BYTES.length)));
    expect(screen.getByTestId("attach-progress")).toHaveAccessibleName("Encrypting the file into the vault");
    await screen.findByTestId("attach-done");
    expect(screen.queryByTestId("attach-progress")).not.toBeInTheDocument();
  });

  it("fills the path from the native file dialog, and keeps it as it was when the dialog is cancelled", async () => {
    let answer: string | null = null;
    const pickPath = vi.fn(() => answer);
    const backend = await seededBackend({ fileDialog: pickPath });
    const chosen = `${userFiles(backend, ["Pictures/chosen.png"])}Pictures/chosen.png`;
    answer = chosen;
    const { user } = await renderCase(backend);
    await openAttachments(user, "case", CASE_ID);

    await user.click(screen.getByTestId("attach-choose"));
    expect(pickPath).toHaveBeenCalledWith({ purpose: "open", suggested_name: null });
    await waitFor(() => expect(screen.getByTestId("attach-path")).toHaveValue(chosen));
    expect(screen.getByTestId("attach-path")).toHaveFocus();

    answer = null;
    await user.click(screen.getByTestId("attach-choose"));
    await waitFor(() => expect(pickPath).toHaveBeenCalledTimes(2));
    expect(screen.getByTestId("attach-path")).toHaveValue(chosen);
    await user.click(screen.getByTestId("attach-submit"));
    expect(await screen.findByTestId("attach-done")).toHaveTextContent("chosen.png");
  });

  it("marks a redacted copy with the original it was made from", async () => {
    const { user, backend } = await renderCase();
    const home = userFiles(backend, ["photo.jpg", "photo-blurred.png"]);
    const block = await openAttachments(user, "case", CASE_ID);
    await attach(user, `${home}photo.jpg`);
    const [original] = await backend.attachmentsList({ record_id: CASE_ID });

    await user.type(screen.getByTestId("attach-path"), `${home}photo-blurred.png`);
    await user.selectOptions(screen.getByTestId("attach-derived"), original.id);
    await user.click(screen.getByTestId("attach-submit"));
    await waitFor(() => expect(within(block).getAllByTestId("attachment-item")).toHaveLength(2));

    const [first, second] = within(block).getAllByTestId("attachment-item");
    expect(within(first).queryByTestId("attachment-derived")).not.toBeInTheDocument();
    expect(within(second).getByTestId("attachment-derived")).toHaveTextContent("Redacted or converted copy of photo.jpg");
    expect((await backend.attachmentsList({ record_id: CASE_ID }))[1].derived_from).toBe(original.id);
  });

  it("offers attachments on the case, incidents, proceedings, testimonies and sources, not on people", async () => {
    await renderCase();
    expect(screen.getByTestId(`attachments-case-${CASE_ID}`)).toBeInTheDocument();
    expect(screen.getByTestId(`attachments-incident-${INCIDENT_ID}`)).toBeInTheDocument();
    expect(screen.queryByTestId(/^attachments-person-/)).not.toBeInTheDocument();
  });

  it("speaks Russian", async () => {
    setLocale("ru");
    const { user } = await renderCase();
    await waitFor(() => expect(screen.getByTestId(`attachments-toggle-case-${CASE_ID}`)).toHaveTextContent("Вложения (0)"));
    await openAttachments(user, "case", CASE_ID);
    expect(screen.getByTestId("attach-submit")).toHaveTextContent("Прикрепить файл");
    await user.type(screen.getByTestId("attach-path"), "photo.jpg");
    expect(await screen.findByTestId("attach-path-error")).toHaveTextContent("Укажите полный путь");
  });
});

describe("preview", () => {
  it("shows a picture with its intake metadata and SHA-256, logs the opening, and lets go of the picture on Escape", async () => {
    const { user, backend } = await renderCase();
    const id = await openPreview(user, `${userFiles(backend, ["photo.jpg"])}photo.jpg`);
    const [a] = await backend.attachmentsList({ record_id: CASE_ID });
    const dialog = screen.getByTestId("preview-dialog");
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveTextContent("Attachment “photo.jpg”");
    // Focus moves into the dialog.
    expect(screen.getByTestId("preview-dialog-close")).toHaveFocus();

    const img = await screen.findByTestId("preview-image");
    // Served from memory by the app's own protocol, never a data: URL (the CSP forbids them).
    expect(img.getAttribute("src")).toMatch(/^cvfile:\/\/localhost\/[0-9a-f]{32}$/);
    expect(img).toHaveAttribute("alt", "Picture from “photo.jpg”");

    const meta = screen.getByTestId("preview-meta");
    expect(within(meta).getByTestId("preview-name")).toHaveTextContent("photo.jpg");
    expect(within(meta).getByTestId("preview-size")).toHaveTextContent(PHOTO_SIZE);
    expect(within(meta).getByTestId("preview-type")).toHaveTextContent("image/jpeg");
    expect(within(meta).getByTestId("preview-sha256").textContent).toBe(a.sha256);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(within(meta).getByTestId("preview-capture-taken-at")).toHaveTextContent(PHOTO_CAPTURE.taken_at);
    expect(within(meta).getByTestId("preview-capture-device")).toHaveTextContent(PHOTO_CAPTURE.device);
    // Almaty, 43°15′ N 76°57′ E, as the photo's EXIF block says.
    expect(within(meta).getByTestId("preview-capture-gps")).toHaveTextContent(/^43 deg 15 min 24\.12 sec N, 76 deg 57 min 18 sec E$/);
    expect(within(meta).getByTestId("preview-added")).toHaveTextContent(/^Added by caseworker on /);
    expect(within(meta).getByTestId("preview-note")).toHaveTextContent("none");

    await user.click(screen.getByTestId("preview-sha256-copy"));
    expect(await screen.findByText("Copied.")).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(a.sha256);

    expect((await backend.custodyTrail({ target: id })).map((e) => e.action)).toEqual(["attach", "open_attachment"]);

    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("preview-dialog")).not.toBeInTheDocument();
    expect(img).not.toHaveAttribute("src");
    expect(screen.getByTestId(`preview-open-${id}`)).toHaveFocus();
    // Escape closed only the dialog, not the list behind it.
    expect(screen.getByTestId("attachments-panel")).toBeInTheDocument();
  });

  it("shows a text file as plain text", async () => {
    const backend = await seededBackend();
    const home = userFiles(backend, [["statement.txt", "<b>Показания</b>\nline two"]]);
    const { user } = await renderCase(backend);
    await openPreview(user, `${home}statement.txt`);
    const pre = await screen.findByTestId("preview-text");
    expect(pre.tagName).toBe("PRE");
    expect(pre.textContent).toBe("<b>Показания</b>\nline two");
    expect(pre.querySelector("b")).toBeNull();
    expect(screen.queryByTestId("preview-text-truncated")).not.toBeInTheDocument();
    expect(screen.getByTestId("preview-capture-device")).toHaveTextContent("not in the file");
  });

  it("shows only the first megabyte of a long text", async () => {
    const big = "абвгд\n".repeat(100_000); // 1.1 MB of two-byte letters
    const backend = await seededBackend();
    const home = userFiles(backend, [["chat.txt", big]]);
    const { user } = await renderCase(backend);
    await openPreview(user, `${home}chat.txt`);
    const pre = await screen.findByTestId("preview-text");
    expect(screen.getByTestId("preview-text-truncated")).toHaveTextContent("Only the first 1 MB are shown");
    const shown = pre.textContent ?? "";
    expect(new TextEncoder().encode(shown).length).toBeLessThanOrEqual(1024 * 1024);
    expect(big.startsWith(shown)).toBe(true);
    expect(shown).not.toContain("\uFFFD");
  });

  it("does not render a PDF inline and points to Save a copy", async () => {
    const { user, backend } = await renderCase();
    await openPreview(user, `${userFiles(backend, ["scan.pdf"])}scan.pdf`);
    const msg = await screen.findByTestId("preview-unavailable");
    expect(msg).toHaveTextContent("Files of this type (application/pdf) can't be shown inline here");
    expect(msg).toHaveTextContent("Save a copy as…");
    expect(screen.queryByTestId("preview-image")).not.toBeInTheDocument();
    expect(screen.getByTestId("preview-type")).toHaveTextContent("application/pdf");
  });

  it("plays video and sound in the media elements, and unloads them when the dialog closes", async () => {
    // jsdom has no media pipeline; what matters is that the source is dropped and reloaded to nothing.
    const pause = vi.spyOn(HTMLMediaElement.prototype, "pause").mockImplementation(() => {});
    const load = vi.spyOn(HTMLMediaElement.prototype, "load").mockImplementation(() => {});
    const { user, backend } = await renderCase();
    const home = userFiles(backend, ["clip.mp4", "call.mp3"]);
    await openPreview(user, `${home}clip.mp4`);
    const video = await screen.findByTestId("preview-video");
    expect(video.tagName).toBe("VIDEO");
    expect(video).toHaveAttribute("controls");
    expect(video.getAttribute("src")).toMatch(/^cvfile:\/\/localhost\/[0-9a-f]{32}$/);

    await user.click(screen.getByTestId("preview-dialog-close"));
    expect(screen.queryByTestId("preview-dialog")).not.toBeInTheDocument();
    expect(video).not.toHaveAttribute("src");
    expect(pause).toHaveBeenCalled();
    expect(load).toHaveBeenCalled();

    await user.type(screen.getByTestId("attach-path"), `${home}call.mp3`);
    await user.click(screen.getByTestId("attach-submit"));
    await waitFor(() => expect(screen.getAllByTestId("attachment-item")).toHaveLength(2));
    const mp3 = screen.getAllByTestId("attachment-item")[1];
    await user.click(within(mp3).getByTestId(`preview-open-${mp3.getAttribute("data-id")}`));
    const audio = await screen.findByTestId("preview-audio");
    expect(audio.tagName).toBe("AUDIO");
    expect(audio).toHaveAttribute("controls");
  });

  it("names a damaged file and still shows what was recorded at intake", async () => {
    const backend = await seededBackend();
    const a = await backend.attachmentAdd({ record_id: CASE_ID, path: `${userFiles(backend, ["photo.jpg"])}photo.jpg`, derived_from: null, note: null });
    backend.damageEvidenceFiles();
    const { user } = await renderCase(backend);
    await openAttachments(user, "case", CASE_ID);
    await user.click(await screen.findByTestId(`preview-open-${a.id}`));

    const err = await screen.findByTestId("preview-error");
    expect(err).toHaveAttribute("data-code", "tampered");
    expect(err).toHaveTextContent("This file is damaged or was altered outside Casevault");
    expect(err).toHaveTextContent('attachment "photo.jpg" is damaged');
    expect(screen.queryByTestId("preview-image")).not.toBeInTheDocument();
    expect(screen.getByTestId("preview-sha256")).toHaveTextContent(a.sha256);
  });
});

describe("save a copy", () => {
  it("warns that the copy is not encrypted, saves it where chosen, and never overwrites", async () => {
    let usb = "";
    const pickPath = vi.fn(() => usb);
    const backend = await seededBackend({ fileDialog: pickPath, progressPauseMs: 30 });
    usb = backend.pathFor("usb/photo.jpg");
    const { user } = await renderCase(backend);
    const id = await openPreview(user, `${userFiles(backend, ["photo.jpg"])}photo.jpg`);

    await user.click(screen.getByTestId("preview-save"));
    expect(screen.getByTestId("preview-save")).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByTestId("preview-save-warning")).toHaveTextContent("The copy is NOT encrypted.");
    expect(screen.getByTestId("preview-save-path")).toHaveFocus();
    expect(screen.getByTestId("preview-save-confirm")).toBeDisabled();

    await user.type(screen.getByTestId("preview-save-path"), "photo.jpg");
    expect(await screen.findByTestId("preview-save-path-error")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("preview-save-confirm")).toBeDisabled());
    await user.clear(screen.getByTestId("preview-save-path"));

    await user.click(screen.getByTestId("preview-save-choose"));
    expect(pickPath).toHaveBeenCalledWith({ purpose: "save", suggested_name: "photo.jpg" });
    await waitFor(() => expect(screen.getByTestId("preview-save-path")).toHaveValue(usb));
    await user.click(screen.getByTestId("preview-save-confirm"));
    expect(await screen.findByTestId("preview-save-progress")).toBeInTheDocument();
    const done = await screen.findByTestId("preview-save-done");
    expect(done).toHaveTextContent(`Copy saved to ${usb}. It matches the SHA-256 taken at intake.`);
    expect(screen.queryByTestId("preview-save-progress")).not.toBeInTheDocument();
    expect(existsSync(usb)).toBe(true);

    // The same path again: refused, in words that fit a file (not a vault).
    await user.type(screen.getByTestId("preview-save-path"), `${usb}{Enter}`);
    const err = await screen.findByTestId("preview-save-error");
    expect(err).toHaveAttribute("data-code", "vault_exists");
    expect(err).toHaveTextContent("A file already exists at that path. Casevault never overwrites files");
    expect((await backend.custodyTrail({ target: id })).map((e) => e.action)).toEqual(["attach", "open_attachment", "save_copy"]);
  });
});

describe("custody trail", () => {
  it("lists an attachment's entries in the preview", async () => {
    const { user, backend } = await renderCase();
    await openPreview(user, `${userFiles(backend, ["photo.jpg"])}photo.jpg`);
    await user.click(screen.getByTestId("preview-custody"));
    const trail = screen.getByTestId("preview-custody-trail");
    const rows = await within(trail).findAllByTestId("custody-entry");
    expect(rows.map((r) => r.getAttribute("data-action"))).toEqual(["attach", "open_attachment"]);
    expect(within(rows[0]).getByTestId("custody-action")).toHaveTextContent("File attached");
    expect(within(rows[0]).getByTestId("custody-actor")).toHaveTextContent("caseworker");
    expect(within(rows[0]).getByTestId("custody-detail")).toHaveTextContent(`photo.jpg (${PHOTO_SIZE}) to case "${CASE_ID}"`);
    expect(within(rows[1]).getByTestId("custody-action")).toHaveTextContent("Opened for viewing");
  });

  it("adds a Custody tab to a record's history, reachable with the arrow keys", async () => {
    const { user } = await renderCase();
    await user.click(screen.getByTestId(`history-incident-${INCIDENT_ID}`));
    expect(await screen.findByTestId("history-version")).toBeInTheDocument();
    const versions = screen.getByTestId("history-tab-versions");
    expect(versions).toHaveAttribute("aria-selected", "true");

    versions.focus();
    await user.keyboard("{ArrowRight}");
    const custody = screen.getByTestId("history-tab-custody");
    expect(custody).toHaveAttribute("aria-selected", "true");
    expect(custody).toHaveFocus();
    const list = screen.getByTestId("record-custody");
    const rows = await within(list).findAllByTestId("custody-entry");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveAttribute("data-action", "import");
    expect(within(rows[0]).getByTestId("custody-action")).toHaveTextContent("Added");
    expect(screen.queryByTestId("history-version")).not.toBeInTheDocument();

    setLocale("ru");
    await waitFor(() => expect(within(rows[0]).getByTestId("custody-action")).toHaveTextContent("Добавлено"));
  });
});
