import "@testing-library/jest-dom/vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { setLocale } from "./lib/i18n";
import { createHostBackend, type HostBackend } from "./test/host";
import { refusalOf } from "./test/contract";

const AGE = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN alice@example";

beforeEach(() => {
  setLocale("en");
});

// Keys, fingerprints and who the NGO works with are as sensitive as the cases.
afterEach(() => {
  setLocale("en");
});

async function openKeys(given?: HostBackend) {
  const backend = given ?? (await createHostBackend({ exists: true, unlocked: true }));
  const user = userEvent.setup();
  render(App, { props: { backend } });
  await user.click(await screen.findByTestId("nav-keys"));
  await screen.findByTestId("keys-view");
  return { user, backend };
}

async function setKey(user: ReturnType<typeof userEvent.setup>, text: string) {
  const field = screen.getByTestId("contact-key");
  await user.clear(field);
  await user.click(field);
  if (text) await user.paste(text);
}

describe("keys & contacts", () => {
  it("shows the organisation key in full, selectable, with its fingerprint and the hint to compare it by phone", async () => {
    const { backend } = await openKeys();
    expect(screen.getByTestId("nav-keys")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Keys & contacts");
    const org = await backend.orgKeyShow();
    const key = await screen.findByTestId("org-key-openssh");
    expect(key).toHaveValue(org.openssh);
    expect(key).toHaveAttribute("readonly");
    expect(org.openssh).toMatch(/^ssh-ed25519 \S+ casevault-org$/);
    expect(screen.getByTestId("org-key-fingerprint")).toHaveTextContent(org.fingerprint);
    expect(screen.getByTestId("org-key-hint")).toHaveTextContent(/phone/);
    expect(screen.getByTestId("org-key-hint")).toHaveTextContent(/lawyer/);
  });

  it("adds contacts: inline checks for secret and RSA keys and the date, the core's message for a damaged or duplicate key", async () => {
    const { user, backend } = await openKeys();
    expect(await screen.findByTestId("contacts-empty")).toBeInTheDocument();
    const submit = screen.getByTestId("contact-submit");
    expect(submit).toBeDisabled();

    await user.type(screen.getByTestId("contact-name"), "Zoe Advocate");
    await user.type(screen.getByTestId("contact-organisation"), "Bureau of Lawyers");

    // The core is asked as a key is pasted: a secret key, a key type it
    // cannot seal to and a damaged key are named before anything is sent.
    const SECRET = "AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGP";
    for (const bad of [SECRET, "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host", AGE.slice(0, -4)]) {
      await setKey(user, bad);
      const refusal = await refusalOf(backend.keyCheckText({ key: bad }));
      await waitFor(() => {
        const problem = screen.getByTestId("contact-key-problem");
        expect(problem).toHaveAttribute("data-code", refusal.code);
        for (const line of refusal.lines) expect(problem).toHaveTextContent(line);
      });
      expect(screen.getByTestId("contact-key")).toHaveAttribute("aria-invalid", "true");
      expect(submit).toBeDisabled();
    }
    expect(await backend.contactsList()).toEqual([]);

    // The date is checked as it is typed.
    await setKey(user, AGE);
    await user.type(screen.getByTestId("contact-verified"), "2026-13-01");
    expect(await screen.findByTestId("contact-verified-error")).toHaveTextContent("YYYY-MM-DD");
    expect(screen.getByTestId("contact-verified")).toHaveAttribute("aria-invalid", "true");
    expect(submit).toBeDisabled();
    await user.clear(screen.getByTestId("contact-verified"));
    await user.type(screen.getByTestId("contact-verified"), "2026-11-20");
    await waitFor(() => expect(screen.queryByTestId("contact-verified-error")).not.toBeInTheDocument());
    await user.click(submit);

    const item = await screen.findByTestId("contact-item");
    const [zoe] = await backend.contactsList();
    expect(item).toHaveAttribute("data-id", zoe.id);
    expect(within(item).getByTestId("contact-item-name")).toHaveTextContent("Zoe Advocate");
    expect(within(item).getByTestId("contact-item-organisation")).toHaveTextContent("Bureau of Lawyers");
    expect(within(item).getByTestId("contact-item-key-type")).toHaveTextContent("age");
    expect(within(item).getByTestId("contact-item-fingerprint")).toHaveTextContent(zoe.fingerprint);
    // One format for every key: SHA256:… as ssh-keygen -l prints it, in groups to read aloud.
    expect(zoe.fingerprint.replace(/ /g, "")).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(within(item).getByTestId("contact-item-verified")).toHaveTextContent("Verified on 2026-11-20");
    expect(screen.getByTestId("contact-added")).toHaveTextContent(zoe.fingerprint);
    expect(screen.queryByTestId("contact-error")).not.toBeInTheDocument();
    // Cleared and ready for the next one.
    expect(screen.getByTestId("contact-name")).toHaveValue("");
    expect(screen.getByTestId("contact-key")).toHaveValue("");
    expect(screen.getByTestId("contact-name")).toHaveFocus();

    // An SSH key without a date: "not verified".
    await user.type(screen.getByTestId("contact-name"), "Alice");
    await setKey(user, SSH);
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(screen.getAllByTestId("contact-item")).toHaveLength(2));
    const alice = screen.getAllByTestId("contact-item")[0];
    expect(within(alice).getByTestId("contact-item-name")).toHaveTextContent("Alice");
    expect(within(alice).getByTestId("contact-item-key-type")).toHaveTextContent("ssh-ed25519");
    expect(within(alice).getByTestId("contact-item-unverified")).toHaveTextContent("Not verified");
    expect(within(alice).queryByTestId("contact-item-organisation")).not.toBeInTheDocument();

    // The same key twice.
    await user.type(screen.getByTestId("contact-name"), "Zoe again");
    const add = vi.spyOn(backend, "contactAdd");
    await setKey(user, AGE);
    await user.click(submit);
    expect(await screen.findByTestId("contact-error")).toHaveAttribute("data-code", "invalid_input");
    // The core names the contact the key belongs to, and so does the screen.
    expect(screen.getByTestId("contact-error")).toHaveTextContent("Zoe Advocate");
    await expect(add.mock.results.at(-1)!.value).rejects.toMatchObject({
      problems: [{ code: "key_already_present", params: { contact: "Zoe Advocate" } }],
    });
    expect(screen.getAllByTestId("contact-item")).toHaveLength(2);
  });

  it("removes a contact only after confirming; Escape cancels and returns to the button", async () => {
    const backend = await createHostBackend({ exists: true, unlocked: true });
    const zoe = await backend.contactAdd({ name: "Zoe", organisation: null, key: AGE, verified_on: null });
    await backend.contactAdd({ name: "Alice", organisation: null, key: SSH, verified_on: null });
    const { user } = await openKeys(backend);
    await waitFor(() => expect(screen.getAllByTestId("contact-item")).toHaveLength(2));

    const remove = screen.getByTestId(`contact-remove-${zoe.id}`);
    await user.click(remove);
    expect(screen.getByTestId("contact-remove-box")).toHaveTextContent("Remove Zoe?");
    expect(screen.getByTestId("contact-remove-confirm")).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("contact-remove-box")).not.toBeInTheDocument();
    expect(screen.getByTestId(`contact-remove-${zoe.id}`)).toHaveFocus();
    expect(await backend.contactsList()).toHaveLength(2);

    await user.click(screen.getByTestId(`contact-remove-${zoe.id}`));
    await user.click(screen.getByTestId("contact-remove-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("contact-item")).toHaveLength(1));
    expect(screen.getByTestId("contact-item")).toHaveTextContent("Alice");
    expect((await backend.contactsList()).map((c) => c.name)).toEqual(["Alice"]);
    expect(screen.getByTestId("contacts-announce")).toHaveTextContent("Zoe was removed");
  });

  it("creates my key for receiving bundles: public key as text, fingerprint, and a QR code image with alt text", async () => {
    const { user, backend } = await openKeys();
    expect(await screen.findByTestId("identities-empty")).toBeInTheDocument();
    expect(screen.getByTestId("identity-create")).toBeDisabled();
    await user.type(screen.getByTestId("identity-label"), "bundles from NGOs{Enter}");

    const item = await screen.findByTestId("identity-item");
    const [v] = await backend.identitiesList();
    expect(item).toHaveAttribute("data-id", v.identity.id);
    expect(within(item).getByTestId("identity-item-label")).toHaveTextContent("bundles from NGOs");
    const recipient = within(item).getByTestId("identity-recipient");
    expect(recipient.textContent).toBe(v.identity.recipient);
    expect(v.identity.recipient).toMatch(/^age1[a-z0-9]{58}$/);
    expect(within(item).getByTestId("identity-fingerprint")).toHaveTextContent(v.identity.fingerprint);
    const qr = within(item).getByTestId("identity-qr");
    expect(qr.tagName).toBe("IMG");
    expect(qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(qr).toHaveAttribute("alt", expect.stringContaining("bundles from NGOs"));
    expect(qr.getAttribute("alt")).toContain(v.identity.fingerprint);
    expect(screen.getByTestId("identity-created")).toHaveTextContent("“bundles from NGOs” was created");
    expect(screen.getByTestId("identity-label")).toHaveValue("");
    // Focus lands on the new public key, ready to copy.
    expect(recipient).toHaveFocus();
  });

  it("speaks Russian too", async () => {
    setLocale("ru");
    const backend = await createHostBackend({ exists: true, unlocked: true, language: "ru" });
    await openKeys(backend);
    expect(screen.getByTestId("nav-keys")).toHaveTextContent("Ключи и контакты");
    expect(screen.getByTestId("nav-bundles")).toHaveTextContent("Открыть пакет");
    expect(await screen.findByTestId("org-key-hint")).toHaveTextContent("по телефону");
    expect(screen.getByTestId("contact-submit")).toHaveTextContent("Добавить контакт");
  });
});
