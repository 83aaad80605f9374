#!/usr/bin/python3
"""A stand-in for logind's manager (org.freedesktop.login1) on a private bus,
for the suspend test where no real logind runs (containers, CI).

It records Inhibit calls, hands out the inhibitor as the write end of a pipe
(as logind does: the lock lasts while any copy of the descriptor is open),
and notices when the app closes it. Commands on stdin: "sleep" and "wake"
emit PrepareForSleep(true/false); "probe" reports whether the vault's lock
file is free. Events go to stdout as JSON lines.

Usage: hardening-login1.py BUS_ADDRESS VAULT_LOCK_FILE
"""
import fcntl
import json
import os
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

MANAGER = "org.freedesktop.login1.Manager"


def say(**event):
    print(json.dumps(event), flush=True)


def vault_closed(lock_path):
    """True when no process holds the vault's advisory lock."""
    try:
        fd = os.open(lock_path, os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


class Manager(dbus.service.Object):
    def __init__(self, bus, lock_path):
        super().__init__(bus, "/org/freedesktop/login1")
        self.lock_path = lock_path

    @dbus.service.method(MANAGER, in_signature="ssss", out_signature="h")
    def Inhibit(self, what, who, why, mode):
        read_end, write_end = os.pipe()
        say(event="inhibit", what=str(what), who=str(who), why=str(why), mode=str(mode))

        def released(fd, _condition):
            say(event="released", vault_closed=vault_closed(self.lock_path))
            os.close(fd)
            return False

        GLib.io_add_watch(read_end, GLib.IO_HUP | GLib.IO_ERR, released)
        handed = dbus.types.UnixFd(write_end)  # a duplicate travels
        os.close(write_end)
        return handed

    @dbus.service.signal(MANAGER, signature="b")
    def PrepareForSleep(self, starting):
        pass


def main():
    address, lock_path = sys.argv[1], sys.argv[2]
    DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(address)
    name = dbus.service.BusName("org.freedesktop.login1", bus)
    manager = Manager(bus, lock_path)

    def command(source, _condition):
        line = source.readline()
        if not line:
            loop.quit()
            return False
        word = line.strip()
        if word == "sleep":
            manager.PrepareForSleep(True)
        elif word == "wake":
            manager.PrepareForSleep(False)
        elif word == "probe":
            say(event="probe", vault_closed=vault_closed(lock_path))
        return True

    loop = GLib.MainLoop()
    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, command)
    say(event="ready", name=str(name.get_name()))
    loop.run()


if __name__ == "__main__":
    main()
