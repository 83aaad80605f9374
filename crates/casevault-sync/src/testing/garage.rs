//! Real Garage servers for tests: one node, or a cluster on 127.0.0.1.
//!
//! Each [`Garage`] lives in its own temporary folder with a generated
//! config (free ports, a random `rpc_secret` and admin token, SQLite
//! metadata, compression off so that a scan of its disk sees what it
//! stores), is laid out with the `garage` CLI, gets one key and one bucket,
//! and is killed when dropped.
//!
//! The binary is the one `scripts/setup` installs (`cargo install garage`):
//! `$CASEVAULT_GARAGE_BIN`, else `garage` on the `PATH`, else
//! `~/.cargo/bin/garage`. Without it a test fails with a message saying so,
//! unless `CASEVAULT_SKIP_GARAGE=1` is set: then [`Garage::start`] returns
//! `None` and the test stops there (a developer's explicit opt-out; CI never
//! sets it).

use std::fmt;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::remote::s3::{S3Address, S3Credentials, S3Remote};

/// The variable that lets a developer without Garage skip these tests.
pub const SKIP_VAR: &str = "CASEVAULT_SKIP_GARAGE";

/// The variable that names the binary to run.
pub const BIN_VAR: &str = "CASEVAULT_GARAGE_BIN";

/// The bucket every harness creates.
pub const BUCKET: &str = "casevault-test";

/// How long a node may take to come up, or a layout to take effect, on a
/// loaded machine.
const READY_TIMEOUT: Duration = Duration::from_secs(120);

/// The `garage` binary, if there is one.
pub fn binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(BIN_VAR) {
        return Some(PathBuf::from(p));
    }
    let runs = |p: &Path| {
        Command::new(p)
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if runs(Path::new("garage")) {
        return Some(PathBuf::from("garage"));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from)?;
    let cargo_bin = home.join(".cargo/bin/garage");
    runs(&cargo_bin).then_some(cargo_bin)
}

/// One Garage server process and where it keeps its data.
pub struct Node {
    child: Option<Child>,
    config: PathBuf,
    /// The node's folder: its config, logs, `meta/` and `data/`.
    pub dir: PathBuf,
    /// Its S3 API port on 127.0.0.1.
    pub s3_port: u16,
    rpc_port: u16,
    id: String,
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("dir", &self.dir)
            .field("s3_port", &self.s3_port)
            .field("running", &self.child.is_some())
            .finish()
    }
}

/// A running Garage (one node or a cluster) with a key and a bucket.
pub struct Garage {
    bin: PathBuf,
    dir: tempfile::TempDir,
    nodes: Vec<Node>,
    key_id: String,
    secret: Zeroizing<String>,
}

