#!/usr/bin/env python3
"""Load test of `mirrorwatch serve` on loopback (bounded; nothing leaves the machine).

Measures sustained ingest with the embedded SQLite store (or, with --database URL, PostgreSQL):
  1. CloudTrail over HTTP: batches of JSON lines (as a forwarder posts them) from several keep-alive
     connections; records per second from the first request to the last 202 (each batch stored
     durably before its 202), then how long the findings take to catch up.
  2. Device syslog over TCP: lines streamed on one connection; lines per second until the server
     has stored them all (from its /metrics).

Usage: Benchmarks/load-test.py [--binary PATH] [--corpus DIR] [--syslog-corpus DIR] [--batches N]
       [--records-per-batch N] [--connections N] [--syslog-lines N] [--database postgres://...] [--out FILE]
The corpora are the ones Benchmarks/compare.sh writes (Benchmarks/make-corpus.py).
"""
import argparse
import glob
import hashlib
import http.client
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time


def start_server(binary, directory, database):
    tokens = {"loader": ("ingest", "mw_load_ingest"), "watcher": ("viewer", "mw_load_viewer")}
    config = os.path.join(directory, "serve.yaml")
    with open(config, "w") as f:
        f.write(f"listen: 127.0.0.1:0\ndatabase: {database or directory + '/mirrorwatch.sqlite'}\nsyslog_tcp: 127.0.0.1:0\nmax_request_bytes: 67108864\ntokens:\n")
        for name, (role, token) in tokens.items():
            f.write(f"  - {{name: {name}, role: {role}, sha256: {hashlib.sha256(token.encode()).hexdigest()}}}\n")
    process = subprocess.Popen([binary, "serve", "--config", config], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    text = ""
    while "listening on" not in text:
        line = process.stdout.readline()
        if not line:
            sys.exit("the server did not start")
        text += line
    http_port = int(re.search(r"http://127\.0\.0\.1:(\d+)", text).group(1))
    tcp_port = int(re.search(r"tcp://127\.0\.0\.1:(\d+)", text).group(1))
    return process, http_port, tcp_port


def request(port, method, path, token, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request(method, path, body=body, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def cloudtrail_batches(corpus, count, per_batch):
    records = []
    for path in sorted(glob.glob(os.path.join(corpus, "*.json"))):
        with open(path) as f:
            records.extend(json.load(f)["Records"])
        if len(records) >= per_batch * 50:
            break
    lines = [json.dumps(r, separators=(",", ":")) for r in records]
    distinct = [("\n".join(lines[i:i + per_batch]) + "\n").encode() for i in range(0, len(lines) - per_batch + 1, per_batch)]
    return [distinct[i % len(distinct)] for i in range(count)]


def http_phase(port, batches, per_batch, connections):
    queue = list(range(len(batches)))
    lock = threading.Lock()
    failures = []

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                index = queue.pop()
            # Named by an object key as a forwarder would (the corpus repeats: the same bytes without a
            # source of their own would be taken for retries and not stored again).
            connection.request("POST", f"/v1/ingest/cloudtrail?source=forwarder/batch-{index:05d}.jsonl", body=batches[index],
                               headers={"Authorization": "Bearer mw_load_ingest"})
            response = connection.getresponse()
            response.read()
            if response.status != 202:
                failures.append(response.status)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    if failures:
        sys.exit(f"{len(failures)} batches refused: {failures[:5]}")
    records = len(batches) * per_batch
    caught_up = time.perf_counter()
    while True:
        status = json.loads(request(port, "GET", "/v1/status", "mw_load_viewer")[1])
        if status["evaluated_through"] == status["accepted_through"]:
            break
        time.sleep(0.05)
    return records, seconds, time.perf_counter() - caught_up, sum(len(b) for b in batches)


def syslog_phase(http_port, tcp_port, corpus, count):
    lines = []
    for path in sorted(glob.glob(os.path.join(corpus, "*"))):
        with open(path, "rb") as f:
            for line in f:
                lines.append(line)
                if len(lines) >= count:
                    break
        if len(lines) >= count:
            break
    payload = b"".join(lines)
    sock = socket.create_connection(("127.0.0.1", tcp_port))
    start = time.perf_counter()
    view = memoryview(payload)
    for offset in range(0, len(payload), 1 << 20):
        sock.sendall(view[offset:offset + (1 << 20)])
    sock.close()
    sent = time.perf_counter() - start
    pattern = re.compile(rb'mirrorwatch_ingest_records_total\{kind="syslog-stream"\} (\d+)')
    while True:
        match = pattern.search(request(http_port, "GET", "/metrics", "mw_load_viewer")[1])
        if match and int(match.group(1)) >= len(lines):
            break
        time.sleep(0.02)
    return len(lines), sent, time.perf_counter() - start, len(payload)


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build-static/release/mirrorwatch")
    parser.add_argument("--corpus", default="/tmp/mirrorwatch-bench-corpus-1024")
    parser.add_argument("--syslog-corpus", default="/tmp/mirrorwatch-bench-corpus-1024-syslog")
    parser.add_argument("--batches", type=int, default=300)
    parser.add_argument("--records-per-batch", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--syslog-lines", type=int, default=2_000_000)
    parser.add_argument("--database", help="a PostgreSQL URL (an empty database) instead of a SQLite file")
    parser.add_argument("--out", default="Benchmarks/results/load-test.md")
    args = parser.parse_args()

    batches = cloudtrail_batches(args.corpus, args.batches, args.records_per_batch)
    with tempfile.TemporaryDirectory() as directory:
        process, http_port, tcp_port = start_server(args.binary, directory, args.database)
        try:
            records, seconds, catch_up, sent_bytes = http_phase(http_port, batches, args.records_per_batch, args.connections)
            lines, send_seconds, syslog_seconds, syslog_bytes = syslog_phase(http_port, tcp_port, args.syslog_corpus, args.syslog_lines)
            rss = peak_rss_mb(process.pid)
            database = 0 if args.database else os.path.getsize(os.path.join(directory, "mirrorwatch.sqlite"))
        finally:
            process.terminate()
            process.wait()

    cpu = platform.processor() or platform.machine()
    table = [
        f"## Service load test, {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores ({cpu})",
        "",
        f"`mirrorwatch serve` (release build), {'PostgreSQL store (Debian server on the same machine)' if args.database else 'SQLite store (WAL, synchronous FULL)'}, loopback. Batches: {args.batches} of "
        f"{args.records_per_batch} CloudTrail records as JSON lines ({sent_bytes / 1e6:.0f} MB) from {args.connections} keep-alive "
        f"connections; every batch stored before its 202. Syslog: {lines} lines ({syslog_bytes / 1e6:.0f} MB) on one TCP connection.",
        "",
        "| phase | records | seconds | records/s | MB/s |",
        "|---|---:|---:|---:|---:|",
        f"| CloudTrail over HTTP, until the last 202 | {records} | {seconds:.2f} | {records / seconds:,.0f} | {sent_bytes / 1e6 / seconds:.0f} |",
        f"| findings caught up after the last 202 | | {catch_up:.2f} | | |",
        f"| syslog over TCP, until all stored | {lines} | {syslog_seconds:.2f} | {lines / syslog_seconds:,.0f} | {syslog_bytes / 1e6 / syslog_seconds:.0f} |",
        "",
        f"Server peak RSS {rss:.0f} MB" + (f"; database {database / 1e6:.0f} MB at the end (the batches as received)." if database else "."),
        "",
    ]
    text = "\n".join(table)
    print(text)
    with open(args.out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
