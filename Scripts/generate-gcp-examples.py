#!/usr/bin/env python3
"""Writes mirrorwatch's GCP example data: one week of Packet Mirroring in project shop-prod-2231.

The story (all names invented, shapes as Cloud Audit Logs and gcloud write them):
  * Tue 10:00  netops-alice@example.com creates pm-ndr under CHG0031005: the web subnet, TCP only,
               to the approved NDR collector ILB in the security project sec-tools-0815.
  * Tue 15:02  intern@example.com tries to create a policy: PERMISSION_DENIED.
  * Tue 16:40  the CI service account creates pm-debug: the payments subnet, no filter (all traffic),
               to a collector in ext-analytics-7731 (not ours); deletes it 31 minutes later.
  * Wed 03:12  an external account patches pm-ndr to a debug collector in our project (Pub/Sub push copy).
  * Thu        gcloud snapshots: packet mirrorings, forwarding rules, instances.
Background: ordinary Compute Engine admin activity around it.
"""
import base64, json, os, random

random.seed(20261103)
ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "gcp")
P, SEC, EXT, R = "shop-prod-2231", "sec-tools-0815", "ext-analytics-7731", "us-central1"
API = "https://www.googleapis.com/compute/v1/"
counter = [0]

def nid():
    counter[0] += 1
    return "%x" % (0x1f2e3d4c5b + counter[0] * 7919)

def path(kind, name, project=P):
    return f"projects/{project}/regions/{R}/{kind}/{name}"

def entry(method, resource, t, who, req=None, op=None, status=None, ua="google-cloud-sdk gcloud/489.0.0 command/gcloud.compute.packet-mirrorings.create", rtype="gce_packet_mirroring"):
    proto = {"@type": "type.googleapis.com/google.cloud.audit.AuditLog",
             "authenticationInfo": {"principalEmail": who},
             "requestMetadata": {"callerIp": "203.0.113.%d" % (10 + counter[0] % 40), "callerSuppliedUserAgent": ua,
                                 "requestAttributes": {"time": t, "auth": {}}, "destinationAttributes": {}},
             "serviceName": "compute.googleapis.com", "methodName": method, "resourceName": resource,
             "authorizationInfo": [{"permission": "compute." + method.split(".")[-2] + "." + ("create" if method.endswith("insert") else method.split(".")[-1]),
                                    "granted": status is None, "resourceAttributes": {"service": "compute", "name": resource, "type": "compute.packetMirrorings"}}],
             "resourceLocation": {"currentLocations": [R]}}
    if req is not None: proto["request"] = req
    if status: proto["status"] = {"code": status[0], "message": status[1]}
    if op and op[1]: proto["response"] = {"@type": "type.googleapis.com/operation", "id": op[0].split("-")[1], "name": op[0], "status": "RUNNING",
                                          "operationType": method.split(".")[-1].lower(), "targetLink": API + resource, "progress": "0", "user": who}
    e = {"protoPayload": proto, "insertId": "-" + nid() + "c2", "resource": {"type": rtype, "labels": {"project_id": P, "region": R}},
         "timestamp": t, "severity": "ERROR" if status else "NOTICE", "logName": f"projects/{P}/logs/cloudaudit.googleapis.com%2Factivity",
         "receiveTimestamp": t[:-1] + ".812345678Z"}
    if op:
        e["operation"] = {"id": op[0], "producer": "compute.googleapis.com"}
        e["operation"]["first" if op[1] else "last"] = True
    return e

def long_running(method, resource, t, t_done, who, req):
    op = "operation-%d-5f1e%s" % (1730000000000 + counter[0], nid())
    return [entry(method, resource, t, who, req, (op, True)), entry(method, resource, t_done, who, None, (op, False))]

