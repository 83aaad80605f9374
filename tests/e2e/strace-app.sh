#!/usr/bin/env bash
# Runs the app under strace, recording every connect() and bind() of the
# app and all its children (WebKit's web and network processes), for the
# no-network test. tauri-driver starts this script in place of the app.
# WebKitWebDriver tells the app where its automation endpoint is; record
# it so the test can tell that one loopback connection from any other.
printf '%s\n' "${WEBKIT_INSPECTOR_SERVER:-}" > "$CASEVAULT_STRACE_LOG.inspector"
env | grep -i -E 'inspector|automation|webdriver' >> "$CASEVAULT_STRACE_LOG.inspector" || true
exec strace -f -qq -e trace=connect,bind -o "$CASEVAULT_STRACE_LOG" "$CASEVAULT_APP_BIN" "$@"
