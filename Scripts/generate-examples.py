#!/usr/bin/env python3
"""Writes mirrorwatch's example data: a realistic week in one AWS organization, in native formats.

The story (all ids invented, shapes as AWS writes them):
  * Tue 09:05  NetworkAdmin (alice) rolls out the approved NDR sensor under CHG0031001:
               target -> sensor NLB, filter, rules, session from the web tier ENI.
  * Tue 14:20  a CI user (svc-jenkins) probes: UnauthorizedOperation, then a DryRun.
  * Tue 14:31  the same identity, now through a role it assumed, creates a target pointing at an NLB
               in account 999988887777 (not ours, shared via RAM), a catch-all filter, and a session
               copying the PCI database ENI to it; deletes the session 38 minutes later.
  * Wed 02:47  the approved session is quietly re-pointed to the foreign target (EventBridge copy).
  * snapshot   describe-* output taken Thursday: includes a forgotten session to an unapproved
               instance ENI nobody created in the window.
Background: hundreds of ordinary read and write events around it.
"""
import gzip, json, os, random, uuid

random.seed(20261103)
HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
ORG = "111122223333"
SEC = "444455556666"
EVIL = "999988887777"
REGION = "us-east-1"

ALICE = {
    "type": "AssumedRole", "principalId": "AROAEXAMPLENETADMIN01:alice@example.com",
    "arn": f"arn:aws:sts::{ORG}:assumed-role/NetworkAdmin/alice@example.com", "accountId": ORG,
    "accessKeyId": "ASIAEXAMPLEALICE0001",
    "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLENETADMIN01",
                       "arn": f"arn:aws:iam::{ORG}:role/NetworkAdmin", "accountId": ORG, "userName": "NetworkAdmin"},
                       "webIdFederationData": {}, "attributes": {"creationDate": "2026-11-03T08:58:02Z", "mfaAuthenticated": "true"}}}
JENKINS = {"type": "IAMUser", "principalId": "AIDAEXAMPLEJENKINS01", "arn": f"arn:aws:iam::{ORG}:user/svc-jenkins",
           "accountId": ORG, "accessKeyId": "AKIAEXAMPLEJENKINS01", "userName": "svc-jenkins"}
JENKINS_ROLE = {
    "type": "AssumedRole", "principalId": "AROAEXAMPLEDEPLOY001:i-0build",
    "arn": f"arn:aws:sts::{ORG}:assumed-role/DeployRole/jenkins-build-8812", "accountId": ORG,
    "accessKeyId": "ASIAEXAMPLEDEPLOY001",
    "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEDEPLOY001",
                       "arn": f"arn:aws:iam::{ORG}:role/DeployRole", "accountId": ORG, "userName": "DeployRole"},
                       "webIdFederationData": {}, "attributes": {"creationDate": "2026-11-03T14:28:40Z", "mfaAuthenticated": "false"}}}
OPS_BOB = {"type": "AssumedRole", "principalId": "AROAEXAMPLEOPS000001:bob@example.com",
           "arn": f"arn:aws:sts::{ORG}:assumed-role/AWSReservedSSO_PowerUser_5e8f/bob@example.com", "accountId": ORG,
           "accessKeyId": "ASIAEXAMPLEBOB000001",
           "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEOPS000001",
                              "arn": f"arn:aws:iam::{ORG}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUser_5e8f",
                              "accountId": ORG, "userName": "AWSReservedSSO_PowerUser_5e8f"},
                              "webIdFederationData": {}, "attributes": {"creationDate": "2026-11-04T02:31:00Z", "mfaAuthenticated": "false"}}}