def mirroring(name, collector, subnets=(), instances=(), tags=(), flt=None, enable=None):
    req = {"@type": "type.googleapis.com/compute.packetMirrorings.insert", "name": name, "priority": 1000,
           "network": {"url": API + f"projects/{P}/global/networks/shop-vpc"}, "collectorIlb": {"url": API + collector},
           "mirroredResources": {"subnetworks": [{"url": API + s} for s in subnets], "instances": [{"url": API + i} for i in instances], "tags": list(tags)}}
    if flt is not None: req["filter"] = flt
    if enable is not None: req["enable"] = enable
    return req

def background(day, hours, n):
    methods = [("v1.compute.instances.insert", "instances"), ("v1.compute.instances.setMetadata", "instances"), ("v1.compute.firewalls.patch", "firewalls"),
               ("v1.compute.disks.createSnapshot", "disks"), ("v1.compute.instances.stop", "instances"), ("v1.compute.subnetworks.patch", "subnetworks")]
    out = []
    for _ in range(n):
        m, kind = random.choice(methods)
        t = "2026-11-%02dT%02d:%02d:%02dZ" % (day, random.randint(*hours), random.randint(0, 59), random.randint(0, 59))
        res = f"projects/{P}/zones/{R}-a/{kind}/{kind[:-1]}-{random.randint(1, 40)}"
        out.append(entry(m, res, t, random.choice(["netops-alice@example.com", "deploy@shop-prod-2231.iam.gserviceaccount.com", "bob@example.com"]),
                         {"@type": "type.googleapis.com/compute." + m.split(".", 2)[2]}, ua="Terraform/1.9.5", rtype="gce_instance"))
    return out

