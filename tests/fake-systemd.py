"""fake-systemd.py - systemd's Manager.StartTransientUnit, as much of it as
tests/test-systemd.c needs, on the reference D-Bus implementation (libdbus
through dbus-python), so the supervisor's hand-written client is checked
against code that is not its own.

fake-systemd.py bus ADDRESS|direct SOCKET RECORD CGROUP BEHAVIOUR

bus: own org.freedesktop.systemd1 on the bus at ADDRESS; direct: listen
on SOCKET as a manager's private socket does (peer to peer, no bus).  A
call is written to RECORD as JSON; then, by BEHAVIOUR:
  done     reply with a job, "move" the caller (write "0::/.../UNIT" to
           CGROUP, its fake /proc/self/cgroup) and signal JobRemoved done
  silent   the same without the signal (the caller looks at its cgroup)
  failed   reply with a job, signal JobRemoved failed, move nothing
  refuse   answer with the error org.freedesktop.systemd1.UnitExists
Prints "ready" once callers can reach it.
"""

import json
import sys

import dbus
import dbus.server
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

IFACE = "org.freedesktop.systemd1.Manager"
PATH = "/org/freedesktop/systemd1"
kind, where, record, cgroup, behaviour = sys.argv[1:6]


def plain(v):
    if isinstance(v, dbus.Boolean):
        return bool(v)
    if isinstance(v, (dbus.Array, dbus.Struct, list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (dbus.String, dbus.ObjectPath, dbus.Signature)):
        return str(v)
    if isinstance(v, int):
        return int(v)
    return repr(v)


class UnitExists(dbus.DBusException):
    _dbus_error_name = "org.freedesktop.systemd1.UnitExists"


class Manager(dbus.service.Object):
    @dbus.service.method(IFACE, in_signature="ssa(sv)a(sa(sv))",
                         out_signature="o")
    def StartTransientUnit(self, name, mode, props, aux):
        with open(record, "w") as f:
            json.dump({"name": str(name), "mode": str(mode),
                       "props": {str(k): plain(v) for k, v in props},
                       "aux": len(aux)}, f)
        if behaviour == "refuse":
            raise UnitExists("Unit %s already exists." % name)
        job = dbus.ObjectPath(PATH + "/job/42")

        def later():
            if behaviour in ("done", "silent"):
                with open(cgroup, "w") as f:
                    f.write("0::/user.slice/user-1000.slice/"
                            "user@1000.service/app.slice/%s\n" % name)
            if behaviour != "silent":
                # what systemd's private socket also sends: others' first
                self.JobRemoved(7, PATH + "/job/7", "other.scope", "done")
                self.JobRemoved(42, job, name,
                                "failed" if behaviour == "failed" else "done")
            return False

        GLib.timeout_add(20, later)
        return job

    @dbus.service.signal(IFACE, signature="uoss")
    def JobRemoved(self, id, job, unit, result):
        pass


DBusGMainLoop(set_as_default=True)
if kind == "bus":
    bus = dbus.bus.BusConnection(where)
    name = dbus.service.BusName("org.freedesktop.systemd1", bus)
    Manager(bus, PATH)
else:
    class Server(dbus.server.Server):
        def connection_added(self, conn):
            Manager(conn, PATH)

    server = Server("unix:path=" + where)
print("ready", flush=True)
GLib.MainLoop().run()