SENSOR_NLB = f"arn:aws:elasticloadbalancing:{REGION}:{SEC}:loadbalancer/net/ndr-sensor-nlb/5f1c2d3e4b5a6978"
EVIL_NLB = f"arn:aws:elasticloadbalancing:{REGION}:{EVIL}:loadbalancer/net/collector/0a1b2c3d4e5f6071"
ENI_WEB = "eni-0a11b22c33d44e5f6"      # web tier, approved to mirror
ENI_PCI = "eni-0c0ffee0dbdbdb001"      # cardholder database, sensitive
ENI_ODD = "eni-0badd0g5e5510n000"      # the forgotten session's destination
ENI_SRC_OLD = "eni-0feedface0000b0b"   # source of the forgotten session
T_SENSOR, T_EVIL = "tmt-0sensor0000000001", "tmt-0e7i10000000000ff"
F_SENSOR, F_EVIL = "tmf-0sensor0000000001", "tmf-0e7i10000000000ff"
S_SENSOR, S_EVIL = "tms-0sensor0000000001", "tms-0e7i10000000000ff"
XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def event(name, t, who, ip, ua, req=None, resp=None, error=None, source="ec2.amazonaws.com", read_only=False):
    e = {"eventVersion": "1.09", "userIdentity": who, "eventTime": t, "eventSource": source, "eventName": name,
         "awsRegion": REGION, "sourceIPAddress": ip, "userAgent": ua, "requestParameters": req,
         "responseElements": resp, "requestID": str(uuid.UUID(int=random.getrandbits(128))),
         "eventID": str(uuid.UUID(int=random.getrandbits(128))), "readOnly": read_only, "eventType": "AwsApiCall",
         "managementEvent": True, "recipientAccountId": ORG, "eventCategory": "Management",
         "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                        "clientProvidedHostHeader": f"ec2.{REGION}.amazonaws.com"}}
    if error:
        e["errorCode"], e["errorMessage"] = error
        e["responseElements"] = None
    return e


def wrap(op, req, resp):
    return ({f"{op}Request": req}, None if resp is None else {f"{op}Response": dict(resp, requestId=str(uuid.uuid4()), xmlns=XMLNS)})


def mirror(op, t, who, ip, ua, req, resp=None, error=None):
    r, s = wrap(op, req, resp)
    return event(op, t, who, ip, ua, r, s, error)


CONSOLE = "AWS Internal"
CLI = "aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard"
BOTO = "Boto3/1.35.60 md/Botocore#1.35.60 ua/2.0 os/linux#5.15.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.60"


def background(day, hour_from, hour_to, n):
    """Ordinary activity: reads, role assumptions, S3 and EC2 calls by many identities."""
    kinds = [
        ("DescribeInstances", "ec2.amazonaws.com", True, {"instancesSet": {}, "filterSet": {}}),
        ("DescribeNetworkInterfaces", "ec2.amazonaws.com", True, {"networkInterfaceIdSet": {}, "filterSet": {}}),
        ("AssumeRole", "sts.amazonaws.com", False, {"roleArn": f"arn:aws:iam::{ORG}:role/ReadOnly", "roleSessionName": "poller"}),
        ("GetObject", "s3.amazonaws.com", True, {"bucketName": "app-assets-prod", "key": "static/app.js"}),
        ("PutObject", "s3.amazonaws.com", False, {"bucketName": "app-logs-prod", "key": "2026/11/03/app.log.gz"}),
        ("DescribeTrafficMirrorSessions", "ec2.amazonaws.com", True, {"DescribeTrafficMirrorSessionsRequest": {"MaxResults": 1000}}),
        ("GetCallerIdentity", "sts.amazonaws.com", True, None),
        ("ListBuckets", "s3.amazonaws.com", True, None),
        ("CreateTags", "ec2.amazonaws.com", False, {"resourcesSet": {"items": [{"resourceId": "i-0123456789abcdef0"}]}, "tagSet": {"items": [{"key": "Owner", "value": "web"}]}}),
        ("RunInstances", "ec2.amazonaws.com", False, {"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890", "minCount": 1, "maxCount": 1}]}, "instanceType": "m6i.large"}),
    ]
    out = []
    for _ in range(n):
        name, src, ro, req = random.choice(kinds)
        h = random.randint(hour_from, hour_to - 1)
        t = f"{day}T{h:02d}:{random.randint(0, 59):02d}:{random.randint(0, 59):02d}Z"
        who = random.choice([ALICE, JENKINS, OPS_BOB, {"type": "AWSService", "invokedBy": "config.amazonaws.com"}])
        e = event(name, t, who, random.choice(["198.51.100.23", "203.0.113.40", "10.20.4.17", "config.amazonaws.com"]),
                  random.choice([CLI, BOTO, CONSOLE]), req, None, source=src, read_only=ro)
        out.append(e)
    return out