def main():
    web, pay = path("subnetworks", "web"), path("subnetworks", "payments")
    ndr = path("forwardingRules", "ndr-collector", SEC)
    grab, dbg = path("forwardingRules", "analytics-collector", EXT), path("forwardingRules", "dbg-collector")
    ci = f"ci-runner@{P}.iam.gserviceaccount.com"
    tue_am = background(3, (8, 11), 60) + long_running("v1.compute.packetMirrorings.insert", path("packetMirrorings", "pm-ndr"), "2026-11-03T10:00:14Z",
        "2026-11-03T10:00:41Z", "netops-alice@example.com", mirroring("pm-ndr", ndr, subnets=[web], flt={"cidrRanges": ["10.0.0.0/8"], "IPProtocols": ["tcp"], "direction": "BOTH"}))
    tue_pm = background(3, (14, 18), 60)
    tue_pm.append(entry("v1.compute.packetMirrorings.insert", path("packetMirrorings", "pm-test"), "2026-11-03T15:02:09Z", "intern@example.com",
                        mirroring("pm-test", dbg, subnets=[pay]), status=(7, "Required 'compute.packetMirrorings.create' permission for 'projects/shop-prod-2231/regions/us-central1/packetMirrorings/pm-test'")))
    tue_pm += long_running("google.cloud.compute.v1.PacketMirrorings.Insert", path("packetMirrorings", "pm-debug"), "2026-11-03T16:40:02Z", "2026-11-03T16:40:31Z",
                           ci, mirroring("pm-debug", grab, subnets=[pay]))
    tue_pm += long_running("v1.compute.packetMirrorings.delete", path("packetMirrorings", "pm-debug"), "2026-11-03T17:11:30Z", "2026-11-03T17:11:52Z", ci,
                           {"@type": "type.googleapis.com/compute.packetMirrorings.delete"})
    tue_am.sort(key=lambda e: e["timestamp"]); tue_pm.sort(key=lambda e: e["timestamp"])
    sink = os.path.join(ROOT, "audit", "cloudaudit.googleapis.com", "activity", "2026", "11", "03")
    os.makedirs(sink, exist_ok=True)
    for name, entries in [("10:00:00_10:59:59_S0.json", tue_am), ("16:00:00_16:59:59_S0.json", tue_pm)]:
        with open(os.path.join(sink, name), "w") as f:
            for e in entries: f.write(json.dumps(e, separators=(",", ":")) + "\n")
    # Wednesday's re-pointing, as delivered to a Pub/Sub push endpoint.
    patch = long_running("beta.compute.packetMirrorings.patch", path("packetMirrorings", "pm-ndr"), "2026-11-04T03:12:44Z", "2026-11-04T03:13:02Z",
                         "j.doe.contractor@gmail.com", {"@type": "type.googleapis.com/compute.packetMirrorings.patch", "collectorIlb": {"url": API + dbg}})
    os.makedirs(os.path.join(ROOT, "pubsub"), exist_ok=True)
    with open(os.path.join(ROOT, "pubsub", "push-2026-11-04.jsonl"), "w") as f:
        for e in patch:
            msg = {"message": {"attributes": {"logging.googleapis.com/timestamp": e["timestamp"]}, "data": base64.b64encode(json.dumps(e).encode()).decode(),
                               "messageId": nid(), "publishTime": e["receiveTimestamp"]}, "subscription": f"projects/{SEC}/subscriptions/audit-push"}
            f.write(json.dumps(msg, separators=(",", ":")) + "\n")
    # Thursday's gcloud snapshots.
    snap = os.path.join(ROOT, "snapshots", P)
    os.makedirs(snap, exist_ok=True)
    pms = [{"collectorIlb": {"canonicalUrl": API + dbg, "url": API + dbg}, "creationTimestamp": "2026-11-03T02:00:14.000-08:00", "enable": "TRUE",
            "filter": {"IPProtocols": ["tcp"], "cidrRanges": ["10.0.0.0/8"], "direction": "BOTH"}, "id": "4211932551981238471", "kind": "compute#packetMirroring",
            "mirroredResources": {"subnetworks": [{"canonicalUrl": API + web, "url": API + web}]}, "name": "pm-ndr",
            "network": {"canonicalUrl": API + f"projects/{P}/global/networks/shop-vpc", "url": API + f"projects/{P}/global/networks/shop-vpc"},
            "priority": 1000, "region": API + f"projects/{P}/regions/{R}", "selfLink": API + path("packetMirrorings", "pm-ndr")},
           {"collectorIlb": {"url": API + dbg}, "creationTimestamp": "2026-10-12T09:41:00.000-07:00", "enable": "TRUE", "filter": {"direction": "BOTH"},
            "id": "771203998120045611", "kind": "compute#packetMirroring",
            "mirroredResources": {"instances": [{"url": API + f"projects/{P}/zones/{R}-a/instances/cardholder-db-1"}]}, "name": "pm-latency-debug",
            "network": {"url": API + f"projects/{P}/global/networks/shop-vpc"}, "priority": 900, "region": API + f"projects/{P}/regions/{R}",
            "selfLink": API + path("packetMirrorings", "pm-latency-debug")}]
    rules = [{"IPAddress": "10.8.0.9", "IPProtocol": "TCP", "allPorts": True, "backendService": API + path("backendServices", "dbg-backend"),
              "isMirroringCollector": True, "kind": "compute#forwardingRule", "loadBalancingScheme": "INTERNAL", "name": "dbg-collector",
              "region": API + f"projects/{P}/regions/{R}", "selfLink": API + dbg, "subnetwork": API + path("subnetworks", "tools")}]
    vms = [{"kind": "compute#instance", "machineType": API + f"projects/{P}/zones/{R}-a/machineTypes/n2-standard-4", "name": "cardholder-db-1",
            "networkInterfaces": [{"network": API + f"projects/{P}/global/networks/shop-vpc", "networkIP": "10.20.8.31", "subnetwork": API + pay}],
            "selfLink": API + f"projects/{P}/zones/{R}-a/instances/cardholder-db-1", "status": "RUNNING", "tags": {"items": ["pci", "db"]},
            "labels": {"dataclass": "pci"}, "zone": API + f"projects/{P}/zones/{R}-a"}]
    for name, doc in [("packet-mirrorings.json", pms), ("forwarding-rules.json", rules), ("instances.json", vms)]:
        with open(os.path.join(snap, name), "w") as f:
            json.dump(doc, f, indent=2); f.write("\n")

main()
