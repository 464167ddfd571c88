#!/usr/bin/env python3
"""Writes a CloudTrail benchmark corpus: S3 objects ({"Records":[...]}) of about --object-mb each,
--total-mb in all, made of realistic records with about --rate mirroring writes among them, six at a
time (--placement bursts: a mirroring setup is a handful of calls close together, seven in twelve
minutes in the Panther capture of the datasets, so most objects hold none; the rate itself is far
above a real trail's, to give the tools enough writes to count) or evenly spread (--placement periodic).

Background records come from the real public CloudTrail in ../shared/datasets (attack simulations;
see its README for origin and licenses) when present, else from a built-in generator. Mirroring
writes are generated in EC2's wrapped form. Prints the number of mirroring writes written, which
both mirrorwatch and jq must find.

CloudTrail objects are laid out as CloudTrail delivers them (--layout delivered, the default): each
object holds the events of one account in one region, the ones its name gives
(AccountID_CloudTrail_RegionName_YYYYMMDDTHHmmZ_UniqueString.json), timed in the minutes before its
delivery, in time order; the objects cycle through the accounts and regions of an organization.
Only recipientAccountId, awsRegion and eventTime are set in the records drawn: callers, requests and
their ids stay as recorded (the mirroring writes generated here are made in the object's account). --layout mixed keeps every record as recorded, so one object mixes accounts, regions and
years (as an export merged from many trails might).
"""
import argparse, datetime, glob, json, os, random, sys, uuid

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--total-mb", type=int, default=1024)
parser.add_argument("--object-mb", type=int, default=25)
parser.add_argument("--rate", type=float, default=0.0001, help="share of records that are mirroring writes")
parser.add_argument("--layout", choices=["delivered", "mixed"], default="delivered",
                    help="CloudTrail only: delivered (one account and region per object, as CloudTrail writes them) or mixed (records as recorded)")
parser.add_argument("--assume-role-share", type=float, default=0.0,
                    help="CloudTrail only: share of records that are AssumeRole calls drawn from those in the datasets (production trails often have 10-40%%)")
parser.add_argument("--placement", choices=["bursts", "periodic"], default="bursts",
                    help="bursts (the default): the mirroring writes come six at a time, a setup of target, filter, rule and "
                         "session then a change and a removal within a minute or so (mirroring changes come close together: seven "
                         "calls in twelve minutes in the Panther capture in the datasets); "
                         "periodic: one every 1/--rate records, evenly spread (then nearly every object holds some)")
parser.add_argument("--datasets", default=os.path.join(here, "..", "..", "shared", "datasets"))
parser.add_argument("--platform", choices=["aws", "gcp", "azure", "syslog"], default="aws",
                    help="aws: CloudTrail S3 objects; gcp: Cloud Storage sink files of LogEntry JSON lines; azure: Event Hub PT1H.json archives")
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

def mirroring(i, account="111122223333", region="us-east-1"):
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
    ids = {"CreateTrafficMirrorTarget": {"trafficMirrorTarget": {"trafficMirrorTargetId": f"tmt-{i:017x}", "networkInterfaceId": f"eni-{i:017x}", "ownerId": account}},
           "CreateTrafficMirrorFilter": {"trafficMirrorFilter": {"trafficMirrorFilterId": f"tmf-{i:017x}"}},
           "CreateTrafficMirrorFilterRule": {"trafficMirrorFilterRule": {"trafficMirrorFilterRuleId": f"tmfr-{i:017x}", "trafficMirrorFilterId": f"tmf-{i:017x}"}},
           "CreateTrafficMirrorSession": {"trafficMirrorSession": {"trafficMirrorSessionId": f"tms-{i:017x}", "networkInterfaceId": f"eni-{i:017x}",
                                                                   "trafficMirrorTargetId": f"tmt-{i:017x}", "trafficMirrorFilterId": f"tmf-{i:017x}"}},
           "ModifyTrafficMirrorSession": {"trafficMirrorSession": {"trafficMirrorSessionId": f"tms-{i:017x}"}},
           "DeleteTrafficMirrorSession": {"trafficMirrorSessionId": f"tms-{i:017x}"}}[op]
    return {"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{account}:user/bench",
            "accountId": account, "userName": "bench"}, "eventTime": f"2026-11-03T{10 + i % 10:02d}:{i % 60:02d}:00Z",
            "eventSource": "ec2.amazonaws.com", "eventName": op, "awsRegion": region, "sourceIPAddress": "198.51.100.7",
            "userAgent": "aws-cli/2.18.4", "requestParameters": {f"{op}Request": request}, "responseElements": {f"{op}Response": ids},
            "eventID": str(uuid.uuid4()), "readOnly": False, "eventType": "AwsApiCall", "recipientAccountId": account}

