#!/usr/bin/env python3
"""Writes mirrorwatch's Azure example data: one week of virtual network TAP in subscription 6f1c2d3e-….

The story (all names invented, shapes as the Activity Log export and az write them):
  * Tue 11:00  alice@contoso.com creates tap-ndr to the approved NDR sensor NIC and attaches the
               two web NICs (one tagged DataClass=pci) under CHG0031006: Start/Accept/Success records.
  * Tue 13:20  a guest account tries to create a TAP: AuthorizationFailed.
  * Wed 01:30  an automation service principal re-points tap-ndr to a NIC in a subscription that is
               not ours: both web NICs are now copied there (REST export from `az monitor activity-log list`).
  * Thu        az snapshots: `az network vnet tap list`, `az network nic list`.
Background: ordinary network and compute administration around it.
"""
import json, os, random, uuid

random.seed(20261104)
ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "azure")
SUB, EXT, TENANT = "6f1c2d3e-0000-4a5b-8c9d-111122223333", "0badf00d-0000-4000-8000-999999999999", "72f988bf-0000-4000-8000-000000000001"

def rid(provider, sub=SUB, group="rg-shop-net"):
    return f"/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.Network/{provider}"

def tap(n): return rid(f"virtualNetworkTaps/{n}")
def nic(n, sub=SUB, group="rg-shop-net"): return rid(f"networkInterfaces/{n}", sub, group)
def ipconf(n, sub=SUB, group="rg-shop-net"): return nic(n, sub, group) + "/ipConfigurations/ipconfig1"

