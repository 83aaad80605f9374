// WebKit's web process renders decrypted case data. The app's own process
// is non-dumpable from its start, but that does not survive exec, and
// WebKit starts the web process from its own binary; the app therefore
// hands WebKit a web-process extension (src-tauri/webext) that makes each
// web process non-dumpable before it loads a page. Then another program
// of the same user can neither ptrace it nor open /proc/PID/mem.
//
// The tests run as root, which may read anything; so the app runs without
// CAP_SYS_PTRACE (hardening-noptrace-app.sh) and so does the "other
// program" that tries to open the memory, which is then decided by the
// same-user rules as for a normal user. A control process started the
// same way, but dumpable, must stay readable, or the check proves nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, freshHome, removeHome, shown, APP, ROOT } from "./harness.mjs";

const NO_PTRACE = ["--bounding-set=-sys_ptrace", "--inh-caps=-sys_ptrace"];

/** Whether a same-user program without CAP_SYS_PTRACE can open the memory of pid. */
function memoryOpenable(pid) {
  const r = spawnSync("setpriv", [...NO_PTRACE, "/usr/bin/python3", "-c", `open('/proc/${pid}/mem', 'rb')`], { encoding: "utf8" });
  if (r.status === 0) return true;
  assert.match(r.stderr, /PermissionError/, `unexpected failure: ${r.stderr}`);
  return false;
}

function appProcessTree() {
  const roots = execFileSync("pgrep", ["-f", APP], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  const out = [...roots];
  for (let i = 0; i < out.length; i++) {
    let kids = "";
    try { kids = execFileSync("pgrep", ["-P", String(out[i])], { encoding: "utf8" }); } catch { /* none */ }
    out.push(...kids.split("\n").filter(Boolean).map(Number));
  }
  return out;
}

const commandOf = (pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]; } catch { return ""; } };

test("the web process that renders case data cannot be read by other programs of the user", async () => {
  const home = freshHome();
  const control = spawn("setpriv", [...NO_PTRACE, "sleep", "60"], { stdio: "ignore" });
  const app = await launch({ home, application: join(ROOT, "tests/e2e/hardening-noptrace-app.sh") });
  try {
    await shown(app.browser, "create-passphrase", 30000);
    assert.equal(memoryOpenable(control.pid), true, "control: a dumpable process of the same user is readable");
    const tree = appProcessTree();
    const web = tree.filter((pid) => commandOf(pid).endsWith("WebKitWebProcess"));
    assert.ok(web.length > 0, "found the app's web process");
    for (const pid of web) assert.equal(memoryOpenable(pid), false, `web process ${pid}'s memory is readable`);
    const main = tree.filter((pid) => commandOf(pid) === APP);
    assert.ok(main.length > 0, "found the app's own process");
    for (const pid of main) assert.equal(memoryOpenable(pid), false, `the app's process ${pid} is readable`);
  } finally {
    control.kill();
    await app.close();
    removeHome(home);
  }
});
