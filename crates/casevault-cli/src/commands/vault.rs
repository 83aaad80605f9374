//! Vault life cycle: init, status, passwd, recover, rekey, backup, restore,
//! verify, lock-settings.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use casevault_core::crypto::kdf::KdfChoice;
use casevault_core::crypto::recovery::RecoveryKey;
use casevault_core::vault::{self, CreateOptions, Credential, LockSettings, Vault};
use casevault_core::{Error, Result};

use super::unlock;
use crate::args::SecretArgs;
use crate::credentials;

fn kdf(ms: u64) -> KdfChoice {
    KdfChoice::Calibrate {
        target: Duration::from_millis(ms),
    }
}

pub fn init(dir: &Path, secrets: &SecretArgs, kdf_ms: u64, self_report: bool) -> Result<()> {
    let passphrase = credentials::init_passphrase(secrets)?;
    eprintln!("Creating the vault (calibrating key derivation to about {kdf_ms} ms)…");
    let (mut vault, recovery) = Vault::create(
        dir,
        &passphrase,
        &CreateOptions { kdf: kdf(kdf_ms) },
        super::session(),
    )?;
    if self_report {
        vault.set_mode(casevault_core::vault::VaultMode::SelfReport)?;
    }
    eprintln!("Vault created at {}", dir.display());
    eprintln!();
    eprintln!("RECOVERY KEY. Write it down or print it now, and keep it apart from this computer.");
    eprintln!(
        "It is shown only this once. Without it, a forgotten passphrase means the vault is lost."
    );
    eprintln!();
    println!("{}", recovery.display_groups().as_str());
    if credentials::interactive() {
        confirm_recovery_key(&vault)?;
    }
    vault.lock();
    Ok(())
}

/// The ceremony: the user types the key back, proving they wrote it down.
fn confirm_recovery_key(vault: &Vault) -> Result<()> {
    loop {
        eprint!("Type the recovery key back to confirm you have it: ");
        let _ = std::io::stderr().flush();
        let mut line = zeroize::Zeroizing::new(String::new());
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| Error::io("read from", "the terminal", e))?;
        match RecoveryKey::parse(&line) {
            Ok(key) if vault.recovery_key_matches(&key)? => {
                eprintln!("Confirmed.");
                return Ok(());
            }
            Ok(_) => eprintln!("That is a valid key, but not this vault's. Check your copy."),
            Err(e) => eprintln!("{e}"),
        }
    }
}

pub fn status(dir: &Path, secrets: &SecretArgs, json: bool) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let s = vault.status()?;
    if json {
        println!("{}", super::to_json(&s)?);
        return Ok(());
    }
    println!("Vault:           {}", s.path);
    println!("Vault id:        {}", s.vault_id);
    println!(
        "Mode:            {}",
        match s.mode {
            casevault_core::vault::VaultMode::Organisation => "organisation",
            casevault_core::vault::VaultMode::Lawyer => "lawyer",
            casevault_core::vault::VaultMode::SelfReport => "self-report",
        }
    );
    println!("Created:         {}", s.created_at);
    println!("Schema version:  {}", s.schema_version);
    println!("Header format:   {}", s.header_format);
    println!("Size on disk:    {} bytes", s.size_bytes);
    for slot in &s.slots {
        println!("Key slot:        {:?} ({})", slot.kind, slot.kdf);
    }
    println!(
        "Auto-lock:       after {} idle minutes",
        s.lock.idle_lock_minutes
    );
    match s.lock.wipe_after_failed_unlocks {
        Some(n) => println!("Wipe keys:       after {n} failed unlocks"),
        None => println!("Wipe keys:       off"),
    }
    if s.failed_unlocks_before_this_one > 0 {
        println!(
            "WARNING: {} failed unlock attempts since the last unlock",
            s.failed_unlocks_before_this_one
        );
    }
    if s.record_counts.is_empty() {
        println!("Records:         none yet");
    }
    for c in &s.record_counts {
        println!("Records:         {}", crate::show::count(c.count, &c.kind));
    }
    Ok(())
}

pub fn passwd(dir: &Path, secrets: &SecretArgs, kdf_ms: u64) -> Result<()> {
    let current = credentials::passphrase(secrets)?;
    let mut vault = Vault::open(
        dir,
        &Credential::Passphrase(current.clone()),
        super::session(),
    )?;
    let new = credentials::new_passphrase(secrets)?;
    vault.change_passphrase(&current, &new, kdf(kdf_ms))?;
    eprintln!(
        "Passphrase changed. The recovery key is unchanged. A copy of the vault taken before still opens with the old passphrase; `casevault rekey` ends that."
    );
    Ok(())
}

