"""Bounded load and fault test of the Office.js route (xlwings Server on 127.0.0.1 only).

Starts ``python -m addin.server`` on a free loopback port with a case folder
and token authentication on (as a deployment beyond 127.0.0.1 has it), then

1. **soak**: ``--requests`` calls (default 2,000) from ``--concurrency``
   keep-alive clients (default 8), a seeded mix of valid calls and junk —
   wrong types, NaN and huge numbers, 100,000-character texts, paths out of
   the case folder, malformed JSON, oversized bodies, too many cells, missing
   or wrong tokens;
2. **overwrites**: ``--rounds`` rounds of 4 threads overwriting one file at
   once through the tool's safe write, checking that no version is lost;
3. **kills**: ``sibc build --overwrite`` killed at random moments, then one
   more run, checking that the user's file and every backup survive and no
   temporary file is left.

Reports requests served, p50/p95 latency, the rate of unexpected errors (HTTP
5xx, dropped connections, a junk call answered 200 or a valid call refused),
and the server's resident memory before and after the soak.  Bounded by a
time limit; the server is stopped at the end.  Needs the ``server`` extra;
``XLWINGS_LICENSE_KEY`` defaults to ``noncommercial`` (see README).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.server.local import Client, payload, running_server  # noqa: E402
from workbooks.safe_write import backups, write_file  # noqa: E402

EXAMPLE = ROOT / "workbooks" / "cases" / "eksempel_ungeindsats.yaml"
TOKEN = "belastning-" + os.urandom(8).hex()


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def requests(rng: random.Random, n: int) -> list[tuple[str, bytes, str | None, set[int]]]:
    """``n`` (kind, body, token, accepted statuses): valid calls and junk, seeded."""
    content = EXAMPLE.read_text(encoding="utf-8")
    good = [
        ("gyldig", payload("SI_ENHEDSPRIS", [[["anbringelse_plejefamilie_aar"]], [[2023]], [["kommune"]]]), {200}),
        ("gyldig", payload("SI_NOEGLETAL", [[["ungeindsats.yaml"]]]), {200}),
        ("gyldig", payload("SI_NOEGLETAL", [[[content]]]), {200}),
        ("gyldig", payload("SI_NUTIDSVAERDI", [[[-1000.0, 300.0, 400.0, 500.0]], [[0.04]]]), {200}),
        ("gyldig", payload("SI_REFUSIONSSATS", [[[30]], None]), {200}),
    ]
    junk_args = [
        [[["x" * 100_000]]], [[[True]]], [[[None]]], [[["NaN"]]], [[[1e308]]], [[[-1e308]]], [[[{"type": "Error"}]]],
        [[["/etc/passwd"]]], [[["../../etc/hosts.yaml"]]], [[["C:\\Windows\\win.ini"]]], [[[""]]], [[[[1, 2]]]], [],
    ]  # fmt: skip
    names = ["SI_ENHEDSPRIS", "SI_NOEGLETAL", "SI_NUTIDSVAERDI", "SI_REFUSIONSSATS", "SI_MONTE_CARLO", "SI_AFREGNING"]
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            kind, body, ok = rng.choice(good)
            out.append((kind, json.dumps(body).encode(), f"Bearer {TOKEN}", ok))
        elif r < 0.8:
            body = payload(rng.choice(names), [rng.choice(junk_args) for _ in range(rng.randint(0, 4))])
            out.append(("skrald", json.dumps(body).encode(), f"Bearer {TOKEN}", {200, 400}))  # junk may be a valid call
        elif r < 0.85:
            out.append(("ugyldig json", b'{"func_name": "SI_ENHEDSPRIS", "args": [[[', f"Bearer {TOKEN}", {400, 422}))
        elif r < 0.88:
            out.append(("for stor", b'{"args": [' + b"1," * 700_000 + b"1]}", f"Bearer {TOKEN}", {413}))
        elif r < 0.92:
            big = [[1.0] * 110 for _ in range(100)]
            out.append(("for mange celler", json.dumps(payload("SI_NUTIDSVAERDI", [big, None])).encode(), f"Bearer {TOKEN}", {400}))
        else:
            out.append(("uden login", json.dumps(rng.choice(good)[1]).encode(), rng.choice([None, "Bearer forkert"]), {401}))
    return out


def soak(base: str, work: list, concurrency: int, deadline: float) -> dict:
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    queue = list(enumerate(work))

    def worker() -> None:
        clients: dict[str | None, Client] = {}
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    break
                _, (kind, body, token, ok) = queue.pop()
            client = clients.setdefault(token, Client(base, token))
            start = time.perf_counter()
            try:
                status, _ = client.post(body)
            except Exception:  # noqa: BLE001 - a dropped connection is counted as an error
                status = -1
                clients.pop(token, None)
            elapsed = time.perf_counter() - start
            with lock:
                results.append((kind, status if status in ok else -abs(status or 1), elapsed))
        for c in clients.values():
            c.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    times = sorted(r[2] * 1000 for r in results)
    errors = [r for r in results if r[1] < 0]
    return {
        "served": len(results), "wall": wall, "p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
        "errors": len(errors), "by_kind": {k: sum(1 for r in results if r[0] == k) for k in sorted({r[0] for r in results})},
        "error_kinds": sorted({(r[0], r[1]) for r in errors}),
        "statuses": dict(sorted(collections.Counter(abs(r[1]) for r in results).items())),
    }  # fmt: skip


def overwrites(rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "sag.xlsx"
        target.write_bytes(b"original")
        written, refused = [], []

        def one(data: bytes, barrier: threading.Barrier) -> None:
            barrier.wait()
            try:
                write_file(target, data, overwrite=True, suffixes=(".xlsx",))
                written.append(data)
            except Exception as exc:  # noqa: BLE001
                refused.append(str(exc))

        for r in range(rounds):
            barrier = threading.Barrier(4)
            ts = [threading.Thread(target=one, args=(f"{r}-{i}".encode() * 1000, barrier)) for i in range(4)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        kept = {p.read_bytes() for p in [target, *backups(target)]}
        lost = [d for d in [b"original", *written] if d not in kept]
        return {"writes": len(written), "refused": len(refused), "lost": len(lost),
                "temporaries": len([p for p in Path(tmp).iterdir() if p.name.startswith(".")])}  # fmt: skip


def kills(n: int, rng: random.Random) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "sag.xlsx"
        target.write_bytes(b"brugerens egen fil")
        cmd = [sys.executable, "-m", "workbooks.cli", "build", str(EXAMPLE), "-o", str(target), "--overwrite"]
        for _ in range(n):
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.2, 2.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        leftovers_before = len([p for p in Path(tmp).iterdir() if p.name.startswith(".")])
        final = subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=120).returncode
        kept = [p.read_bytes() for p in [target, *backups(target)]]
        return {"kills": n, "temporaries_after_kills": leftovers_before, "final_exit": final,
                "original_kept": b"brugerens egen fil" in kept, "complete": target.read_bytes().startswith(b"PK"),
                "temporaries_after_next_run": len([p for p in Path(tmp).iterdir() if p.name.startswith(".")])}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=100, help="rounds of 4 concurrent overwrites")
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.time_limit
    key = None if os.environ.get("XLWINGS_LICENSE_KEY") else "noncommercial"
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "ungeindsats.yaml").write_bytes(EXAMPLE.read_bytes())
        env = {"SI_SAGSMAPPE": folder, "XLWINGS_AUTH_PROVIDERS": '["custom"]', "SI_SERVER_TOKEN": TOKEN}
        procs: list = []
        with running_server(timeout=90, licence_key=key, extra_env=env, process=procs) as base:
            pid = procs[0].pid
            warm = soak(base, requests(random.Random(0), 200), args.concurrency, deadline)
            before = rss_mb(pid)
            result = soak(base, requests(rng, args.requests), args.concurrency, deadline)
            after = rss_mb(pid)
            alive = procs[0].poll() is None
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; xlwings Server on 127.0.0.1, token login on")
    print(f"Soak: {result['served']} requests in {result['wall']:.1f} s ({result['served'] / result['wall']:.0f}/s) "
          f"at concurrency {args.concurrency} (after {warm['served']} warm-up requests)")  # fmt: skip
    print(f"  kinds: {result['by_kind']}")
    print(f"  statuses: {result['statuses']}")
    print(f"  latency p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms")
    print(f"  unexpected answers: {result['errors']} ({100 * result['errors'] / max(result['served'], 1):.2f} %) {result['error_kinds']}")
    print(f"  server memory: {before:.0f} MB before, {after:.0f} MB after ({after - before:+.0f} MB); server still up: {alive}")
    ow = overwrites(args.rounds)
    print(f"Overwrites: {args.rounds} rounds × 4 threads: {ow['writes']} written, {ow['refused']} refused as busy, "
          f"{ow['lost']} versions lost, {ow['temporaries']} temporary files left")  # fmt: skip
    k = kills(args.kills, rng)
    print(f"Kills: {k['kills']} builds killed at random moments ({k['temporaries_after_kills']} temporary files left), next run exit "
          f"{k['final_exit']}, user's file kept: {k['original_kept']}, result complete: {k['complete']}, "
          f"temporary files after it: {k['temporaries_after_next_run']}")  # fmt: skip
    ok = result["errors"] == 0 and alive and ow["lost"] == 0 and k["original_kept"] and k["temporaries_after_next_run"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
