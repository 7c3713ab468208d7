"""Benchmark: load with writes, a long soak and a database restart, against PostgreSQL with two
server processes sharing a Redis cache (the deployment of docs/deploy.md), on loopback only.

Set-up: a PostgreSQL server of its own (``initdb`` in a temporary directory on a free port, run
as the ``postgres`` user when this runs as root), so restarting it disturbs nothing else; Redis
at ``--redis`` (database 14 by default, flushed first); a data directory with the demo data for
København and Aarhus, a plan with one action per client and one action every client writes.

Phases, each with ``--clients`` threads on keep-alive connections, four reads for every write:

* ``reference``: one server process (waitress), memory cache, ``--reference-seconds``;
* ``load``: ``nettonul serve --workers 2`` with the Redis cache, ``--seconds``;
* ``soak``: the same server, ``--soak-seconds``; the servers' memory (RSS of the master and its
  workers) is sampled every few seconds and the last fifth compared with the first;
* ``restart``: the same server, PostgreSQL restarted (``pg_ctl restart -m fast``) a few
  seconds in; requests meanwhile must fail cleanly with 503 and succeed again afterwards,
  without restarting nettonul.

Reads are the national overview, an organisation dashboard, the public dashboard and two API
reads. Writes are version-checked ``PATCH /api/actions/<id>``: each client writes its own action
(every write must succeed) and a contested action (stale versions are refused with 409). After
each phase every action is read back: an accepted write that is not there is a lost update; for
the contested action the versions the accepted writes returned must be exactly 2..final.

Output: one JSON object with requests per second, p50/p95 by kind, errors (any status but 200
and 409, and, during the restart, 503), lost updates, memory growth, the restart's 503 window,
and the load's rate as a ratio of the reference's measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_load.py [--seconds 60] [--soak-seconds 300] [--clients 16]``
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import pwd
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HOST = "127.0.0.1"
CLI = [sys.executable, "-c", "from nettonul.cli.main import main; main()"]
READS_PER_WRITE = 4

SETUP = """
import json, sys
from nettonul.web import setup
setup()
from django.contrib.auth import get_user_model
from nettonul.web.api.services import create_token
from nettonul.web.organisations.models import Organisation
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services
clients = int(sys.argv[1])
kbh = Organisation.objects.get(code="101")
plan = services.create_plan(SYSTEM, kbh, title="Load")
own = [services.add_action(SYSTEM, plan, title=f"Client {i}").pk for i in range(clients)]
shared = services.add_action(SYSTEM, plan, title="Contested").pk
token = create_token(get_user_model().objects.get(username="editor-kbh@demo"), "load")[1]
organisations = list(Organisation.objects.filter(code__in=["101", "751"]).values_list("pk", flat=True))
print(json.dumps({"own": own, "shared": shared, "token": token, "organisations": organisations}))
"""


# ----------------------------------------------------------------------------- services
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Postgres:
    """A PostgreSQL server of this benchmark's own, in a temporary directory."""

    def __init__(self, root: Path) -> None:
        binaries = pg_bin()
        if binaries is None:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.bin = binaries
        self.port = free_port()
        self.dir = root / "pg"
        self.dir.mkdir()
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            uid = pwd.getpwnam(self.user).pw_uid
            for path in (root, self.dir):
                os.chown(path, uid, -1)
        self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "nettonul")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/nettonul"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd="/")

    def _ctl(self, action: str, *extra: str) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-w", "-l", str(self.dir / "log"), action, *extra)

    def start(self) -> None:
        self._ctl("start", "-o", f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} -c max_connections=200")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses={HOST} -c max_connections=200")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-m", "immediate")


def redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()


