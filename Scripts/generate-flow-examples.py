#!/usr/bin/env python3
"""Writes the example AWS VPC flow log (examples/aws/vpcflowlogs/...): the web tier's ordinary
traffic, rejected SSH probes, and from 01:30 on 2026-11-04 the forgotten debug session's
destination (the "tcpdump box", eni-0badd0g5e5510n000) sending what it receives to 198.51.100.200.
Deterministic: run it again to regenerate the same bytes."""
import datetime
import gzip
import os
import random

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "aws")
rnd = random.Random(7)


def ep(s):
    return int(datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())


def main():
    acct = "111122223333"
    odd, web, pci = "eni-0badd0g5e5510n000", "eni-0a11b22c33d44e5f6", "eni-0c0ffee0dbdbdb001"
    lines = ["version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"]
    t0 = ep("2026-11-04T01:00:00Z")
    for i in range(0, 24):
        s = t0 + i * 300
        e = s + 60
        lines.append(f"2 {acct} {web} 10.20.1.15 10.20.8.21 {rnd.randint(32768, 60999)} 5432 6 {rnd.randint(20, 90)} {rnd.randint(4000, 40000)} {s} {e} ACCEPT OK")
        lines.append(f"2 {acct} {web} 203.0.113.{rnd.randint(2, 250)} 10.20.1.15 {rnd.randint(32768, 60999)} 443 6 {rnd.randint(5, 40)} {rnd.randint(900, 9000)} {s} {e} ACCEPT OK")
        lines.append(f"2 {acct} {web} 10.20.1.15 203.0.113.{rnd.randint(2, 250)} 443 {rnd.randint(32768, 60999)} 6 {rnd.randint(5, 40)} {rnd.randint(9000, 90000)} {s} {e} ACCEPT OK")
        lines.append(f"2 {acct} {pci} 185.220.101.{rnd.randint(2, 250)} 10.20.8.21 {rnd.randint(32768, 60999)} 22 6 1 60 {s} {e} REJECT OK")
        if i >= 6:
            lines.append(f"2 {acct} {odd} 10.20.99.7 198.51.100.200 40112 443 6 {rnd.randint(40000, 52000)} {rnd.randint(55_000_000, 70_000_000)} {s} {e} ACCEPT OK")
        lines.append(f"2 {acct} {odd} - - - - - - - {s} {e} - NODATA" if i < 6
                     else f"2 {acct} {odd} 10.20.99.7 10.0.0.2 {rnd.randint(32768, 60999)} 53 17 2 150 {s} {e} ACCEPT OK")
    path = os.path.join(HERE, "vpcflowlogs", "AWSLogs", acct, "vpcflowlogs", "us-east-1", "2026", "11", "04",
                        f"{acct}_vpcflowlogs_us-east-1_fl-0a1b2c3d4e5f60718_20261104T0100Z_3f9a1c2e.log.gz")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(("\n".join(lines) + "\n").encode())


if __name__ == "__main__":
    main()
