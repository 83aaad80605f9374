import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import AuditPanel from "./components/AuditPanel.svelte";
import Home from "./components/Home.svelte";
import { setLocale } from "./lib/i18n";
import type { HostBackend } from "./test/host";
import { CASE_ID, seededBackend } from "./test/fixtures";
import { userFiles } from "./test/userFiles";

beforeEach(() => {
  setLocale("en");
});

function renderAudit(backend: HostBackend) {
  const user = userEvent.setup();
  const onLocked = vi.fn();
  render(AuditPanel, { props: { backend, onLocked } });
  return { user, onLocked };
}

async function withPhoto(backend: HostBackend) {
  return backend.attachmentAdd({ record_id: CASE_ID, path: `${userFiles(backend, ["photo.jpg"])}photo.jpg`, derived_from: null, note: null });
}

describe("custody audit", () => {
  it("reports an intact log with its entry count and head hash, with progress over the attachments", async () => {
    const backend = await seededBackend({ progressPauseMs: 30 });
    await withPhoto(backend);
    const audit = vi.spyOn(backend, "auditVerify");
    const { user } = renderAudit(backend);
    expect(screen.getByTestId("audit-quick")).not.toBeChecked();
    expect(screen.getByLabelText("Skip attachment contents (quick)")).toBe(screen.getByTestId("audit-quick"));

    await user.click(screen.getByTestId("audit-run"));
    expect(await screen.findByTestId("audit-progress")).toBeInTheDocument();
    expect(screen.getByTestId("audit-run")).toBeDisabled();
    const result = await screen.findByTestId("audit-result");
    expect(audit).toHaveBeenCalledWith({ quick: false });
    expect(screen.queryByTestId("audit-progress")).not.toBeInTheDocument();

    const log = await backend.custodyTrail({ target: null });
    expect(result).toHaveAttribute("data-ok", "true");
    expect(result).toHaveAttribute("role", "status");
    expect(result).toHaveTextContent("Custody log OK.");
    expect(result).toHaveTextContent(`${log.length} log entries; 4 records and 1 attachments checked.`);
    expect(screen.getByTestId("audit-head").textContent).toBe(log.at(-1)!.hash);
    expect(screen.queryByTestId("audit-problem")).not.toBeInTheDocument();
    expect(screen.queryByTestId("audit-quick-note")).not.toBeInTheDocument();
  });

  it("skips attachment contents when asked", async () => {
    const backend = await seededBackend();
    await withPhoto(backend);
    backend.damageEvidenceFiles();
    const audit = vi.spyOn(backend, "auditVerify");
    const { user } = renderAudit(backend);
    await user.click(screen.getByTestId("audit-quick"));
    await user.click(screen.getByTestId("audit-run"));
    const result = await screen.findByTestId("audit-result");
    expect(audit).toHaveBeenCalledWith({ quick: true });
    // The damage is in the bytes, which a quick audit does not read.
    expect(result).toHaveAttribute("data-ok", "true");
    expect(screen.getByTestId("audit-quick-note")).toHaveTextContent("Attachment contents were skipped");
  });

  it("lists every problem and the first broken link", async () => {
    const backend = await seededBackend();
    const photo = await withPhoto(backend);
    backend.damageEvidenceFiles();
    await backend.tamperCustodyEntry(2);
    const { user } = renderAudit(backend);
    await user.click(screen.getByTestId("audit-run"));

    const result = await screen.findByTestId("audit-result");
    expect(result).toHaveAttribute("data-ok", "false");
    expect(result).toHaveAttribute("role", "alert");
    expect(result).toHaveTextContent("Problems found: 2");
    expect(screen.getByTestId("audit-broken")).toHaveTextContent("The chain breaks at entry 2");
    const problems = within(result).getAllByTestId("audit-problem");
    expect(problems).toHaveLength(2);
    expect(problems[0]).toHaveTextContent("custody log entry 2: its content was changed after it was written");
    expect(problems[0]).toHaveAttribute("data-seq", "2");
    expect(problems[1]).toHaveTextContent('attachment "photo.jpg" is damaged');
    expect(problems[1]).toHaveAttribute("data-target", photo.id);
    expect(screen.getByTestId("audit-head").textContent).toMatch(/^[0-9a-f]{64}$/);
  });

  it("locks the UI when the vault turns out to be locked", async () => {
    const backend = await seededBackend();
    const { user, onLocked } = renderAudit(backend);
    await backend.lockFromBackend();
    await user.click(screen.getByTestId("audit-run"));
    expect(await screen.findByTestId("audit-error")).toHaveAttribute("data-code", "locked");
    expect(onLocked).toHaveBeenCalled();
  });

  it("speaks Russian", async () => {
    setLocale("ru");
    const { user } = renderAudit(await seededBackend());
    expect(screen.getByTestId("audit-run")).toHaveTextContent("Проверить журнал хранения");
    await user.click(screen.getByTestId("audit-run"));
    await waitFor(() => expect(screen.getByTestId("audit-result")).toHaveTextContent("Журнал хранения в порядке."));
  });

  it("sits in the Settings view, after the integrity check", async () => {
    const backend = await seededBackend();
    render(Home, { props: { backend, status: await backend.vaultStatus(), onRefresh: vi.fn(), onLockSettings: vi.fn(), onLocked: vi.fn() } });
    // Home opens on Cases; the vault panels are under Settings.
    await userEvent.setup().click(screen.getByTestId("nav-vault"));
    const verify = screen.getByTestId("verify-section");
    const audit = screen.getByTestId("audit-section");
    expect(verify.compareDocumentPosition(audit) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(audit).getByRole("heading", { level: 2 })).toHaveTextContent("Custody audit");
  });
});