class Server:
    """``nettonul serve`` in a child process; ``pids`` are the master's and its workers'."""

    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.port = free_port()
        options = ["--workers", str(workers)] if workers > 1 else []
        self.process = subprocess.Popen([*CLI, "serve", f"{HOST}:{self.port}", "--threads", str(threads), *options],
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.process.stdout is not None
        deadline = time.monotonic() + 300
        printed = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the server stopped:\n" + "".join(printed))
            printed.append(line)
            if "running at" in line:
                break
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # workers are up when /healthz answers
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            time.sleep(0.2)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for _ in self.process.stdout:
            pass

    def rss(self) -> int:
        import psutil

        master = psutil.Process(self.process.pid)
        return sum(p.memory_info().rss for p in [master, *master.children(recursive=True)])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


# ----------------------------------------------------------------------------- the clients
@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    own_last: dict[int, str] = field(default_factory=dict)  # action -> the last owner accepted
    shared_versions: list[int] = field(default_factory=list)
    timeline: list[tuple[float, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str, status: int, seconds: float, at: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.timeline.append((at, status))
            if status in (200, 409):
                self.latencies[kind].append(seconds)


class Client:
    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if path.startswith("/api/") else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (0, 1):
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                payload = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                kind = response.getheader("Content-Type", "")
                return response.status, (json.loads(payload) if "json" in kind and payload else None)
            except (ConnectionError, http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def run_phase(port: int, world: dict[str, Any], seconds: float, clients: int,
              during: Any = None) -> tuple[Tally, float]:
    tally = Tally()
    stop = time.monotonic() + seconds
    started = time.monotonic()
    reads = ["/", *(f"/organisations/{o}/" for o in world["organisations"]), "/p/101/", "/api/organisations",
             *(f"/api/organisations/{o}/pathway" for o in world["organisations"])]
    versions: dict[int, int | None] = dict.fromkeys(world["own"])

    def one(index: int) -> None:
        client = Client(port, world["token"])
        rng = random.Random(index)
        own = world["own"][index]
        n = 0
        while time.monotonic() < stop:
            n += 1
            t0 = time.monotonic()
            try:
                if n % (READS_PER_WRITE + 1):
                    status, _ = client.send("GET", rng.choice(reads))
                    tally.count("read", status, time.monotonic() - t0, t0 - started)
                    if status not in (200, 503):
                        tally.errors.append(f"GET -> {status}")
                    continue
                target = own if n % 2 else world["shared"]
                if target != own or versions[own] is None:
                    status, body = client.send("GET", f"/api/actions/{target}")
                    if status != 200:
                        tally.count("read", status, time.monotonic() - t0, t0 - started)
                        continue
                    current = body["version"]
                else:
                    current = versions[own]
                value = f"client {index} write {n}"
                t0 = time.monotonic()
                status, body = client.send("PATCH", f"/api/actions/{target}", {"version": current, "owner": value})
                tally.count("write", status, time.monotonic() - t0, t0 - started)
                if status == 200:
                    with tally.lock:
                        if target == own:
                            tally.own_last[own] = value
                            versions[own] = body["version"]
                        else:
                            tally.shared_versions.append(body["version"])
                elif status == 409:
                    if target == own:
                        tally.errors.append("a client's own action refused its write (409)")
                elif status == 503:
                    if target == own:
                        versions[own] = None  # unknown whether it landed: read it again
                else:
                    tally.errors.append(f"PATCH -> {status}")
            except Exception as exc:  # a connection that failed twice
                tally.count("read", 0, time.monotonic() - t0, t0 - started)
                tally.errors.append(f"{type(exc).__name__}: {exc}")
                time.sleep(0.2)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    if during is not None:
        during(started)
    for t in threads:
        t.join()
    return tally, time.monotonic() - started


def lost_updates(port: int, world: dict[str, Any], tally: Tally, before_shared: int) -> dict[str, Any]:
    client = Client(port, world["token"])
    lost = 0
    for action, value in tally.own_last.items():
        status, body = client.send("GET", f"/api/actions/{action}")
        if status != 200 or body["owner"] != value:
            lost += 1
    status, body = client.send("GET", f"/api/actions/{world['shared']}")
    accepted = sorted(tally.shared_versions)
    expected = list(range(before_shared + 1, body["version"] + 1))
    return {"own_actions_checked": len(tally.own_last), "own_lost": lost,
            "contested_accepted": len(accepted), "contested_versions_exact": accepted == expected,
            "lost_updates": lost + (0 if accepted == expected else abs(len(expected) - len(accepted)) or 1)}


def shared_version(port: int, world: dict[str, Any]) -> int:
    status, body = Client(port, world["token"]).send("GET", f"/api/actions/{world['shared']}")
    assert status == 200, status
    return int(body["version"])


def summary(tally: Tally, elapsed: float, *, restart: bool = False) -> dict[str, Any]:
    """Figures of a phase; a 503 is an error except while the database restarts."""
    done = sum(v for k, v in tally.statuses.items() if k in (200, 409))
    errors = len(tally.errors) + (0 if restart else tally.statuses.get(503, 0))
    out: dict[str, Any] = {"seconds": round(elapsed, 1), "requests": sum(tally.statuses.values()),
                           "requests_per_s": round(done / elapsed, 1),
                           "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
                           "errors": errors, "error_examples": sorted(set(tally.errors))[:5]}
    for kind, values in tally.latencies.items():
        if values:
            out[f"{kind}_p50_ms"] = round(float(np.percentile(values, 50)) * 1000, 1)
            out[f"{kind}_p95_ms"] = round(float(np.percentile(values, 95)) * 1000, 1)
    return out


# ----------------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reference-seconds", type=float, default=20)
    parser.add_argument("--soak-seconds", type=float, default=300)
    parser.add_argument("--restart-seconds", type=float, default=30)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    result: dict[str, Any] = {"benchmark": "load", "clients": args.clients, "server_processes": 2,
                              "database": "postgresql (own server)", "cache": "redis"}
    with tempfile.TemporaryDirectory(prefix="nettonul-load-") as tmp:
        root = Path(tmp)
        try:
            pg = Postgres(root)
            redis_flush(args.redis)
        except Exception as exc:
            print(json.dumps({**result, "skipped": f"{type(exc).__name__}: {exc}"}))
            return
        try:
            result.update(run(args, root, pg))
        finally:
            pg.stop()
    print(json.dumps(result, indent=2))


def run(args: argparse.Namespace, root: Path, pg: Postgres) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "NETTONUL_REDIS_URL")}
    env.update(DATABASE_URL=pg.url, NETTONUL_DATA_DIR=str(root / "data"))
    subprocess.run([*CLI, "demo", "--only", "101", "--only", "751", "--json"], env=env, check=True,
                   capture_output=True)
    made = subprocess.run([sys.executable, "-c", SETUP, str(args.clients)], env=env, check=True,
                          capture_output=True, text=True)
    world = json.loads(made.stdout.strip().splitlines()[-1])
    out: dict[str, Any] = {}

    reference = Server(env, workers=1, threads=16)
    try:
        before = shared_version(reference.port, world)
        tally, elapsed = run_phase(reference.port, world, args.reference_seconds, args.clients)
        out["reference"] = {**summary(tally, elapsed), **lost_updates(reference.port, world, tally, before)}
    finally:
        reference.stop()

    shared_env = {**env, "NETTONUL_REDIS_URL": args.redis}
    server = Server(shared_env, workers=2, threads=8)
    try:
        before = shared_version(server.port, world)
        tally, elapsed = run_phase(server.port, world, args.seconds, args.clients)
        out["load"] = {**summary(tally, elapsed), **lost_updates(server.port, world, tally, before)}
        out["load_rate_ratio_to_reference"] = round(out["load"]["requests_per_s"]
                                                    / max(out["reference"]["requests_per_s"], 1e-9), 2)

        samples: list[tuple[float, int]] = []

        def sample(started: float) -> None:
            while time.monotonic() - started < args.soak_seconds:
                samples.append((time.monotonic() - started, server.rss()))
                time.sleep(max(1.0, args.soak_seconds / 60))

        before = shared_version(server.port, world)
        tally, elapsed = run_phase(server.port, world, args.soak_seconds, args.clients, during=sample)
        fifth = max(1, len(samples) // 5)
        first = float(np.median([m for _, m in samples[:fifth]]))
        last = float(np.median([m for _, m in samples[-fifth:]]))
        out["soak"] = {**summary(tally, elapsed), **lost_updates(server.port, world, tally, before),
                       "rss_first_fifth_mib": round(first / 2**20, 1), "rss_last_fifth_mib": round(last / 2**20, 1),
                       "rss_growth_percent": round((last / first - 1) * 100, 1), "rss_samples": len(samples)}

        restarted: dict[str, float] = {}

        def restart(started: float) -> None:
            time.sleep(min(5.0, args.restart_seconds / 4))
            restarted["at"] = time.monotonic() - started
            pg.restart()
            restarted["done"] = time.monotonic() - started

        before = shared_version(server.port, world)
        tally, elapsed = run_phase(server.port, world, args.restart_seconds, args.clients, during=restart)
        unavailable = [t for t, s in tally.timeline if s == 503]
        recovered = [t for t, s in tally.timeline if s == 200 and t > restarted["done"]]
        other = {str(s): n for s, n in tally.statuses.items() if s not in (200, 409, 503)}
        out["restart"] = {**summary(tally, elapsed, restart=True), **lost_updates(server.port, world, tally, before),
                          "restart_at_s": round(restarted["at"], 2), "restart_done_s": round(restarted["done"], 2),
                          "responses_503": len(unavailable),
                          "first_200_after_restart_s": round(min(recovered) - restarted["done"], 2) if recovered
                          else None,
                          "unclean_failures": other, "nettonul_restarted": False}
        out["rss_after_all_mib"] = round(server.rss() / 2**20, 1)
    finally:
        server.stop()
    out["errors_total"] = sum(out[p]["errors"] for p in ("reference", "load", "soak"))
    out["lost_updates_total"] = sum(out[p]["lost_updates"] for p in ("reference", "load", "soak", "restart"))
    return out


if __name__ == "__main__":
    main()
