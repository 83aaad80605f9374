// The Team view with an S3 remote, against the real core and a real Garage
// (one node started by the sync crate's garage-fixture): the key is typed
// once, kept in the vault and never shown again; two vaults share a case
// through the bucket. Refusals are the core's, asserted by code.
// CASEVAULT_SKIP_GARAGE=1 without a garage binary skips the Garage part,
// as the Rust tests do.
import "@testing-library/jest-dom/vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { setLocale } from "./lib/i18n";
import { toUiError } from "./lib/backend";
import { CASE_ID, seed } from "./test/fixtures";
import { createHostBackend, type HostBackend } from "./test/host";

type GarageLine = { endpoint: string; port: number; bucket: string; address: string; key_id: string; secret: string };

let fixture: ChildProcess | null = null;
let garage: GarageLine | null = null;

/** Builds and starts garage-fixture; null when Garage is missing and the developer opted out. */
async function startGarage(): Promise<GarageLine | null> {
  const root = resolve(import.meta.dirname, "../..");
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), ".casevault-build/target");
  execFileSync("cargo", ["build", "--quiet", "-p", "casevault-sync", "--features", "test-support", "--bin", "garage-fixture"], {
    cwd: root,
    env: { ...process.env, CARGO_TARGET_DIR: target },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const child = spawn(join(target, "debug", "garage-fixture"), [], { stdio: ["pipe", "pipe", "inherit"] });
  fixture = child;
  return await new Promise((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (l) => done(JSON.parse(l) as GarageLine));
    child.once("exit", (code) => (code === 3 ? done(null) : fail(new Error(`garage-fixture exited with ${code}`))));
  });
}

beforeAll(async () => {
  garage = await startGarage();
}, 180_000);

afterAll(() => {
  // Closing its stdin stops Garage.
  fixture?.stdin?.end();
});

beforeEach(() => setLocale("en"));

async function openTeam(backend: HostBackend) {
  const user = userEvent.setup();
  render(App, { props: { backend } });
  await user.click(await screen.findByTestId("nav-team"));
  await screen.findByTestId("team-view");
  await screen.findByTestId("device-key-line");
  return user;
}

