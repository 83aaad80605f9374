fn main() {
    // Capabilities live under src-tauri/ with the rest of the shell.
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/**/*"),
    )
    .expect("tauri-build failed");
    build_web_extension();
}

/// Compiles the web-process extension (src-tauri/webext) into a shared
/// library that the app embeds and hands to WebKit at start (window.rs).
fn build_web_extension() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let source = "src-tauri/webext/nondumpable.c";
    println!("cargo:rerun-if-changed={source}");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"))
        .join("libcasevault-webext.so");
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let status = std::process::Command::new(&compiler)
        .args(["-shared", "-fPIC", "-O2", "-Wall", "-Werror", "-o"])
        .arg(&out)
        .arg(source)
        .status()
        .unwrap_or_else(|e| panic!("running {compiler} for the web extension: {e}"));
    assert!(status.success(), "{compiler} failed to build {source}");
}