def gcp_records(n=3000):
    methods = ["v1.compute.instances.insert", "v1.compute.instances.setMetadata", "v1.compute.firewalls.patch", "v1.compute.disks.createSnapshot",
               "storage.buckets.update", "SetIamPolicy", "v1.compute.instances.stop", "beta.compute.subnetworks.patch", "v1.compute.packetMirrorings.get"]
    out = []
    for i in range(n):
        m = random.choice(methods)
        res = f"projects/shop-prod-2231/zones/us-central1-a/instances/vm-{i % 97}"
        out.append({"protoPayload": {"@type": "type.googleapis.com/google.cloud.audit.AuditLog", "authenticationInfo": {"principalEmail": f"svc-{i % 13}@shop-prod-2231.iam.gserviceaccount.com"},
                    "requestMetadata": {"callerIp": f"10.1.{i % 200}.{i % 250}", "callerSuppliedUserAgent": "Terraform/1.9.5 (+https://www.terraform.io) google-api-go-client/0.5",
                                        "requestAttributes": {"time": "2026-11-03T10:00:00Z", "auth": {}}, "destinationAttributes": {}},
                    "serviceName": "compute.googleapis.com", "methodName": m, "resourceName": res,
                    "authorizationInfo": [{"permission": "compute.instances.setMetadata", "granted": True, "resourceAttributes": {"service": "compute", "name": res, "type": "compute.instances"}}],
                    "request": {"@type": "type.googleapis.com/compute.instances.setMetadata", "items": [{"key": "startup-script", "value": "x" * random.randint(0, 600)}]},
                    "response": {"@type": "type.googleapis.com/operation", "name": f"operation-{i}", "status": "RUNNING", "targetLink": "https://www.googleapis.com/compute/v1/" + res}},
                    "insertId": f"-{uuid.uuid4().hex[:12]}", "resource": {"type": "gce_instance", "labels": {"project_id": "shop-prod-2231", "zone": "us-central1-a", "instance_id": str(4000000000 + i)}},
                    "timestamp": "2026-11-03T10:00:00.123456Z", "severity": "NOTICE", "logName": "projects/shop-prod-2231/logs/cloudaudit.googleapis.com%2Factivity",
                    "operation": {"id": f"operation-{i}", "producer": "compute.googleapis.com", "first": True}, "receiveTimestamp": "2026-11-03T10:00:01.123456Z"})
    return out

def gcp_mirroring(i):
    name = f"pm-{i:05d}"
    res = f"projects/shop-prod-2231/regions/us-central1/packetMirrorings/{name}"
    return {"protoPayload": {"@type": "type.googleapis.com/google.cloud.audit.AuditLog", "authenticationInfo": {"principalEmail": "bench@example.com"},
            "requestMetadata": {"callerIp": "203.0.113.5", "callerSuppliedUserAgent": "google-cloud-sdk gcloud/489.0.0"},
            "serviceName": "compute.googleapis.com", "methodName": "v1.compute.packetMirrorings.insert", "resourceName": res,
            "request": {"@type": "type.googleapis.com/compute.packetMirrorings.insert", "name": name,
                        "collectorIlb": {"url": "https://www.googleapis.com/compute/v1/projects/shop-prod-2231/regions/us-central1/forwardingRules/c"},
                        "mirroredResources": {"subnetworks": [{"url": "https://www.googleapis.com/compute/v1/projects/shop-prod-2231/regions/us-central1/subnetworks/web"}]}}},
            "insertId": f"-m{i:08d}", "resource": {"type": "gce_packet_mirroring", "labels": {"project_id": "shop-prod-2231", "region": "us-central1"}},
            "timestamp": "2026-11-03T11:%02d:00Z" % (i % 60), "severity": "NOTICE", "logName": "projects/shop-prod-2231/logs/cloudaudit.googleapis.com%2Factivity"}