/** A port on this computer that nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function typeRemote(user: ReturnType<typeof userEvent.setup>, address: string) {
  const field = screen.getByTestId("sync-folder");
  await user.clear(field);
  await user.click(field);
  await user.paste(address);
}

describe("team view with an S3 store", () => {
  it("keeps the S3 key in the vault: typed once, refused by field, shown by id only, cleared", async () => {
    const backend = await createHostBackend({ exists: true, unlocked: true });
    const user = await openTeam(backend);
    const address = "s3://casevault?endpoint=http://127.0.0.1:3900";
    // A folder shows no key panel.
    expect(screen.queryByTestId("s3-key")).toBeNull();
    await typeRemote(user, address);
    const panel = await screen.findByTestId("s3-key");
    expect(await within(panel).findByTestId("s3-key-needed")).toBeInTheDocument();
    expect(panel).toHaveAttribute("data-stored", "false");
    expect(screen.queryByTestId("sync-folder-problem")).toBeNull();
    // No key: the sync cannot be sent, and the core refuses it the same way.
    expect(screen.getByTestId("sync-submit")).toBeDisabled();
    await expect(backend.spaceSync({ remote: address })).rejects.toSatisfy(
      (e: unknown) => toUiError(e).code === "invalid_input" && toUiError(e).params?.field === "s3_key",
    );
    expect((await backend.spacesList()).last_sync_at).toBeNull();

    // A key id with a space in it is the core's refused_character, on that field; nothing is stored.
    await user.type(within(panel).getByTestId("s3-key-id"), "GK 1");
    await user.type(within(panel).getByTestId("s3-secret"), "first-secret{Enter}");
    const bad = await within(panel).findByTestId("s3-key-error-box");
    expect(bad).toHaveAttribute("data-problem", "refused_character");
    expect(within(panel).getByTestId("s3-key-id")).toHaveAttribute("aria-invalid", "true");
    // Enter stored (tried to), it did not submit the sync.
    expect(screen.queryByTestId("sync-progress")).toBeNull();
    expect(within(panel).getByTestId("s3-secret")).toHaveValue("");
    expect((await backend.syncCredentialsShow()).key_id).toBeNull();

    // Keyboard only: the key id, Tab, the secret, Enter.
    const keyId = within(panel).getByTestId("s3-key-id");
    await user.clear(keyId);
    await user.type(keyId, "GKkey1");
    await user.tab();
    expect(within(panel).getByTestId("s3-secret")).toHaveFocus();
    expect(within(panel).getByTestId("s3-secret")).toHaveAttribute("type", "password");
    const secret = "s3-secret-canary-7f3a9";
    await user.keyboard(`${secret}{Enter}`);
    expect(await within(panel).findByTestId("s3-key-stored")).toHaveTextContent("GKkey1");
    expect(panel).toHaveAttribute("data-stored", "true");
    expect(within(panel).queryByTestId("s3-secret")).toBeNull();
    expect(document.body.innerHTML).not.toContain(secret);
    expect(screen.getByTestId("sync-submit")).not.toBeDisabled();
    expect(await backend.syncCredentialsShow()).toEqual({ key_id: "GKkey1" });
    expect(JSON.stringify(await backend.syncCredentialsShow())).not.toContain(secret);

    // A store nobody answers at: remote_io, worded as the S3 store's; nothing synced.
    const closed = await closedPort();
    await typeRemote(user, `s3://casevault?endpoint=http://127.0.0.1:${closed}`);
    await user.click(screen.getByTestId("sync-submit"));
    const unreachable = await screen.findByTestId("sync-error-box", {}, { timeout: 30_000 });
    expect(unreachable).toHaveAttribute("data-sync", "remote_io");
    expect(unreachable).toHaveAttribute("data-remote", "s3");
    expect((await backend.spacesList()).last_sync_at).toBeNull();

    // The key stays when the view is opened again.
    cleanup();
    const again = await openTeam(backend);
    await typeRemote(again, address);
    expect(await screen.findByTestId("s3-key-stored")).toHaveTextContent("GKkey1");

    // Forgetting it asks for a key again.
    await again.click(screen.getByTestId("s3-key-clear"));
    expect(await screen.findByTestId("s3-key-needed")).toBeInTheDocument();
    expect(screen.getByTestId("s3-key-note")).toBeInTheDocument();
    expect((await backend.syncCredentialsShow()).key_id).toBeNull();
    expect(screen.getByTestId("sync-submit")).toBeDisabled();
  }, 60_000);

  it("shares a case through Garage: a wrong key is remote_denied, the right one syncs both vaults", async (ctx) => {
    if (!garage) return ctx.skip();
    const g = garage;
    const admin = await createHostBackend({ exists: true, unlocked: true, seed: seed() });
    const colleague = await createHostBackend({ exists: true, unlocked: true });
    const colleagueKey = await colleague.deviceKeyShow();
    await admin.spaceCreate({ name: "Garage desk", cases: [CASE_ID] });
    await admin.spaceMemberAdd({ space: "Garage desk", key: colleagueKey.line, label: "Aigerim" });

    let user = await openTeam(admin);
    await typeRemote(user, g.address);
    const panel = await screen.findByTestId("s3-key");
    // A key the store does not know: the store refuses it, by code.
    await user.type(await within(panel).findByTestId("s3-key-id"), g.key_id);
    await user.type(within(panel).getByTestId("s3-secret"), `${"0".repeat(64)}{Enter}`);
    await within(panel).findByTestId("s3-key-stored");
    await user.click(screen.getByTestId("sync-submit"));
    const denied = await screen.findByTestId("sync-error-box", {}, { timeout: 20_000 });
    expect(denied).toHaveAttribute("data-sync", "remote_denied");
    expect((await admin.spacesList()).last_sync_at).toBeNull();

    // The right key: replace it, sync.
    await user.click(within(panel).getByTestId("s3-key-replace"));
    await waitFor(() => expect(within(panel).getByTestId("s3-key-id")).toHaveFocus());
    await user.keyboard(g.key_id);
    await user.tab();
    await user.keyboard(`${g.secret}{Enter}`);
    await waitFor(() => expect(within(panel).queryByTestId("s3-secret")).toBeNull());
    await user.click(screen.getByTestId("sync-submit"));
    const sent = await screen.findByTestId("sync-report", {}, { timeout: 30_000 });
    expect(Number(sent.getAttribute("data-sent"))).toBeGreaterThan(0);
    expect(document.body.innerHTML).not.toContain(g.secret);
    // The address is remembered (it holds no secret).
    expect((await admin.spacesList()).remote).toMatch(/^s3:\/\/casevault-test\?endpoint=http:\/\/127\.0\.0\.1:/);
    cleanup();

    // The colleague stores the same key and joins through Garage.
    user = await openTeam(colleague);
    await typeRemote(user, g.address);
    const theirs = await screen.findByTestId("s3-key");
    await user.type(await within(theirs).findByTestId("s3-key-id"), g.key_id);
    await user.type(within(theirs).getByTestId("s3-secret"), `${g.secret}{Enter}`);
    await within(theirs).findByTestId("s3-key-stored");
    await user.click(screen.getByTestId("sync-submit"));
    // The app asks before joining: the offer comes through Garage too.
    const dialog = await screen.findByTestId("invitation-dialog", {}, { timeout: 30_000 });
    await user.type(within(dialog).getByTestId("invitation-name-input"), "Kazakhstan desk");
    await user.click(within(dialog).getByTestId("invitation-accept"));
    await waitFor(() => expect(screen.queryByTestId("invitation-dialog")).toBeNull());
    await waitFor(() => expect(Number(screen.getByTestId("sync-report").getAttribute("data-applied"))).toBeGreaterThan(0), {
      timeout: 30_000,
    });
    expect((await colleague.casesList()).map((c) => c.id)).toEqual([CASE_ID]);
  }, 120_000);
});