def claims(upn=None, app="04b07795-8ddb-461a-bbee-02f9e1bf7b46", oid="9a1b2c3d-0000-4000-8000-00000000a11c", ip="198.51.100.44"):
    c = {"aud": "https://management.core.windows.net/", "iss": f"https://sts.windows.net/{TENANT}/", "appid": app, "ipaddr": ip,
         "http://schemas.microsoft.com/identity/claims/objectidentifier": oid, "http://schemas.microsoft.com/identity/claims/tenantid": TENANT}
    if upn:
        c["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = upn
        c["name"] = upn.split("@")[0].title()
    return c

def record(op, resource, t, status, who, body=None, response=None, corr=None, failure=None, ip="198.51.100.44", code="Created"):
    props = {"eventCategory": "Administrative", "entity": resource, "message": op, "hierarchy": f"{TENANT}/{SUB}"}
    if body is not None: props["requestbody"] = json.dumps(body)
    if response is not None: props["responseBody"] = json.dumps(response); props["statusCode"] = code
    if failure: props["statusCode"], props["statusMessage"] = failure[0], json.dumps({"error": {"code": failure[1], "message": f"The client '{who.get('upn') or who['app']}' does not have authorization to perform action '{op}'."}})
    return {"time": t, "resourceId": resource.upper(), "operationName": op.upper(), "category": "Administrative", "resultType": status,
            "resultSignature": {"Start": "Started.", "Accept": "Accepted.Created", "Success": "Succeeded.Created", "Failure": "Failed.Forbidden"}[status],
            "durationMs": "0" if status == "Start" else str(random.randint(300, 9000)), "callerIpAddress": ip, "correlationId": corr,
            "identity": {"authorization": {"scope": resource, "action": op, "evidence": {"role": "Network Contributor", "roleAssignmentScope": f"/subscriptions/{SUB}",
                                                                                          "principalType": "User" if who.get("upn") else "ServicePrincipal"}},
                         "claims": claims(who.get("upn"), who.get("app", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"), who.get("oid", "9a1b2c3d-0000-4000-8000-00000000a11c"), ip)},
            "level": "Information" if status != "Failure" else "Error", "location": "global", "properties": props}

def write(op, resource, t, who, body, statuses=("Start", "Success"), ip="198.51.100.44", code="Created"):
    corr = str(uuid.UUID(int=random.getrandbits(128)))
    out = []
    for i, s in enumerate(statuses):
        tt = t if s == "Start" else t[:-3] + "%02dZ" % (int(t[-3:-1]) + 3 + i)
        out.append(record(op, resource, tt, s, who, body if s == "Start" else None, body if s == "Success" else None, corr, ip=ip, code=code))
    return out

def background(day, hours, n):
    ops = ["Microsoft.Network/networkSecurityGroups/securityRules/write", "Microsoft.Compute/virtualMachines/restart/action",
           "Microsoft.Network/networkInterfaces/write", "Microsoft.Storage/storageAccounts/listKeys/action", "Microsoft.Network/publicIPAddresses/write"]
    out = []
    for _ in range(n):
        op = random.choice(ops)
        t = "2026-11-%02dT%02d:%02d:%02dZ" % (day, random.randint(*hours), random.randint(0, 59), random.randint(10, 50))
        res = f"/subscriptions/{SUB}/resourceGroups/rg-shop-app/providers/" + "/".join(op.split("/")[:2]) + f"/res-{random.randint(1, 30)}"
        out.append(record(op, res, t, random.choice(["Start", "Success"]), {"upn": random.choice(["bob@contoso.com", "alice@contoso.com"])},
                          corr=str(uuid.UUID(int=random.getrandbits(128)))))
    return out

def rest(r):
    c = r["identity"]["claims"]
    status = {"Start": "Started", "Accept": "Accepted", "Success": "Succeeded", "Failure": "Failed"}[r["resultType"]]
    res = r["properties"]["entity"]
    return {"authorization": r["identity"]["authorization"], "caller": c.get("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", c["appid"]),
            "channels": "Operation", "claims": c, "correlationId": r["correlationId"], "description": "",
            "eventDataId": str(uuid.UUID(int=random.getrandbits(128))), "eventName": {"value": "BeginRequest" if status == "Started" else "EndRequest", "localizedValue": "Begin request" if status == "Started" else "End request"},
            "category": {"value": "Administrative", "localizedValue": "Administrative"}, "eventTimestamp": r["time"].replace("Z", ".1234567Z"),
            "httpRequest": {"clientRequestId": str(uuid.UUID(int=random.getrandbits(128))), "clientIpAddress": r["callerIpAddress"], "method": "PUT"},
            "id": res + "/events/" + str(uuid.UUID(int=random.getrandbits(128))) + "/ticks/638665986000000000", "level": "Informational",
            "resourceGroupName": "rg-shop-net", "resourceProviderName": {"value": "Microsoft.Network", "localizedValue": "Microsoft.Network"},
            "resourceId": res, "resourceType": {"value": "Microsoft.Network/virtualNetworkTaps", "localizedValue": "Microsoft.Network/virtualNetworkTaps"},
            "operationId": str(uuid.UUID(int=random.getrandbits(128))), "operationName": {"value": r["properties"]["message"], "localizedValue": "Create or Update Virtual Network Tap"},
            "properties": r["properties"], "status": {"value": status, "localizedValue": status}, "subStatus": {"value": r["properties"].get("statusCode", "") if status == "Succeeded" else "", "localizedValue": ""},
            "submissionTimestamp": r["time"].replace("Z", ".5551234Z"), "subscriptionId": SUB, "tenantId": TENANT}

def main():
    alice = {"upn": "alice@contoso.com"}
    robot = {"app": "3c0ffee0-0000-4000-8000-00000000b0b0", "oid": "5e55e55e-0000-4000-8000-000000000042"}
    sensor = ipconf("nic-ndr-sensor", group="rg-sec-tools")
    tue = background(3, (9, 14), 90)
    tue += write("Microsoft.Network/virtualNetworkTaps/write", tap("tap-ndr"), "2026-11-03T11:00:05Z", alice,
                 {"location": "westeurope", "properties": {"destinationNetworkInterfaceIPConfiguration": {"id": sensor}, "destinationPort": 4789}})
    for i, name in enumerate(["nic-web-1", "nic-web-2"]):
        tue += write("Microsoft.Network/networkInterfaces/tapConfigurations/write", nic(name) + "/tapConfigurations/tapcfg-ndr", "2026-11-03T11:0%d:10Z" % (3 + i), alice,
                     {"properties": {"virtualNetworkTap": {"id": tap("tap-ndr")}}}, statuses=("Start", "Accept", "Success"))
    guest = {"upn": "guest.consultant_partner.example#EXT#@contoso.onmicrosoft.com"}
    tue.append(record("Microsoft.Network/virtualNetworkTaps/write", tap("tap-audit"), "2026-11-03T13:20:44Z", "Failure", guest,
                      corr=str(uuid.UUID(int=random.getrandbits(128))), failure=("Forbidden", "AuthorizationFailed"), ip="185.220.101.9"))
    tue.sort(key=lambda r: r["time"])
    base = os.path.join(ROOT, "activity", "insights-activity-logs", f"resourceId=/SUBSCRIPTIONS/{SUB.upper()}", "y=2026", "m=11", "d=03", "h=11", "m=00")
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, "PT1H.json"), "w") as f:
        json.dump({"records": tue}, f, separators=(",", ":"))
    # Wednesday's re-pointing, exported through the REST API (az monitor activity-log list).
    foreign = ipconf("nic-capture", EXT, "rg-capture")
    wed = write("Microsoft.Network/virtualNetworkTaps/write", tap("tap-ndr"), "2026-11-04T01:30:11Z", robot,
                {"location": "westeurope", "properties": {"destinationNetworkInterfaceIPConfiguration": {"id": foreign}, "destinationPort": 4789}}, ip="45.155.205.12", code="OK")
    with open(os.path.join(ROOT, "activity", "az-monitor-activity-log-2026-11-04.json"), "w") as f:
        json.dump([rest(r) for r in wed], f, indent=2); f.write("\n")
    # Thursday's az snapshots.
    snap = os.path.join(ROOT, "snapshots", SUB)
    os.makedirs(snap, exist_ok=True)
    taps = [{"destinationNetworkInterfaceIpConfiguration": {"id": foreign, "resourceGroup": "rg-capture"}, "destinationPort": 4789, "etag": "W/\"5c1d\"",
             "id": tap("tap-ndr"), "location": "westeurope", "name": "tap-ndr",
             "networkInterfaceTapConfigurations": [{"id": nic("nic-web-1") + "/tapConfigurations/tapcfg-ndr", "resourceGroup": "rg-shop-net"},
                                                   {"id": nic("nic-web-2") + "/tapConfigurations/tapcfg-ndr", "resourceGroup": "rg-shop-net"}],
             "provisioningState": "Succeeded", "resourceGroup": "rg-shop-net", "type": "Microsoft.Network/virtualNetworkTaps"}]
    def nic_doc(name, ip, subnet, tags, vm, taps=()):
        return {"id": nic(name), "ipConfigurations": [{"id": ipconf(name), "name": "ipconfig1", "primary": True, "privateIpAddress": ip, "privateIpAllocationMethod": "Dynamic",
                "subnet": {"id": rid(f"virtualNetworks/vnet-shop/subnets/{subnet}"), "resourceGroup": "rg-shop-net"}}],
                "location": "westeurope", "name": name, "provisioningState": "Succeeded", "resourceGroup": "rg-shop-net", "tags": tags,
                "tapConfigurations": [{"id": nic(name) + "/tapConfigurations/tapcfg-ndr", "name": "tapcfg-ndr", "virtualNetworkTap": {"id": tap(t)}} for t in taps],
                "type": "Microsoft.Network/networkInterfaces",
                "virtualMachine": {"id": f"/subscriptions/{SUB}/resourceGroups/rg-shop-app/providers/Microsoft.Compute/virtualMachines/{vm}"}}
    nics = [nic_doc("nic-web-1", "10.30.1.4", "web", {"DataClass": "pci", "app": "checkout"}, "vm-web-1", ["tap-ndr"]),
            nic_doc("nic-web-2", "10.30.1.5", "web", {"app": "catalog"}, "vm-web-2", ["tap-ndr"])]
    for name, doc in [("vnet-tap-list.json", taps), ("nic-list.json", nics)]:
        with open(os.path.join(snap, name), "w") as f:
            json.dump(doc, f, indent=2); f.write("\n")

main()
