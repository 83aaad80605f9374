//! `device key`, `space …` and `sync`: team spaces (issue 18). Their errors
//! are the sync crate's, whose codes `main` maps to exit codes.

use casevault_core::crypto::fingerprint::grouped;
use casevault_core::vault::Vault;
use casevault_sync::review::{self, ConflictDetail, Resolution};
use casevault_sync::spaces;
use casevault_sync::{Error, ErrorCode, Result};

use crate::args::{Cli, Command, DeviceCommand, SpaceCommand};
use crate::show::safe;

fn open(cli: &Cli) -> Result<Vault> {
    Ok(super::unlock(&super::vault_dir(cli), &cli.secrets)?)
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    Ok(super::to_json(v)?)
}

/// Runs a spaces command; None for every other command.
pub fn run(cli: &Cli) -> Option<Result<()>> {
    Some(match &cli.command {
        Command::Device {
            command: DeviceCommand::Key,
        } => open(cli).and_then(|mut v| {
            let key = spaces::device_key(&mut v)?;
            let public = key.public();
            println!("{}", public.line());
            eprintln!("fingerprint: {}", grouped(&public.fingerprint()));
            Ok(())
        }),
        Command::Space {
            command: SpaceCommand::Reload { name, remote },
        } => open(cli).and_then(|mut v| reload(&mut v, name, remote.as_deref())),
        Command::Space { command } => open(cli).and_then(|mut v| space(&mut v, command)),
        Command::Sync { remote } => open(cli).and_then(|mut v| sync(&mut v, remote.as_deref())),
        _ => return None,
    })
}

fn space(vault: &mut Vault, command: &SpaceCommand) -> Result<()> {
    match command {
        SpaceCommand::Create { name, cases } => {
            spaces::create_space(vault, name, cases)?;
            eprintln!(
                "Created space \"{}\" with {} case(s). Add members with `casevault space add`.",
                safe(name),
                cases.len()
            );
        }
        SpaceCommand::Add {
            name,
            device_key,
            label,
        } => {
            let fp = grouped(&spaces::add_member(
                vault,
                name,
                &device_key.join(" "),
                label,
            )?);
            eprintln!(
                "Added {} ({fp}) to \"{}\". Compare this fingerprint with them; they receive the space at their next sync after yours.",
                safe(label),
                safe(name)
            );
        }
        SpaceCommand::Remove { name, member } => {
            let fp = grouped(&spaces::remove_member(vault, name, member)?);
            eprintln!(
                "Removed {fp} from \"{}\"; a new key epoch starts at your next sync.",
                safe(name)
            );
        }
        SpaceCommand::Ls { json: as_json } => {
            let list = spaces::list(vault)?;
            if *as_json {
                println!("{}", json(&list)?);
                return Ok(());
            }
            for s in &list {
                println!(
                    "{}  epoch {}  last sync {}{}{}",
                    safe(&s.name),
                    s.epoch,
                    s.last_sync_at.as_deref().unwrap_or("never"),
                    if s.removed {
                        "  (this device was removed)"
                    } else {
                        ""
                    },
                    if s.unloaded {
                        "  (unloaded: `casevault space reload` fetches it back)"
                    } else {
                        ""
                    }
                );
                println!("  cases: {}", safe(&s.cases.join(", ")));
                for m in &s.members {
                    println!(
                        "  {} {}{}{}",
                        m.grouped,
                        safe(m.name.as_deref().unwrap_or("(unnamed)")),
                        if m.admin { ", admin" } else { "" },
                        if m.removed { ", removed" } else { "" }
                    );
                }
                if !s.conflicts.is_empty() {
                    println!("  conflicts to review: {}", safe(&s.conflicts.join(", ")));
                }
                for g in &s.gaps {
                    println!(
                        "  missing: {} change(s) by {}",
                        g.missing,
                        grouped(&g.device)
                    );
                }
            }
        }
        SpaceCommand::Unload {
            name,
            discard_unsynced,
        } => {
            let done = spaces::unload_space(vault, name, *discard_unsynced)?;
            for id in &done.kept {
                eprintln!(
                    "kept: record {} also belongs to a case outside the space",
                    safe(id)
                );
            }
            eprintln!(
                "Unloaded \"{}\": {} record(s) and {} evidence file(s) securely deleted from this device; its membership is kept. `casevault space reload` fetches it back.",
                safe(name),
                done.records,
                done.attachments
            );
        }
        SpaceCommand::Conflicts {
            name,
            json: as_json,
        } => {
            let list = review::conflicts(vault, name)?;
            if *as_json {
                println!("{}", json(&list)?);
            } else {
                show_conflicts(name, &list);
            }
        }
        SpaceCommand::Resolve {
            name,
            record,
            keep,
            merged,
            data,
            heads,
        } => {
            let resolution = match (keep, merged, data) {
                (Some(n), _, _) => Resolution::Keep(*n),
                (_, true, _) => Resolution::Merged,
                (_, _, Some(file)) => Resolution::Edited(super::read_record_data(file)?),
                _ => unreachable!("clap requires one of --keep, --merged, --data"),
            };
            review::resolve(vault, name, record, resolution, heads.as_deref())?;
            eprintln!(
                "Resolved {} in \"{}\"; the other members take it at their next sync after yours.",
                safe(record),
                safe(name)
            );
        }
        SpaceCommand::Reload { .. } => unreachable!("handled in run"),
    }
    Ok(())
}