pub fn recover(dir: &Path, secrets: &SecretArgs, kdf_ms: u64) -> Result<()> {
    let key = credentials::recovery_key(secrets)?;
    let new = credentials::new_passphrase(secrets)?;
    Vault::recover(dir, &key, &new, kdf(kdf_ms), super::session())?;
    eprintln!(
        "New passphrase set. The recovery key still works; if it or an older copy of the vault may have been seen, `casevault rekey` rotates the data key and issues a new recovery key."
    );
    Ok(())
}

pub fn new_recovery_key(dir: &Path, secrets: &SecretArgs) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    let key = vault.new_recovery_key()?;
    eprintln!(
        "NEW RECOVERY KEY. The old one no longer opens this vault's header, but a copy of the header taken before (a backup, a seized image) still opens with it; `casevault rekey` rotates the data key. Write this one down now:"
    );
    println!("{}", key.display_groups().as_str());
    Ok(())
}

pub fn rekey(dir: &Path, secrets: &SecretArgs) -> Result<()> {
    let passphrase = credentials::passphrase(secrets)?;
    let mut vault = Vault::open(
        dir,
        &Credential::Passphrase(passphrase.clone()),
        super::session(),
    )?;
    let outcome = vault.rekey(&passphrase, &mut super::evidence::progress("re-encrypting"))?;
    eprintln!(
        "Data key rotated: the database and {} encrypted file(s) are under new keys. Copies of the vault or its header taken before this cannot open anything written from now on. The passphrase is unchanged.",
        outcome.files
    );
    eprintln!();
    eprintln!("NEW RECOVERY KEY. The old one no longer works. Write this one down now:");
    println!("{}", outcome.recovery_key.display_groups().as_str());
    if credentials::interactive() {
        confirm_recovery_key(&vault)?;
    }
    Ok(())
}

pub fn backup(dir: &Path, secrets: &SecretArgs, out: &Path) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let show = credentials::interactive();
    let report = vault.backup_to(out, &mut |done, total| {
        if show && total > 0 {
            eprint!("\rBacking up: {:3}%", done * 100 / total);
        }
    })?;
    if show {
        eprintln!();
    }
    eprintln!(
        "Backup written: {} ({} bytes). It opens with the same passphrase or recovery key.",
        report.path, report.bytes
    );
    Ok(())
}

pub fn restore(backup: &Path, to: &Path, secrets: &SecretArgs) -> Result<()> {
    let credential = if secrets.recovery_key_file.is_some()
        || std::env::var_os("CASEVAULT_RECOVERY_KEY").is_some()
    {
        Credential::RecoveryKey(credentials::recovery_key(secrets)?)
    } else {
        Credential::Passphrase(credentials::passphrase(secrets)?)
    };
    vault::backup::restore(backup, to, &credential, super::session())?;
    eprintln!("Restored and verified into {}", to.display());
    Ok(())
}

pub fn verify(dir: &Path, secrets: &SecretArgs) -> Result<()> {
    let vault = unlock(dir, secrets)?;
    let problems = vault.verify()?;
    if problems.is_empty() {
        println!(
            "OK: every page's HMAC, the database structure and the key-slot header check out."
        );
        Ok(())
    } else {
        for p in &problems {
            println!("PROBLEM: {p}");
        }
        Err(Error::tampered(format!(
            "{} problem(s) found",
            problems.len()
        )))
    }
}

pub fn lock_settings(
    dir: &Path,
    secrets: &SecretArgs,
    idle: Option<u32>,
    wipe: Option<&str>,
) -> Result<()> {
    let mut vault = unlock(dir, secrets)?;
    let mut settings: LockSettings = vault.lock_settings()?;
    if let Some(m) = idle {
        settings.idle_lock_minutes = m;
    }
    if let Some(w) = wipe {
        settings.wipe_after_failed_unlocks = match w {
            "off" => None,
            n => Some(n.parse().map_err(|_| {
                Error::invalid(
                    "--wipe-after",
                    casevault_core::model::problem::ProblemCode::NotOneOf
                        .with("value", n)
                        .with("allowed", "3-100, off"),
                )
            })?),
        };
    }
    if idle.is_some() || wipe.is_some() {
        vault.set_lock_settings(settings)?;
    }
    println!("idle_lock_minutes = {}", settings.idle_lock_minutes);
    match settings.wipe_after_failed_unlocks {
        Some(n) => println!("wipe_after_failed_unlocks = {n}"),
        None => println!("wipe_after_failed_unlocks = off"),
    }
    Ok(())
}