def rollout():
    t = "2026-11-03T09:"
    ip, ua = "198.51.100.23", CONSOLE
    return [
        mirror("CreateTrafficMirrorTarget", t + "05:12Z", ALICE, ip, ua,
               {"ClientToken": str(uuid.uuid4()), "Description": "NDR sensor NLB (security account)", "NetworkLoadBalancerArn": SENSOR_NLB},
               {"clientToken": "x", "trafficMirrorTarget": {"description": "NDR sensor NLB (security account)", "networkLoadBalancerArn": SENSOR_NLB,
                "ownerId": SEC, "tagSet": "", "trafficMirrorTargetId": T_SENSOR, "type": "network-load-balancer"}}),
        mirror("CreateTrafficMirrorFilter", t + "06:40Z", ALICE, ip, ua,
               {"ClientToken": str(uuid.uuid4()), "Description": "web tier: HTTP/S only"},
               {"clientToken": "x", "trafficMirrorFilter": {"description": "web tier: HTTP/S only", "egressFilterRuleSet": "", "ingressFilterRuleSet": "",
                "networkServiceSet": "", "tagSet": "", "trafficMirrorFilterId": F_SENSOR}}),
        mirror("CreateTrafficMirrorFilterRule", t + "07:02Z", ALICE, ip, ua,
               {"ClientToken": str(uuid.uuid4()), "DestinationCidrBlock": "10.20.0.0/16", "DestinationPortRange": {"FromPort": 443, "ToPort": 443},
                "Protocol": 6, "RuleAction": "accept", "RuleNumber": 100, "SourceCidrBlock": "0.0.0.0/0", "TrafficDirection": "ingress", "TrafficMirrorFilterId": F_SENSOR},
               {"clientToken": "x", "trafficMirrorFilterRule": {"destinationCidrBlock": "10.20.0.0/16", "destinationPortRange": {"fromPort": 443, "toPort": 443},
                "protocol": 6, "ruleAction": "accept", "ruleNumber": 100, "sourceCidrBlock": "0.0.0.0/0", "trafficDirection": "ingress",
                "trafficMirrorFilterId": F_SENSOR, "trafficMirrorFilterRuleId": "tmfr-0sensor000000001"}}),
        mirror("CreateTrafficMirrorSession", t + "09:55Z", ALICE, ip, ua,
               {"ClientToken": str(uuid.uuid4()), "Description": "web tier to NDR", "NetworkInterfaceId": ENI_WEB, "SessionNumber": 1,
                "TrafficMirrorFilterId": F_SENSOR, "TrafficMirrorTargetId": T_SENSOR, "VirtualNetworkId": 4242},
               {"clientToken": "x", "trafficMirrorSession": {"description": "web tier to NDR", "networkInterfaceId": ENI_WEB, "ownerId": ORG,
                "packetLength": None, "sessionNumber": 1, "tagSet": "", "trafficMirrorFilterId": F_SENSOR, "trafficMirrorSessionId": S_SENSOR,
                "trafficMirrorTargetId": T_SENSOR, "virtualNetworkId": 4242}}),
    ]