/// A short form of a field's value for the terminal: a long text by its
/// first line and length (`--json` has it whole).
fn brief(v: Option<&serde_json::Value>) -> String {
    match v {
        None => "(none)".into(),
        Some(serde_json::Value::String(t)) if t.contains('\n') => format!(
            "{} … ({} lines)",
            t.lines().next().unwrap_or(""),
            t.lines().count()
        ),
        Some(v) => v.to_string(),
    }
}

fn show_conflicts(space: &str, list: &[ConflictDetail]) {
    if list.is_empty() {
        println!("No conflicts to review in \"{}\".", safe(space));
    }
    for c in list {
        println!(
            "{} ({}, {}): {} versions",
            safe(&c.label),
            c.kind,
            safe(&c.record),
            c.heads.len()
        );
        for h in &c.heads {
            let who = if h.this_device {
                "this device".to_owned()
            } else {
                safe(h.label.as_deref().unwrap_or("(unnamed)")).into_owned()
            };
            println!(
                "  [{}] {} {who}{}",
                h.number,
                h.fingerprint,
                if h.trashed { ", in the trash" } else { "" }
            );
        }
        for f in &c.fields {
            println!(
                "  {}{}:",
                safe(&f.field),
                if f.conflict {
                    " (overlapping edits)"
                } else {
                    ""
                }
            );
            for ((h, v), changed) in c.heads.iter().zip(&f.values).zip(&f.changed) {
                println!(
                    "    [{}]{} {}",
                    h.number,
                    if *changed { "*" } else { " " },
                    safe(&brief(v.as_ref()))
                );
            }
        }
        println!(
            "  versions digest: {} (give --heads with it to resolve only these)",
            c.heads_digest
        );
        if c.conflicting.is_empty() {
            println!(
                "  the merge is clean: `casevault space resolve NAME {} --merged`",
                safe(&c.record)
            );
        } else {
            println!(
                "  overlapping edits in: {}; keep a version (--keep N) or give your own (--data FILE)",
                safe(&c.conflicting.join(", "))
            );
        }
    }
}

/// The remote given, or the last one used.
fn remote_address(vault: &Vault, remote: Option<&str>) -> Result<String> {
    Ok(match remote {
        Some(a) => a.to_owned(),
        None => vault
            .sync_state()?
            .map(|s| s.remote)
            .ok_or(Error::InvalidInput(
                "This vault has not synced before: give the remote with --remote file:///PATH.",
            ))?,
    })
}

fn refused_is_error(refused: &[ErrorCode]) -> Result<()> {
    // Objects sealed under keys this device does not hold (it was
    // removed, or the log entry is still on its way) are not an attack.
    let refused = refused
        .iter()
        .filter(|c| **c != ErrorCode::UnknownEpoch)
        .count();
    if refused > 0 {
        return Err(Error::Tampered(
            "some objects on the remote were refused; everything else was synced",
        ));
    }
    Ok(())
}

fn reload(vault: &mut Vault, name: &str, remote: Option<&str>) -> Result<()> {
    // Refused before anything touches the network.
    spaces::require_unloaded(vault, name)?;
    let address = remote_address(vault, remote)?;
    let remote = casevault_sync::remote::open(&address)?;
    let outcome = spaces::reload_space(vault, name, remote.as_ref(), &address, &mut |line| {
        eprintln!("{}", safe(line));
    })?;
    for id in &outcome.rejected {
        eprintln!(
            "warning: record {} was not written: it does not pass this vault's checks; it is tried again at the next sync",
            safe(id)
        );
    }
    refused_is_error(&outcome.refused)
}

fn sync(vault: &mut Vault, remote: Option<&str>) -> Result<()> {
    let address = remote_address(vault, remote)?;
    let remote = casevault_sync::remote::open(&address)?;
    let outcome = spaces::sync(vault, remote.as_ref(), &address, &mut |line| {
        eprintln!("{}", safe(line));
    })?;
    for id in &outcome.held_back {
        eprintln!(
            "warning: record {} was not sent: it also belongs to a case outside the space, which it would name",
            safe(id)
        );
    }
    for id in &outcome.rejected {
        eprintln!(
            "warning: a change to record {} was not applied: it does not pass this vault's checks; it is kept and tried again at the next sync",
            safe(id)
        );
    }
    refused_is_error(&outcome.refused)
}