def azure_records(n=3000):
    ops = ["Microsoft.Network/networkSecurityGroups/securityRules/write", "Microsoft.Compute/virtualMachines/write", "Microsoft.Storage/storageAccounts/listKeys/action",
           "Microsoft.Network/networkInterfaces/write", "Microsoft.Authorization/roleAssignments/write", "Microsoft.Network/virtualNetworkTaps/read"]
    out = []
    for i in range(n):
        op = random.choice(ops)
        res = f"/SUBSCRIPTIONS/6F1C2D3E-0000-4A5B-8C9D-111122223333/RESOURCEGROUPS/RG-APP/PROVIDERS/{'/'.join(op.split('/')[:2]).upper()}/RES-{i % 91}"
        out.append({"time": "2026-11-03T10:00:00.1234567Z", "resourceId": res, "operationName": op.upper(), "category": "Administrative",
                    "resultType": random.choice(["Start", "Success"]), "resultSignature": "Started.", "durationMs": "0", "callerIpAddress": f"10.2.{i % 200}.{i % 250}",
                    "correlationId": str(uuid.uuid4()), "identity": {"authorization": {"scope": res, "action": op, "evidence": {"role": "Contributor", "principalType": "User"}},
                    "claims": {"appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": f"user{i % 17}@contoso.com",
                               "ipaddr": "198.51.100.4", "http://schemas.microsoft.com/identity/claims/objectidentifier": str(uuid.uuid4())}},
                    "level": "Information", "location": "global",
                    "properties": {"requestbody": json.dumps({"properties": {"note": "x" * random.randint(0, 500)}}), "eventCategory": "Administrative", "entity": res, "message": op}})
    return out