def attack():
    ip = "185.220.101.47"
    t = "2026-11-03T14:"
    return [
        mirror("CreateTrafficMirrorSession", t + "20:03Z", JENKINS, ip, BOTO,
               {"NetworkInterfaceId": ENI_PCI, "SessionNumber": 1, "TrafficMirrorTargetId": T_SENSOR},
               error=("Client.UnauthorizedOperation", "You are not authorized to perform this operation.")),
        mirror("CreateTrafficMirrorTarget", t + "24:51Z", JENKINS, ip, BOTO,
               {"DryRun": True, "NetworkLoadBalancerArn": EVIL_NLB},
               error=("Client.DryRunOperation", "Request would have succeeded, but DryRun flag is set.")),
        mirror("CreateTrafficMirrorTarget", t + "31:07Z", JENKINS_ROLE, ip, BOTO,
               {"ClientToken": str(uuid.uuid4()), "Description": "perf-test collector", "NetworkLoadBalancerArn": EVIL_NLB},
               {"clientToken": "x", "trafficMirrorTarget": {"description": "perf-test collector", "networkLoadBalancerArn": EVIL_NLB,
                "ownerId": EVIL, "tagSet": "", "trafficMirrorTargetId": T_EVIL, "type": "network-load-balancer"}}),
        mirror("CreateTrafficMirrorFilter", t + "31:40Z", JENKINS_ROLE, ip, BOTO,
               {"ClientToken": str(uuid.uuid4()), "Description": "perf"},
               {"clientToken": "x", "trafficMirrorFilter": {"description": "perf", "egressFilterRuleSet": "", "ingressFilterRuleSet": "",
                "networkServiceSet": "", "tagSet": "", "trafficMirrorFilterId": F_EVIL}}),
        mirror("CreateTrafficMirrorFilterRule", t + "31:58Z", JENKINS_ROLE, ip, BOTO,
               {"DestinationCidrBlock": "0.0.0.0/0", "RuleAction": "accept", "RuleNumber": 1, "SourceCidrBlock": "0.0.0.0/0",
                "TrafficDirection": "ingress", "TrafficMirrorFilterId": F_EVIL},
               {"trafficMirrorFilterRule": {"destinationCidrBlock": "0.0.0.0/0", "ruleAction": "accept", "ruleNumber": 1, "sourceCidrBlock": "0.0.0.0/0",
                "trafficDirection": "ingress", "trafficMirrorFilterId": F_EVIL, "trafficMirrorFilterRuleId": "tmfr-0e7i1000000000a1"}}),
        mirror("CreateTrafficMirrorFilterRule", t + "32:10Z", JENKINS_ROLE, ip, BOTO,
               {"DestinationCidrBlock": "0.0.0.0/0", "RuleAction": "accept", "RuleNumber": 1, "SourceCidrBlock": "0.0.0.0/0",
                "TrafficDirection": "egress", "TrafficMirrorFilterId": F_EVIL},
               {"trafficMirrorFilterRule": {"destinationCidrBlock": "0.0.0.0/0", "ruleAction": "accept", "ruleNumber": 1, "sourceCidrBlock": "0.0.0.0/0",
                "trafficDirection": "egress", "trafficMirrorFilterId": F_EVIL, "trafficMirrorFilterRuleId": "tmfr-0e7i1000000000e1"}}),
        mirror("CreateTrafficMirrorSession", t + "33:26Z", JENKINS_ROLE, ip, BOTO,
               {"ClientToken": str(uuid.uuid4()), "NetworkInterfaceId": ENI_PCI, "SessionNumber": 1, "TrafficMirrorFilterId": F_EVIL, "TrafficMirrorTargetId": T_EVIL},
               {"trafficMirrorSession": {"networkInterfaceId": ENI_PCI, "ownerId": ORG, "sessionNumber": 1, "tagSet": "",
                "trafficMirrorFilterId": F_EVIL, "trafficMirrorSessionId": S_EVIL, "trafficMirrorTargetId": T_EVIL, "virtualNetworkId": 7001}}),
        mirror("DeleteTrafficMirrorSession", "2026-11-03T15:11:44Z", JENKINS_ROLE, ip, BOTO,
               {"TrafficMirrorSessionId": S_EVIL}, {"trafficMirrorSessionId": S_EVIL}),
    ]


