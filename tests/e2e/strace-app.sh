#!/usr/bin/env bash
# Runs the app under strace, recording every connect() and bind() of the
# app and all its children (WebKit's web and network processes), for the
# no-network test. tauri-driver starts this script in place of the app.
exec strace -f -qq -e trace=connect,bind -o "$CASEVAULT_STRACE_LOG" "$CASEVAULT_APP_BIN" "$@"
