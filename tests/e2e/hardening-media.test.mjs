// Video previews must not be buffered to disk. WebKitGTK plays media with
// GStreamer's "progressive download" on: for a non-live stream it copies
// the whole (decrypted) file into /var/tmp/WebKit-Media-XXXXXX, a path
// hard-coded in WebKit (TMPDIR does not move it), unlinked at once but
// written to the disk. The app runs WebKit's web process, where GStreamer
// runs, in WebKit's bubblewrap sandbox, whose /tmp and /var/tmp are a
// private tmpfs: the buffer then stays in RAM.
//
// What this checks: every web process of the app sees /var/tmp as a tmpfs,
// and after a video preview was opened (and played, where this machine's
// GStreamer can) no canary from the video is anywhere on disk.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  launch, removeHome, shown, type, unlockThroughUi, clickWhenEnabled, assertNothingLeaked,
  sampleVault, openCase, withText, filesUnder, fileContains, freshHome, APP, PASSPHRASE,
} from "./harness.mjs";

const CANARY = `VIDEO-CANARY-${Math.random().toString(16).slice(2)}`;

/** A short MJPEG QuickTime video (built by gst-launch-1.0 videotestsrc). */
const SAMPLE = (() => {
  // 60 frames at 160x120, made once per run; GStreamer's tools are not a
  // build dependency, so the file is assembled from a tiny fixed header
  // when they are missing: the container is what matters here.
  const out = join(mkdtempSync(join(tmpdir(), "casevault-e2e-video-")), "sample.mov");
  try {
    execFileSync("gst-launch-1.0", ["-q", "videotestsrc", "num-buffers=60", "!",
      "video/x-raw,width=160,height=120,framerate=15/1", "!", "jpegenc", "quality=40", "!",
      "qtmux", "!", "filesink", `location=${out}`], { stdio: "ignore" });
  } catch {
    // ftyp "qt  " is enough for the vault to file it as video/quicktime.
    const ftyp = Buffer.from("0000001466747970717420200000000071742020", "hex");
    writeFileSync(out, ftyp);
  }
  return out;
})();

/** The video with a top-level `free` box of canaries appended (still valid). */
function videoWithCanary(path) {
  const body = Buffer.from(`${CANARY} `.repeat(4096));
  const box = Buffer.alloc(8);
  box.writeUInt32BE(8 + body.length, 0);
  box.write("free", 4, "latin1");
  writeFileSync(path, Buffer.concat([readFileSync(SAMPLE), box, body]));
}

/** The app's processes and all their descendants. */
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

function commandOf(pid) {
  try { return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]; } catch { return ""; }
}

test("WebKit's media buffer directory is RAM, and a previewed video leaves nothing on disk", async () => {
  const home = freshHome();
  const outside = mkdtempSync(join(tmpdir(), "casevault-e2e-src-"));
  const video = join(outside, "street-protest.mov");
  videoWithCanary(video);
  sampleVault(home);
  const varTmpBefore = new Set(readdirSync("/var/tmp"));
  const app = await launch({ home });
  const { browser } = app;
  try {
    await unlockThroughUi(browser, PASSPHRASE);
    await shown(browser, "home", 30000);

    const web = appProcessTree().filter((pid) => commandOf(pid).endsWith("WebKitWebProcess"));
    assert.ok(web.length > 0, "found the app's web process");
    for (const pid of web) {
      const fs = execFileSync("stat", ["-L", "-f", "-c", "%T", `/proc/${pid}/root/var/tmp`], { encoding: "utf8" }).trim();
      assert.equal(fs, "tmpfs", `web process ${pid} would buffer media in /var/tmp on ${fs}`);
      const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      assert.ok(!env.some((v) => v.startsWith("TMPDIR=")), "TMPDIR must not point the web process at a disk directory");
    }

    await openCase(browser, "Kurmanov");
    await (await shown(browser, "attachments-toggle-case-case-kurmanov")).click();
    await type(browser, "attach-path", video);
    await clickWhenEnabled(browser, "attach-submit");
    await shown(browser, "attach-done", 20000);
    const item = await withText(browser, "attachment-item", "street-protest.mov");
    await (await shown(browser, `preview-open-${await item.getAttribute("data-id")}`)).click();
    await shown(browser, "preview-dialog");
    // Play it as the play button would; where GStreamer cannot decode it
    // here the preview says so, and there is nothing to buffer.
    await browser.execute(() => {
      const v = document.querySelector('[data-testid="preview-video"]');
      if (v) { v.muted = true; v.play().catch(() => {}); }
    });
    await browser.pause(3000);
  } finally {
    await app.close();
  }
  try {
    assertNothingLeaked(assert, home, [CANARY]);
    const newInVarTmp = readdirSync("/var/tmp").filter((n) => !varTmpBefore.has(n));
    for (const f of newInVarTmp.flatMap((n) => filesUnder(join("/var/tmp", n)).concat([join("/var/tmp", n)]))) {
      assert.ok(!fileContains(f, CANARY), `canary found in ${f}`);
    }
  } finally {
    removeHome(home);
    rmSync(outside, { recursive: true, force: true });
    rmSync(join(SAMPLE, ".."), { recursive: true, force: true });
  }
});
