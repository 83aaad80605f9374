//! Joining a space through a remote that misbehaves, on real vaults (real
//! SQLCipher, real age) and a real folder behind the hostile relay. Found
//! by the convergence bench (benches/converge.rs with
//! `CASEVAULT_BENCH_HOSTILE_JOIN=1`).

use casevault_core::ops::interchange;
use casevault_sync::relay::{Fault, HostileRelay};
use casevault_sync::remote::FolderRemote;
use casevault_sync::spaces;
use casevault_sync::testing::vault::new_vault;

const CASE: &str = "case-join-4471";

/// The admin's first sync meets a remote that claims to store what it is
/// given and stores nothing (a hostile relay; a share that loses files).
/// Its changes and log entries are put again at the next sync, since a put
/// counts only once read back. The invitation must be too: otherwise the
/// added device never learns of the space, however well the remote
/// behaves afterwards.
#[test]
fn an_invitation_the_remote_dropped_is_sent_again_once_it_behaves() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("remote");
    std::fs::create_dir(&folder).unwrap();
    let address = format!("file://{}", folder.display());
    let relay = HostileRelay::new(FolderRemote::open(&folder).unwrap(), vec![Fault::Drop]);
    let mut a = new_vault(&dir.path().join("a"), "a");
    let mut b = new_vault(&dir.path().join("b"), "b");
    let doc = serde_json::json!({
        "format": interchange::FORMAT,
        "version": 1,
        "cases": [{"id": CASE, "title": "Joined through a hostile remote", "status": "open"}],
    });
    let doc = interchange::parse(&serde_json::to_vec(&doc).unwrap()).unwrap();
    interchange::import(&mut a, &doc).unwrap();
    let line = spaces::device_key(&mut b).unwrap().public().line();
    spaces::create_space(&mut a, "desk", &[CASE.to_owned()]).unwrap();
    spaces::add_member(&mut a, "desk", &line, "B").unwrap();
    let mut quiet = |_: &str| {};

    // Every put is dropped: the sync may report that nothing was
    // confirmed, or fail; either way nothing reached the remote.
    let _ = spaces::sync(&mut a, &relay, &address, &mut quiet);
    assert_eq!(
        std::fs::read_dir(folder.join("objects")).unwrap().count(),
        0
    );

    relay.set_honest(true);
    let mut uploaded = 0;
    for _ in 0..2 {
        uploaded += spaces::sync(&mut a, &relay, &address, &mut quiet)
            .unwrap()
            .uploaded;
    }
    assert!(uploaded > 0, "A's changes, dropped before, were put again");
    let out = spaces::sync(&mut b, &relay, &address, &mut quiet).unwrap();
    assert_eq!(out.joined.len(), 1, "B joins once the remote behaves");
    assert!(
        b.get_record(CASE).unwrap().is_some(),
        "and receives the case"
    );
}