def repoint():
    e = mirror("ModifyTrafficMirrorSession", "2026-11-04T02:47:19Z", OPS_BOB, "203.0.113.40", CLI,
               {"TrafficMirrorSessionId": S_SENSOR, "TrafficMirrorTargetId": T_EVIL},
               {"trafficMirrorSession": {"networkInterfaceId": ENI_WEB, "ownerId": ORG, "sessionNumber": 1, "tagSet": "",
                "trafficMirrorFilterId": F_SENSOR, "trafficMirrorSessionId": S_SENSOR, "trafficMirrorTargetId": T_EVIL, "virtualNetworkId": 4242}})
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "AWS API Call via CloudTrail", "source": "aws.ec2",
            "account": ORG, "time": e["eventTime"], "region": REGION, "resources": [], "detail": e}


def sts(name, t, who, ip, ua, req, resp, source="sts.amazonaws.com", extra=None):
    """Sign-in and STS records, with ids derived from their content so they do not disturb the random stream."""
    e = {"eventVersion": "1.09", "userIdentity": who, "eventTime": t, "eventSource": source, "eventName": name,
         "awsRegion": REGION, "sourceIPAddress": ip, "userAgent": ua, "requestParameters": req, "responseElements": resp,
         "requestID": str(uuid.uuid5(uuid.NAMESPACE_URL, "req" + name + t)), "eventID": str(uuid.uuid5(uuid.NAMESPACE_URL, name + t)),
         "readOnly": False, "eventType": "AwsApiCall" if name != "ConsoleLogin" else "AwsConsoleSignIn", "managementEvent": True,
         "recipientAccountId": ORG, "eventCategory": "Management"}
    if extra:
        e.update(extra)
    return e


def identity_events():
    """Who is behind the sessions: alice signs in through the corporate IdP (SAML), the CI user
    assumes DeployRole from a Tor exit node, bob signs in to the console through IAM Identity Center without MFA."""
    saml = {"type": "SAMLUser", "principalId": "SAMLEXAMPLEKEY/alice@example.com", "userName": "alice@example.com",
            "identityProvider": "SAMLEXAMPLEKEY"}
    alice = sts("AssumeRoleWithSAML", "2026-11-03T08:58:02Z", saml, "198.51.100.23", CONSOLE,
                {"roleArn": f"arn:aws:iam::{ORG}:role/NetworkAdmin", "principalArn": f"arn:aws:iam::{ORG}:saml-provider/corp-idp",
                 "durationSeconds": 3600},
                {"credentials": {"accessKeyId": "ASIAEXAMPLEALICE0001", "sessionToken": "(omitted)", "expiration": "Nov 3, 2026, 9:58:02 AM"},
                 "assumedRoleUser": {"assumedRoleId": "AROAEXAMPLENETADMIN01:alice@example.com",
                                     "arn": f"arn:aws:sts::{ORG}:assumed-role/NetworkAdmin/alice@example.com"},
                 "subject": "alice@example.com", "subjectType": "persistent", "issuer": "https://idp.example.com/saml",
                 "audience": "https://signin.aws.amazon.com/saml", "nameQualifier": "f0Qb0Xz5Jp3mRkA1Ykq3l2XbU6w="})
    jenkins = sts("AssumeRole", "2026-11-03T14:28:40Z", JENKINS, "185.220.101.47", BOTO,
                  {"roleArn": f"arn:aws:iam::{ORG}:role/DeployRole", "roleSessionName": "jenkins-build-8812"},
                  {"credentials": {"accessKeyId": "ASIAEXAMPLEDEPLOY001", "sessionToken": "(omitted)", "expiration": "Nov 3, 2026, 3:28:40 PM"},
                   "assumedRoleUser": {"assumedRoleId": "AROAEXAMPLEDEPLOY001:jenkins-build-8812",
                                       "arn": f"arn:aws:sts::{ORG}:assumed-role/DeployRole/jenkins-build-8812"}})
    bob = sts("ConsoleLogin", "2026-11-04T02:31:00Z", OPS_BOB, "203.0.113.40",
              "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", None, {"ConsoleLogin": "Success"},
              source="signin.amazonaws.com",
              extra={"additionalEventData": {"MobileVersion": "No", "MFAUsed": "No"}})
    return alice, jenkins, bob