def azure_mirroring(i):
    tap = f"/SUBSCRIPTIONS/6F1C2D3E-0000-4A5B-8C9D-111122223333/RESOURCEGROUPS/RG-NET/PROVIDERS/MICROSOFT.NETWORK/VIRTUALNETWORKTAPS/TAP-{i:05d}"
    return {"time": "2026-11-03T11:%02d:00Z" % (i % 60), "resourceId": tap, "operationName": "MICROSOFT.NETWORK/VIRTUALNETWORKTAPS/WRITE", "category": "Administrative",
            "resultType": "Start", "correlationId": str(uuid.uuid4()), "callerIpAddress": "198.51.100.4",
            "identity": {"claims": {"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "bench@contoso.com"}},
            "properties": {"requestbody": json.dumps({"properties": {"destinationNetworkInterfaceIPConfiguration": {"id": tap.lower() + "/x"}}})}}

def syslog_records(n=4000):
    templates = [
        "{t} {h} {s}: {t2}.{ms} UTC: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/{p}, changed state to {st}",
        "{t} {h} {s}: {t2}.{ms} UTC: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet1/0/{p}, changed state to {st}",
        "{t} {h} {s}: {t2}.{ms} UTC: %SEC-6-IPACCESSLOGP: list 101 denied tcp 10.{p}.1.2({p}123) -> 10.0.0.{p}(22), 1 packet",
        "{t} {h} {s}: {t2}.{ms} UTC: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 10.5.5.5 port 514 started - CLI initiated",
        "{t} {h} mgd[{s}]: UI_AUTH_EVENT: Authenticated user 'svc-backup' assigned to class 'read-only'",
        "{t} {h} sshd[{s}]: Accepted publickey for netops from 10.20.{p}.4 port 52{p} ssh2: ED25519 SHA256:abc",
        "{t} {h} Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet{p}, changed state to {st}",
        "<189>1 2026-11-03T{t3}.{ms}Z {h} - - - - {s}: %OSPF-5-ADJCHG: Process 1, Nbr 10.0.0.{p} on Vlan{p} from LOADING to FULL, Loading Done",
    ]
    out = []
    for i in range(n):
        hh, mm, ss = 10 + i % 8, i % 60, (i * 7) % 60
        out.append(random.choice(templates).format(t="Nov  3 %02d:%02d:%02d" % (hh, mm, ss), t2="Nov  3 %02d:%02d:%02d" % (hh, mm, ss),
                   t3="%02d:%02d:%02d" % (hh, mm, ss), ms="%03d" % (i % 1000), h="sw-%03d" % (i % 300), s=str(10000 + i),
                   p=str(i % 48 + 1), st=random.choice(["up", "down"])))
    return out

def syslog_mirroring(i):
    return "Nov  3 11:%02d:%02d core-sw%d 2%05d: Nov  3 11:%02d:%02d.000 UTC: %%PARSER-5-CFGLOG_LOGGEDCMD: User:bench  logged command:monitor session %d destination ip %s" % (
        i % 60, i % 60, i % 50, i, i % 60, i % 60, 1 + i % 60, "203.0.113.%d" % (i % 250))

if args.platform == "syslog":
    real, mirroring = [], syslog_mirroring
    pool = syslog_records()
elif args.platform == "gcp":
    real, mirroring = [], gcp_mirroring
    pool = gcp_records()
elif args.platform == "azure":
    real, mirroring = [], azure_mirroring
    pool = azure_records()
else:
    real = real_records()
    pool = real or synthetic_records()
encode = (lambda r: r) if args.platform == "syslog" else (lambda r: json.dumps(r, separators=(",", ":")))
encoded = [encode(r) for r in pool]
# Role assumptions, for --assume-role-share (drawn apart from the rest, so the default draw is unchanged).
assume_roles = [encode(r) for r in pool if isinstance(r, dict) and r.get("eventName") == "AssumeRole"]
role_draw = random.Random(1021)
os.makedirs(args.out, exist_ok=True)
object_bytes = args.object_mb * 1024 * 1024
objects = max(1, args.total_mb // args.object_mb)
written = mirror_count = records = 0
every = int(1 / args.rate) if args.rate > 0 else 0
# Bursts keep the rate: six writes every 6/rate records, within a few thousand records of each other.
burst, burst_draw, burst_left = 6, random.Random(1103), []
# An organization's accounts and the regions they work in: CloudTrail objects cycle through them.
accounts = ["111122223333", "444455556666", "777788889999", "123456789012", "210987654321", "135792468024"]
regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ca-central-1", "sa-east-1"]
delivered = args.platform == "aws" and args.layout == "delivered"
for n in range(objects):
    account, region = accounts[n % len(accounts)], regions[(n // len(accounts)) % len(regions)]
    # Delivered every five minutes; the events of the five minutes before, in order.
    delivery = datetime.datetime(2026, 11, 3, 3, 0, tzinfo=datetime.timezone.utc) + datetime.timedelta(minutes=5 * (n + 1))
    parts, size = [], 0
    while size < object_bytes:
        records += 1
        if args.placement == "periodic":
            writes_here = every and records % every == 0
        else:
            if every and records % (every * burst) == 0:
                span = min(every * burst // 2, 3000)
                burst_left = sorted([records] + burst_draw.sample(range(records + 1, records + span), burst - 1))
            writes_here = bool(burst_left) and burst_left[0] == records
            if writes_here:
                burst_left.pop(0)
        if writes_here:
            text = encode(mirroring(mirror_count, account, region) if delivered else mirroring(mirror_count))
            mirror_count += 1
        else:
            text = random.choice(encoded)
            if assume_roles and role_draw.random() < args.assume_role_share:
                text = role_draw.choice(assume_roles)
        parts.append(text)
        size += len(text) + 1
    if delivered:
        # The same records, moved into this object's account, region and minutes.
        parts = [json.loads(text) for text in parts]
        for k, record in enumerate(parts):
            at = delivery - datetime.timedelta(seconds=300 - 300 * k // len(parts))
            record["eventTime"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            record["awsRegion"] = region
            record["recipientAccountId"] = account
        parts = [encode(record) for record in parts]
        size = sum(len(text) + 1 for text in parts)
    if args.platform == "syslog":
        path = os.path.join(args.out, f"relay-{n:04d}.log")
        text = "\n".join(parts) + "\n"
    elif args.platform == "gcp":
        path = os.path.join(args.out, f"{n // 60:02d}:{n % 60:02d}:00_{n // 60:02d}:{n % 60:02d}:59_S{n}.json")
        text = "\n".join(parts) + "\n"
    elif args.platform == "azure":
        path = os.path.join(args.out, f"PT1H-{n:04d}.json")
        text = '{"records":[' + ",".join(parts) + "]}"
    else:
        stamp = delivery.strftime("%Y%m%dT%H%MZ")
        path = os.path.join(args.out, f"{account}_CloudTrail_{region}_{stamp}_{n:016d}.json" if delivered
                            else f"111122223333_CloudTrail_us-east-1_20261103T{n // 12:02d}{n % 12 * 5:02d}Z_{n:04d}.json")
        text = '{"Records":[' + ",".join(parts) + "]}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    written += size
print(json.dumps({"objects": objects, "records": records, "mirroring": mirror_count, "bytes": written,
                  "layout": args.layout if args.platform == "aws" else None, "placement": args.placement, "assume_role_share": args.assume_role_share,
                  "background": f"{len(real)} real records from the datasets" if real else "synthetic (written by us)"}))