impl fmt::Debug for Garage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Garage")
            .field("dir", &self.dir.path())
            .field("nodes", &self.nodes)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Garage {
    /// One node, replication factor 1. `None` only when the binary is
    /// missing and `CASEVAULT_SKIP_GARAGE=1`; panics if it is missing
    /// otherwise, or if Garage does not come up.
    pub fn start() -> Option<Garage> {
        Self::cluster(1)
    }

    /// `n` nodes on 127.0.0.1, each in its own zone, replication factor
    /// `n`. As [`Garage::start`] for a missing binary.
    pub fn cluster(n: usize) -> Option<Garage> {
        let Some(bin) = binary() else {
            if std::env::var(SKIP_VAR).is_ok_and(|v| v == "1") {
                #[allow(clippy::print_stderr)]
                {
                    eprintln!("Garage is not installed and {SKIP_VAR}=1: skipping this test.");
                }
                return None;
            }
            panic!(
                "This test needs Garage, and no `garage` binary was found (${BIN_VAR}, PATH, ~/.cargo/bin). \
                 Run scripts/setup to install it, or set {SKIP_VAR}=1 to skip the tests that need it."
            );
        };
        let dir = tempfile::Builder::new()
            .prefix("casevault-garage-")
            .tempdir()
            .expect("a temporary folder for Garage");
        let rpc_secret = data_encoding::HEXLOWER.encode(&random::<32>());
        let admin_token = data_encoding::HEXLOWER.encode(&random::<16>());
        let mut g = Garage {
            bin,
            dir,
            nodes: Vec::new(),
            key_id: String::new(),
            secret: Zeroizing::new(String::new()),
        };
        for i in 0..n {
            let node = g.spawn_node(i, n, &rpc_secret, &admin_token);
            g.nodes.push(node);
        }
        for i in 0..n {
            g.wait_for_id(i);
        }
        // `node id` reads the key file and can answer before the server
        // listens: everything after it waits until the server does.
        for i in 1..n {
            let peer = format!("{}@127.0.0.1:{}", g.nodes[i].id, g.nodes[i].rpc_port);
            g.garage_when_ready(0, &["node", "connect", &peer]);
        }
        for i in 0..n {
            let id = g.nodes[i].id.clone();
            g.garage_when_ready(
                0,
                &["layout", "assign", "-z", &format!("dc{i}"), "-c", "1G", &id],
            );
        }
        g.garage_when_ready(0, &["layout", "apply", "--version", "1"]);
        let key = g.garage_when_ready(
            0,
            &["json-api", "CreateKey", r#"{"name":"casevault-test"}"#],
        );
        let key: serde_json::Value =
            serde_json::from_slice(&key).expect("garage json-api CreateKey answers JSON");
        g.key_id = key["accessKeyId"].as_str().expect("a key id").to_owned();
        g.secret = Zeroizing::new(
            key["secretAccessKey"]
                .as_str()
                .expect("a secret key")
                .to_owned(),
        );
        g.create_bucket(BUCKET);
        g.wait_until_serving();
        Some(g)
    }

    fn spawn_node(&self, i: usize, n: usize, rpc_secret: &str, admin_token: &str) -> Node {
        let dir = self.dir.path().join(format!("node{i}"));
        fs::create_dir_all(&dir).expect("a node folder");
        // Ports are taken by the OS and released just before Garage binds
        // them; another process taking one in between fails the start
        // loudly, never silently.
        let listeners: Vec<TcpListener> = (0..3)
            .map(|_| TcpListener::bind("127.0.0.1:0").expect("a free port"))
            .collect();
        let port = |l: &TcpListener| l.local_addr().expect("a bound port").port();
        let (s3_port, rpc_port, admin_port) = (
            port(&listeners[0]),
            port(&listeners[1]),
            port(&listeners[2]),
        );
        let config = dir.join("garage.toml");
        let d = dir.display();
        fs::write(
            &config,
            format!(
                r#"metadata_dir = "{d}/meta"
data_dir = "{d}/data"
db_engine = "sqlite"
replication_factor = {n}
compression_level = "none"
rpc_bind_addr = "127.0.0.1:{rpc_port}"
rpc_public_addr = "127.0.0.1:{rpc_port}"
rpc_secret = "{rpc_secret}"

[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:{s3_port}"
root_domain = ".s3.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:{admin_port}"
admin_token = "{admin_token}"
"#
            ),
        )
        .expect("the Garage config");
        drop(listeners);
        let log = |name: &str| fs::File::create(dir.join(name)).expect("a log file");
        let child = Command::new(&self.bin)
            .arg("-c")
            .arg(&config)
            .arg("server")
            .env("RUST_LOG", "garage=warn")
            .stdin(Stdio::null())
            .stdout(log("stdout.log"))
            .stderr(log("stderr.log"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        Node {
            child: Some(child),
            config,
            dir,
            s3_port,
            rpc_port,
            id: String::new(),
        }
    }

    /// Runs `garage -c <node i's config> ARGS`, and returns its output;
    /// panics with its error output if it fails.
    pub fn garage(&self, i: usize, args: &[&str]) -> Vec<u8> {
        let out = self.try_garage(i, args);
        match out {
            Ok(stdout) => stdout,
            Err(stderr) => panic!(
                "garage {} failed: {stderr}\nserver log: {}",
                args.join(" "),
                self.log_tail(i)
            ),
        }
    }

    /// As [`Garage::garage`], retried while the cluster settles.
    fn garage_when_ready(&self, i: usize, args: &[&str]) -> Vec<u8> {
        let started = Instant::now();
        loop {
            match self.try_garage(i, args) {
                Ok(out) => return out,
                Err(e) if started.elapsed() > READY_TIMEOUT => panic!(
                    "garage {} failed: {e}\nserver log: {}",
                    args.join(" "),
                    self.log_tail(i)
                ),
                Err(_) => std::thread::sleep(Duration::from_millis(300)),
            }
        }
    }

    fn try_garage(&self, i: usize, args: &[&str]) -> Result<Vec<u8>, String> {
        let out = Command::new(&self.bin)
            .arg("-c")
            .arg(&self.nodes[i].config)
            .args(args)
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    fn log_tail(&self, i: usize) -> String {
        let log = fs::read_to_string(self.nodes[i].dir.join("stderr.log")).unwrap_or_default();
        let start = log.len().saturating_sub(2000);
        log.get(start..).unwrap_or_default().to_owned()
    }

    fn wait_for_id(&mut self, i: usize) {
        let started = Instant::now();
        loop {
            if let Some(child) = self.nodes[i].child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!(
                    "Garage node {i} exited at start ({status}): {}",
                    self.log_tail(i)
                );
            }
            if let Ok(out) = self.try_garage(i, &["node", "id", "-q"]) {
                let line = String::from_utf8_lossy(&out);
                let id = line.trim().split('@').next().unwrap_or_default();
                if id.len() == 64 {
                    self.nodes[i].id = id.to_owned();
                    return;
                }
            }
            assert!(
                started.elapsed() < READY_TIMEOUT,
                "Garage node {i} did not come up: {}",
                self.log_tail(i)
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Waits until the bucket answers through every running node (a new
    /// layout and a new bucket take a moment to reach every node).
    fn wait_until_serving(&self) {
        let started = Instant::now();
        for i in 0..self.nodes.len() {
            loop {
                match self.try_remote_via(i, BUCKET) {
                    Ok(_) => break,
                    Err(e) => assert!(
                        started.elapsed() < READY_TIMEOUT,
                        "Garage node {i} does not serve the bucket: {e}\n{}",
                        self.log_tail(i)
                    ),
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }

    /// Creates another bucket the key may read and write.
    pub fn create_bucket(&self, name: &str) {
        self.garage_when_ready(0, &["bucket", "create", name]);
        self.garage_when_ready(
            0,
            &[
                "bucket",
                "allow",
                "--read",
                "--write",
                "--owner",
                "--key",
                &self.key_id,
                name,
            ],
        );
    }

    /// The address of the test bucket through node 0.
    pub fn address(&self) -> String {
        self.address_via(0, BUCKET)
    }

    /// The address of `bucket` through node `i`.
    pub fn address_via(&self, i: usize, bucket: &str) -> String {
        format!(
            "s3://{bucket}?endpoint=http://127.0.0.1:{}",
            self.nodes[i].s3_port
        )
    }

    /// The key id and secret of the harness's key.
    pub fn credentials(&self) -> S3Credentials {
        S3Credentials::new(&self.key_id, self.secret.clone()).expect("the harness's key")
    }

    /// The key id, for a process that reads `CASEVAULT_S3_KEY_ID`.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The secret, for a process that reads `CASEVAULT_S3_SECRET`.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// The test bucket through node 0.
    pub fn remote(&self) -> S3Remote {
        self.remote_via(0, BUCKET)
    }

    /// `bucket` through node `i`.
    pub fn remote_via(&self, i: usize, bucket: &str) -> S3Remote {
        self.try_remote_via(i, bucket)
            .unwrap_or_else(|e| panic!("the bucket {bucket} through node {i}: {e}"))
    }

    fn try_remote_via(&self, i: usize, bucket: &str) -> crate::Result<S3Remote> {
        S3Remote::open(
            S3Address::parse(&self.address_via(i, bucket))?,
            self.credentials(),
        )
    }

    /// The nodes.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Kills node `i` at once (SIGKILL: no clean shut-down), as a crash or
    /// a pulled plug would.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every folder where Garage keeps what it stores (metadata and data
    /// blocks of every node).
    pub fn storage_dirs(&self) -> Vec<PathBuf> {
        self.nodes
            .iter()
            .flat_map(|n| [n.dir.join("meta"), n.dir.join("data")])
            .collect()
    }
}

impl Drop for Garage {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.kill(i);
        }
    }
}

fn random<const N: usize>() -> [u8; N] {
    casevault_core::crypto::random_bytes::<N>().expect("the OS random source")
}