def write_s3_object(path, records, gz=True):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = json.dumps({"Records": records}, separators=(",", ":")).encode()
    if gz:
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        open(path, "wb").write(data)


def main():
    base = os.path.join(HERE, "aws", "cloudtrail", "AWSLogs", ORG, "CloudTrail", REGION, "2026", "11", "03")
    alice_saml, jenkins_assume, bob_login = identity_events()
    morning = sorted(background("2026-11-03", 8, 12, 180) + rollout() + [alice_saml], key=lambda e: e["eventTime"])
    write_s3_object(os.path.join(base, f"{ORG}_CloudTrail_{REGION}_20261103T0910Z_Hq3kL9.json.gz"), morning)
    afternoon = sorted(background("2026-11-03", 13, 16, 160) + attack()[:2], key=lambda e: e["eventTime"])
    write_s3_object(os.path.join(base, f"{ORG}_CloudTrail_{REGION}_20261103T1425Z_pZ2vW1.json.gz"), afternoon)
    # The rest of the attack as exported from CloudTrail Lake / Athena: one record per line,
    # requestParameters and responseElements as JSON strings.
    lake = os.path.join(HERE, "aws", "cloudtrail", "lake-export-2026-11-03.jsonl")
    with open(lake, "w") as f:
        for e in sorted(background("2026-11-03", 14, 16, 40) + attack()[2:] + [jenkins_assume], key=lambda e: e["eventTime"]):
            e = dict(e)
            for k in ("requestParameters", "responseElements", "userIdentity"):
                if e.get(k) is not None and k != "userIdentity":
                    e[k] = json.dumps(e[k], separators=(",", ":"))
            f.write(json.dumps(e, separators=(",", ":")) + "\n")
    eb = os.path.join(HERE, "aws", "eventbridge", "ec2-api-calls-2026-11-04.jsonl")
    os.makedirs(os.path.dirname(eb), exist_ok=True)
    with open(eb, "w") as f:
        f.write(json.dumps({"version": "0", "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "eb-login")), "detail-type": "AWS Console Sign In via CloudTrail",
                            "source": "aws.signin", "account": ORG, "time": bob_login["eventTime"], "region": REGION, "resources": [],
                            "detail": bob_login}) + "\n")
        f.write(json.dumps(repoint()) + "\n")

    snap = os.path.join(HERE, "aws", "snapshots", ORG, REGION)
    os.makedirs(snap, exist_ok=True)
    tags = lambda **kv: [{"Key": k, "Value": v} for k, v in kv.items()]
    sessions = {"TrafficMirrorSessions": [
        {"TrafficMirrorSessionId": S_SENSOR, "TrafficMirrorTargetId": T_EVIL, "TrafficMirrorFilterId": F_SENSOR, "NetworkInterfaceId": ENI_WEB,
         "OwnerId": ORG, "SessionNumber": 1, "VirtualNetworkId": 4242, "Description": "web tier to NDR", "Tags": tags(Name="web-ndr")},
        {"TrafficMirrorSessionId": "tms-0f0r60773n5e55i0n", "TrafficMirrorTargetId": "tmt-0f0r60773n7a26e70", "TrafficMirrorFilterId": "tmf-0f0r60773nf11732",
         "NetworkInterfaceId": ENI_SRC_OLD, "OwnerId": ORG, "PacketLength": 8500, "SessionNumber": 2, "VirtualNetworkId": 99, "Description": "debug", "Tags": []},
    ]}
    targets = {"TrafficMirrorTargets": [
        {"TrafficMirrorTargetId": T_SENSOR, "NetworkLoadBalancerArn": SENSOR_NLB, "Type": "network-load-balancer",
         "Description": "NDR sensor NLB (security account)", "OwnerId": SEC, "Tags": tags(Name="ndr-sensor")},
        {"TrafficMirrorTargetId": T_EVIL, "NetworkLoadBalancerArn": EVIL_NLB, "Type": "network-load-balancer",
         "Description": "perf-test collector", "OwnerId": EVIL, "Tags": []},
        {"TrafficMirrorTargetId": "tmt-0f0r60773n7a26e70", "NetworkInterfaceId": ENI_ODD, "Type": "network-interface",
         "Description": "tmp", "OwnerId": ORG, "Tags": []},
    ]}
    filters = {"TrafficMirrorFilters": [
        {"TrafficMirrorFilterId": F_SENSOR, "Description": "web tier: HTTP/S only", "NetworkServices": [], "Tags": [],
         "IngressFilterRules": [{"TrafficMirrorFilterRuleId": "tmfr-0sensor000000001", "TrafficMirrorFilterId": F_SENSOR, "TrafficDirection": "ingress",
                                 "RuleNumber": 100, "RuleAction": "accept", "Protocol": 6, "DestinationPortRange": {"FromPort": 443, "ToPort": 443},
                                 "DestinationCidrBlock": "10.20.0.0/16", "SourceCidrBlock": "0.0.0.0/0"}],
         "EgressFilterRules": []},
        {"TrafficMirrorFilterId": "tmf-0f0r60773nf11732", "Description": "everything", "NetworkServices": ["amazon-dns"], "Tags": [],
         "IngressFilterRules": [{"TrafficMirrorFilterRuleId": "tmfr-0f0r6077300000i1", "TrafficMirrorFilterId": "tmf-0f0r60773nf11732", "TrafficDirection": "ingress",
                                 "RuleNumber": 10, "RuleAction": "accept", "DestinationCidrBlock": "0.0.0.0/0", "SourceCidrBlock": "0.0.0.0/0"}],
         "EgressFilterRules": [{"TrafficMirrorFilterRuleId": "tmfr-0f0r6077300000e1", "TrafficMirrorFilterId": "tmf-0f0r60773nf11732", "TrafficDirection": "egress",
                                "RuleNumber": 10, "RuleAction": "accept", "DestinationCidrBlock": "0.0.0.0/0", "SourceCidrBlock": "0.0.0.0/0"}]},
    ]}

    def eni(eid, subnet, ip, instance, desc, **t):
        return {"Attachment": {"AttachmentId": "eni-attach-" + eid[4:], "DeviceIndex": 0, "InstanceId": instance, "InstanceOwnerId": ORG, "Status": "attached"},
                "AvailabilityZone": "us-east-1a", "Description": desc, "Groups": [{"GroupName": "default", "GroupId": "sg-0123456789abcdef0"}],
                "InterfaceType": "interface", "MacAddress": "0e:12:34:56:78:9a", "NetworkInterfaceId": eid, "OwnerId": ORG,
                "PrivateIpAddress": ip, "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}], "RequesterManaged": False,
                "SourceDestCheck": True, "Status": "in-use", "SubnetId": subnet, "TagSet": tags(**t), "VpcId": "vpc-0a1b2c3d4e5f60718"}
    interfaces = {"NetworkInterfaces": [
        eni(ENI_WEB, "subnet-0web00000000000a1", "10.20.1.15", "i-0web0000000000001", "web-1 primary", Tier="web"),
        eni(ENI_PCI, "subnet-0pci00000000000c1", "10.20.8.21", "i-0cde0000000000db1", "cardholder db", Tier="db", DataClass="pci"),
        eni(ENI_ODD, "subnet-0dev00000000000d1", "10.20.99.7", "i-0dev00000000000077", "tcpdump box", Tier="dev"),
        eni(ENI_SRC_OLD, "subnet-0pay00000000000p1", "10.20.9.40", "i-0pay0000000000040", "payments api", Tier="app", DataClass="pci"),
    ]}
    for name, doc in [("describe-traffic-mirror-sessions.json", sessions), ("describe-traffic-mirror-targets.json", targets),
                      ("describe-traffic-mirror-filters.json", filters), ("describe-network-interfaces.json", interfaces)]:
        with open(os.path.join(snap, name), "w") as f:
            json.dump(doc, f, indent=4)
            f.write("\n")


if __name__ == "__main__":
    main()
