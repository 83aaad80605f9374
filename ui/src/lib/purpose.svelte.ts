// What the open vault is for (its mode): an organisation's case vault, a
// lawyer's or one person's self-report vault. Screens far from the frame
// (a case's header, search results) read it to leave out what does not
// belong to that purpose, such as "Export for a lawyer" in a lawyer's vault.
import type { VaultMode } from "./bindings";

let mode = $state<VaultMode>("organisation");

/** Set by the home screen whenever the vault's status changes. */
export function setVaultPurpose(next: VaultMode | null | undefined): void {
  mode = next ?? "organisation";
}

/** The open vault's purpose. */
export function vaultPurpose(): VaultMode {
  return mode;
}

/** Whether this vault exports bundles for lawyers (an organisation's does; a lawyer's receives them). */
export function exportsForLawyers(): boolean {
  return mode === "organisation";
}

/** Whether this vault takes activists' self-reports into an intake inbox (an organisation's only). */
export function hasIntakeInbox(): boolean {
  return mode === "organisation";
}
