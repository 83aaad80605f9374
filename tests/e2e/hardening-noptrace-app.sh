#!/usr/bin/env bash
# Starts the app with CAP_SYS_PTRACE removed from its capability sets, as a
# normal user's programs run, so that the kernel's same-user rules decide
# who may read its processes' memory (the tests run as root). tauri-driver
# starts this script in place of the app.
exec setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace "$CASEVAULT_APP_BIN" "$@"
