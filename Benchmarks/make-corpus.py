#!/usr/bin/env python3
"""Writes a CloudTrail benchmark corpus: S3 objects ({"Records":[...]}) of about --object-mb each,
--total-mb in all, made of realistic records with about --rate mirroring writes among them.

Background records come from the real public CloudTrail in ../shared/datasets (attack simulations;
see its README for origin and licenses) when present, else from a built-in generator. Mirroring
writes are generated in EC2's wrapped form. Prints the number of mirroring writes written, which
both mirrorwatch and jq must find.
"""
import argparse, glob, json, os, random, sys, uuid

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--total-mb", type=int, default=1024)
parser.add_argument("--object-mb", type=int, default=25)
parser.add_argument("--rate", type=float, default=0.0001, help="share of records that are mirroring writes")
parser.add_argument("--datasets", default=os.path.join(here, "..", "..", "shared", "datasets"))
args = parser.parse_args()
random.seed(1020)

def real_records():
    records = []
    for path in sorted(glob.glob(os.path.join(args.datasets, "aws", "*", "**", "*.json"), recursive=True)):
        try:
            data = json.load(open(path, encoding="utf-8"))
        except Exception:
            continue
        items = data.get("Records", []) if isinstance(data, dict) else data if isinstance(data, list) else []
        records += [r for r in items if isinstance(r, dict) and "TrafficMirror" not in str(r.get("eventName", ""))]
    return records

def synthetic_records(n=3000):
    names = [("s3.amazonaws.com", "GetObject"), ("s3.amazonaws.com", "PutObject"), ("ec2.amazonaws.com", "DescribeInstances"),
             ("sts.amazonaws.com", "AssumeRole"), ("iam.amazonaws.com", "ListRoles"), ("kms.amazonaws.com", "Decrypt"),
             ("ec2.amazonaws.com", "DescribeTrafficMirrorSessions"), ("logs.amazonaws.com", "PutLogEvents")]
    out = []
    for i in range(n):
        source, name = random.choice(names)
        out.append({"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": f"AROAEXAMPLE:{i}",
                    "arn": f"arn:aws:sts::111122223333:assumed-role/App/{i}", "accountId": "111122223333",
                    "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/App"},
                                       "attributes": {"creationDate": "2026-11-03T08:00:00Z", "mfaAuthenticated": "false"}}},
                    "eventTime": "2026-11-03T10:00:00Z", "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
                    "sourceIPAddress": "10.1.2.3", "userAgent": "aws-sdk-go/1.44.0 (go1.20; linux; amd64)",
                    "requestParameters": {"bucketName": "app-data", "key": f"objects/{uuid.uuid4()}.parquet", "filter": "x" * random.randint(0, 400)},
                    "responseElements": None, "eventID": str(uuid.uuid4()), "readOnly": True, "eventType": "AwsApiCall",
                    "recipientAccountId": "111122223333", "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256"}})
    return out

def mirroring(i):
    op = ["CreateTrafficMirrorTarget", "CreateTrafficMirrorFilter", "CreateTrafficMirrorFilterRule", "CreateTrafficMirrorSession",
          "ModifyTrafficMirrorSession", "DeleteTrafficMirrorSession"][i % 6]
    request = {"CreateTrafficMirrorTarget": {"NetworkInterfaceId": f"eni-{i:017x}"},
               "CreateTrafficMirrorFilter": {"Description": "bench"},
               "CreateTrafficMirrorFilterRule": {"TrafficMirrorFilterId": f"tmf-{i:017x}", "TrafficDirection": "ingress", "RuleNumber": 100,
                                                 "RuleAction": "accept", "SourceCidrBlock": "0.0.0.0/0", "DestinationCidrBlock": "0.0.0.0/0"},
               "CreateTrafficMirrorSession": {"NetworkInterfaceId": f"eni-{i:017x}", "TrafficMirrorTargetId": f"tmt-{i:017x}",
                                              "TrafficMirrorFilterId": f"tmf-{i:017x}", "SessionNumber": 1},
               "ModifyTrafficMirrorSession": {"TrafficMirrorSessionId": f"tms-{i:017x}", "TrafficMirrorTargetId": f"tmt-{i:017x}"},
               "DeleteTrafficMirrorSession": {"TrafficMirrorSessionId": f"tms-{i:017x}"}}[op]
    ids = {"CreateTrafficMirrorTarget": {"trafficMirrorTarget": {"trafficMirrorTargetId": f"tmt-{i:017x}", "networkInterfaceId": f"eni-{i:017x}", "ownerId": "111122223333"}},
           "CreateTrafficMirrorFilter": {"trafficMirrorFilter": {"trafficMirrorFilterId": f"tmf-{i:017x}"}},
           "CreateTrafficMirrorFilterRule": {"trafficMirrorFilterRule": {"trafficMirrorFilterRuleId": f"tmfr-{i:017x}", "trafficMirrorFilterId": f"tmf-{i:017x}"}},
           "CreateTrafficMirrorSession": {"trafficMirrorSession": {"trafficMirrorSessionId": f"tms-{i:017x}", "networkInterfaceId": f"eni-{i:017x}",
                                                                   "trafficMirrorTargetId": f"tmt-{i:017x}", "trafficMirrorFilterId": f"tmf-{i:017x}"}},
           "ModifyTrafficMirrorSession": {"trafficMirrorSession": {"trafficMirrorSessionId": f"tms-{i:017x}"}},
           "DeleteTrafficMirrorSession": {"trafficMirrorSessionId": f"tms-{i:017x}"}}[op]
    return {"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": "arn:aws:iam::111122223333:user/bench",
            "accountId": "111122223333", "userName": "bench"}, "eventTime": f"2026-11-03T{10 + i % 10:02d}:{i % 60:02d}:00Z",
            "eventSource": "ec2.amazonaws.com", "eventName": op, "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
            "userAgent": "aws-cli/2.18.4", "requestParameters": {f"{op}Request": request}, "responseElements": {f"{op}Response": ids},
            "eventID": str(uuid.uuid4()), "readOnly": False, "eventType": "AwsApiCall", "recipientAccountId": "111122223333"}

real = real_records()
pool = real or synthetic_records()
encoded = [json.dumps(r, separators=(",", ":")) for r in pool]
os.makedirs(args.out, exist_ok=True)
object_bytes = args.object_mb * 1024 * 1024
objects = max(1, args.total_mb // args.object_mb)
written = mirror_count = records = 0
every = int(1 / args.rate) if args.rate > 0 else 0
for n in range(objects):
    parts, size = [], 0
    while size < object_bytes:
        records += 1
        if every and records % every == 0:
            text = json.dumps(mirroring(mirror_count), separators=(",", ":"))
            mirror_count += 1
        else:
            text = random.choice(encoded)
        parts.append(text)
        size += len(text) + 1
    path = os.path.join(args.out, f"111122223333_CloudTrail_us-east-1_20261103T{n // 12:02d}{n % 12 * 5:02d}Z_{n:04d}.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"Records":[' + ",".join(parts) + "]}")
    written += size
print(json.dumps({"objects": objects, "records": records, "mirroring": mirror_count, "bytes": written,
                  "background": f"{len(real)} real records from the datasets" if real else "synthetic"}))
