# SPDX-License-Identifier: Apache-2.0
"""A real PostgreSQL server for the suites run against the PostgreSQL backend
(IDVERIFY_TEST_DATABASE=postgresql): initdb and pg_ctl into a temporary directory, listening
on a Unix socket only (no TCP port), as an unprivileged user, stopped afterwards.

PostgreSQL refuses to run as root: under root (CI containers) the server runs as the
'postgres' user that Debian's postgresql package creates, through runuser. When the server
binaries are absent, unavailable() says why and the suites skip (exit 77).

A started server is also stopped, and its directory removed, when the process exits without
calling stop(): at exit, and on SIGTERM (what meson sends a test past its timeout), where
they are stopped before the process dies of the signal as it would have."""
import atexit
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import threading

_running = set()  # the servers started and not stopped yet, stopped at exit


def _stop_all():
    for server in list(_running):
        server.stop()


def _on_sigterm(signum, frame):
    # Not sys.exit(): pytest would record the SystemExit as a failed test and go on.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends at once
    _stop_all()
    os.kill(os.getpid(), signum)  # then die of the signal, as without this handler


def _watch():
    """Stops the servers at exit, and on SIGTERM when nobody else handles it."""
    if getattr(_watch, "done", False):
        return
    _watch.done = True
    atexit.register(_stop_all)
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        signal.signal(signal.SIGTERM, _on_sigterm)


def _bindir():
    for d in [os.environ.get("IDVERIFY_PG_BINDIR", "")] + sorted(
            glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if d and os.path.isfile(os.path.join(d, "initdb")) and \
                os.path.isfile(os.path.join(d, "pg_ctl")):
            return d
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb and shutil.which("pg_ctl") else None


def _run_as():
    """The command prefix that runs the server's programs unprivileged, or None."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        return None
    try:
        import pwd
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    return ["runuser", "-u", "postgres", "--"]


def unavailable():
    """Why a PostgreSQL server cannot be started here, or None when it can."""
    if _bindir() is None:
        return ("PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql-15 "
                "(docker/debian-packages.txt)")
    if _run_as() is None:
        return "running as root without a 'postgres' user (and runuser) to run the server as"
    if shutil.which("psql") is None:
        return "psql not found: install postgresql-client-15"
    return None


class PgServer:
    """One PostgreSQL cluster in a temporary directory; a fresh database per data directory."""

    def __init__(self):
        self.bindir = _bindir()
        self.prefix = _run_as()
        self.tmp = tempfile.mkdtemp(prefix="idv-pg-")
        os.chmod(self.tmp, 0o755)
        self.pgdata = os.path.join(self.tmp, "pgdata")
        self.socket_dir = self.tmp
        self.log_path = os.path.join(self.tmp, "postgres.log")
        self.databases = {}
        if self.prefix:
            shutil.chown(self.tmp, "postgres")

    def _pg(self, prog, *args):
        return subprocess.run(self.prefix + [os.path.join(self.bindir, prog)] + list(args),
                              capture_output=True, text=True, timeout=120, cwd=self.tmp)

    def start(self):
        _watch()
        _running.add(self)
        r = self._pg("initdb", "-D", self.pgdata, "--auth=trust", "--locale=C", "-E", "UTF8",
                     "-U", "postgres")
        if r.returncode != 0:
            raise RuntimeError("initdb failed: " + r.stderr[-2000:])
        r = self._pg("pg_ctl", "-D", self.pgdata, "-l", self.log_path, "-w", "-t", "60", "-o",
                     "-c listen_addresses='' -c unix_socket_directories='%s' -c fsync=off"
                     " -c max_connections=200" % self.socket_dir, "start")
        if r.returncode != 0:
            raise RuntimeError("pg_ctl start failed: %s %s" % (r.stderr[-2000:],
                                                               self.read_log()[-2000:]))
        return self

    def stop(self):
        """Stops the server and removes its directory; once (later calls do nothing)."""
        if self not in _running and not os.path.isdir(self.tmp):
            return
        _running.discard(self)
        if os.path.isfile(os.path.join(self.pgdata, "postmaster.pid")):
            self._pg("pg_ctl", "-D", self.pgdata, "-m", "fast", "-w", "stop")
        shutil.rmtree(self.tmp, ignore_errors=True)

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def url(self, dbname):
        return "postgresql:///%s?host=%s&user=postgres" % (dbname, self.socket_dir)

    def run(self, dbname, sql):
        """psql's run of sql (a script: statements end with ';'), stopping at an error."""
        return subprocess.run(["psql", "-X", "-q", "-At", "-F", "|", "-v", "ON_ERROR_STOP=1",
                               self.url(dbname), "-c", sql],
                              capture_output=True, text=True, timeout=120)

    def psql(self, dbname, sql):
        """What sql printed, one row a line, columns joined by '|'."""
        r = self.run(dbname, sql)
        if r.returncode != 0:
            raise RuntimeError("psql: " + r.stderr)
        return r.stdout

    def database_for(self, key):
        """The address of the database of a data directory, created on first use."""
        if key not in self.databases:
            name = "idv_%d" % (len(self.databases) + 1)
            self.psql("postgres", "CREATE DATABASE %s" % name)
            self.databases[key] = name
        return self.url(self.databases[key])

    def files(self):
        """Every file of the cluster (tables, indexes, WAL, ...) once written out."""
        self.psql("postgres", "CHECKPOINT")
        return [f for f in glob.glob(os.path.join(self.pgdata, "**", "*"), recursive=True)
                if os.path.isfile(f)]


if __name__ == "__main__":
    # python3 pgserver.py PYTEST-ARGS...: the suites against PostgreSQL, or SKIP (77) saying
    # why when a server cannot be started here (meson's PostgreSQL tests run through this).
    import sys
    why = unavailable()
    if why:
        print("SKIP: " + why)
        sys.exit(77)
    os.environ["IDVERIFY_TEST_DATABASE"] = "postgresql"
    os.execv(sys.executable, [sys.executable, "-m", "pytest"] + sys.argv[1:])
