#!/usr/bin/env python3
"""Writes mirrorwatch's access and logging example exports: who can configure traffic mirroring in the
example organization, and how long the logs that would show it are kept.

Run from the repository root (`python3 Scripts/generate-access-examples.py`); standard library only,
no randomness: every id, GUID and etag below is spelled out or derived with uuid5, so the output is
the same on every run. Shapes and key order are those of the real CLIs' JSON output:

  * AWS CLI v2 (4-space indent, members in the service model's order, timestamps as
    `2026-11-05T08:55:41.223000+00:00`, IAM policy documents decoded into JSON objects, SCP content
    left as the JSON string Organizations returns):
      aws iam get-account-authorization-details            (accounts 111122223333, 444455556666)
      aws organizations describe-policy --policy-id p-mirrorguard
      aws cloudtrail describe-trails / get-trail-status
      aws s3api get-bucket-lifecycle-configuration
  * gcloud --format=json (2-space indent, keys sorted):
      gcloud projects get-iam-policy, gcloud iam roles describe, gcloud logging buckets list
  * az (2-space indent, keys sorted; `resourceGroup` added by az for resource-group scoped ids):
      az role definition list, az role assignment list --all,
      az rest ... Microsoft.Authorization/denyAssignments

The exports are Thursday 2026-11-05 snapshots, like `snapshots/`: the SCP and the Azure deny
assignment are the remediation added that morning, after the week's incidents (examples/README.md).
"""
import base64, json, os, uuid

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")

WORK, SEC, MGMT, ORG_ID = "111122223333", "444455556666", "777788889999", "o-a1b2c3d4e5"
GCP_P, GCP_SEC = "shop-prod-2231", "sec-tools-0815"
GCP_P_NUM, GCP_SEC_NUM = "412398765021", "815200431977"
SUB = "6f1c2d3e-0000-4a5b-8c9d-111122223333"
NS = uuid.UUID("6d6972f0-7761-7463-6800-6578616d706c")   # namespace for derived GUIDs


def guid(name):
    return str(uuid.uuid5(NS, name))


def etag(name):
    """A gcloud-style etag (`BwY...`): base64 of 8 bytes, the first two fixed like real ones."""
    return base64.b64encode(bytes([7, 6]) + uuid.uuid5(NS, name).bytes[:6]).decode()


written = []


def write(rel, obj, style):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if style == "aws":
        text = json.dumps(obj, indent=4, ensure_ascii=False)
    else:   # gcloud and az
        text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    written.append(os.path.relpath(path, os.path.dirname(ROOT)))


# ---------------------------------------------------------------------------------------------------
# AWS IAM
# ---------------------------------------------------------------------------------------------------

def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def stmt(effect, action=None, resource="*", sid=None, not_action=None, condition=None, principal=None):
    s = {}
    if sid: s["Sid"] = sid
    s["Effect"] = effect
    if principal is not None: s["Principal"] = principal
    if action is not None: s["Action"] = action
    if not_action is not None: s["NotAction"] = not_action
    if resource is not None: s["Resource"] = resource
    if condition: s["Condition"] = condition
    return s


def saml_trust(provider, actions="sts:AssumeRoleWithSAML", account=WORK):
    return doc(stmt("Allow", actions, resource=None, principal={"Federated": f"arn:aws:iam::{account}:saml-provider/{provider}"},
                    condition={"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}))


def aws_trust(principal_arn, condition=None):
    return doc(stmt("Allow", "sts:AssumeRole", resource=None, principal={"AWS": principal_arn}, condition=condition))


def service_trust(service):
    return doc(stmt("Allow", "sts:AssumeRole", resource=None, principal={"Service": service}))


def role(account, name, role_id, created, trust, path="/", inline=(), attached=(), boundary=None, tags=(), last_used=None,
         instance_profile=None):
    r = {"Path": path, "RoleName": name, "RoleId": role_id, "Arn": f"arn:aws:iam::{account}:role{path}{name}",
         "CreateDate": created, "AssumeRolePolicyDocument": trust, "InstanceProfileList": []}
    if instance_profile:
        ip_name, ip_id, ip_created = instance_profile
        r["InstanceProfileList"].append({
            "Path": "/", "InstanceProfileName": ip_name, "InstanceProfileId": ip_id,
            "Arn": f"arn:aws:iam::{account}:instance-profile/{ip_name}", "CreateDate": ip_created,
            "Roles": [{"Path": path, "RoleName": name, "RoleId": role_id, "Arn": r["Arn"], "CreateDate": created,
                       "AssumeRolePolicyDocument": trust}]})
    r["RolePolicyList"] = [{"PolicyName": n, "PolicyDocument": d} for n, d in inline]
    r["AttachedManagedPolicies"] = [{"PolicyName": arn.rsplit("/", 1)[1], "PolicyArn": arn} for arn in attached]
    if boundary:
        r["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    if tags:
        r["Tags"] = [{"Key": k, "Value": v} for k, v in tags]
    r["RoleLastUsed"] = {"LastUsedDate": last_used[0], "Region": last_used[1]} if last_used else {}
    return r


def user(account, name, user_id, created, inline=(), groups=(), attached=(), tags=()):
    u = {"Path": "/", "UserName": name, "UserId": user_id, "Arn": f"arn:aws:iam::{account}:user/{name}", "CreateDate": created,
         "UserPolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in inline], "GroupList": list(groups),
         "AttachedManagedPolicies": [{"PolicyName": arn.rsplit("/", 1)[1], "PolicyArn": arn} for arn in attached]}
    if tags:
        u["Tags"] = [{"Key": k, "Value": v} for k, v in tags]
    return u


def group(account, name, group_id, created, inline=(), attached=()):
    return {"Path": "/", "GroupName": name, "GroupId": group_id, "Arn": f"arn:aws:iam::{account}:group/{name}", "CreateDate": created,
            "GroupPolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in inline],
            "AttachedManagedPolicies": [{"PolicyName": arn.rsplit("/", 1)[1], "PolicyArn": arn} for arn in attached]}


def managed(arn, policy_id, versions, attachments, boundary_uses=0, created=None, updated=None, description=None):
    """`versions`: [(version id, document, is default, created)], newest last."""
    default = next(v for v in versions if v[2])
    p = {"PolicyName": arn.rsplit("/", 1)[1], "PolicyId": policy_id, "Arn": arn, "Path": "/", "DefaultVersionId": default[0],
         "AttachmentCount": attachments, "PermissionsBoundaryUsageCount": boundary_uses, "IsAttachable": True}
    if description:
        p["Description"] = description
    p["CreateDate"] = created or versions[0][3]
    p["UpdateDate"] = updated or default[3]
    p["PolicyVersionList"] = [{"Document": d, "VersionId": v, "IsDefaultVersion": is_default, "CreateDate": c}
                              for v, d, is_default, c in reversed(versions)]
    return p


# AWS managed policies (documents as published; ReadOnlyAccess and SecurityAudit trimmed to their
# relevant lines, the real ones list hundreds of services).
ADMIN_ACCESS = doc(stmt("Allow", "*"))
POWER_USER = doc(
    stmt("Allow", not_action=["iam:*", "organizations:*", "account:*"]),
    stmt("Allow", ["account:GetAccountInformation", "account:GetGovCloudAccountInformation", "account:GetPrimaryEmail",
                   "account:ListRegions", "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                   "organizations:DescribeEffectivePolicy", "organizations:DescribeOrganization"]))
READ_ONLY = doc(stmt("Allow", ["cloudtrail:Describe*", "cloudtrail:Get*", "cloudtrail:List*", "cloudtrail:LookupEvents",
                               "ec2:Describe*", "ec2:Get*", "ec2:SearchLocalGatewayRoutes", "ec2:SearchTransitGatewayRoutes",
                               "elasticloadbalancing:Describe*", "iam:Get*", "iam:List*", "logs:Describe*", "logs:Get*",
                               "organizations:Describe*", "organizations:List*", "s3:Describe*", "s3:Get*", "s3:List*"],
                     sid="ReadOnlyActions"))
SSM_CORE = doc(
    stmt("Allow", ["ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument", "ssm:DescribeDocument",
                   "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters", "ssm:ListAssociations", "ssm:ListInstanceAssociations",
                   "ssm:PutInventory", "ssm:PutComplianceItems", "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus",
                   "ssm:UpdateInstanceAssociationStatus", "ssm:UpdateInstanceInformation"]),
    stmt("Allow", ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
                   "ssmmessages:OpenDataChannel"]),
    stmt("Allow", ["ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
                   "ec2messages:GetMessages", "ec2messages:SendReply"]))
SECURITY_AUDIT = doc(stmt("Allow", ["access-analyzer:ListAnalyzers", "account:GetAlternateContact", "cloudtrail:DescribeTrails",
                                    "cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus", "cloudtrail:ListTrails",
                                    "config:Describe*", "ec2:Describe*", "ec2:GetEbsEncryptionByDefault",
                                    "elasticloadbalancing:Describe*", "iam:GenerateCredentialReport", "iam:Get*", "iam:List*",
                                    "organizations:Describe*", "organizations:List*", "s3:GetBucketPolicy",
                                    "s3:GetLifecycleConfiguration", "s3:ListAllMyBuckets"],
                          sid="BaseSecurityAuditStatement"))

AWS_POLICY = "arn:aws:iam::aws:policy/"


def aws_managed(name, policy_id, version, document, created, updated, attachments):
    return managed(AWS_POLICY + name, policy_id, [(version, document, True, updated)], attachments, created=created, updated=updated)


def workloads_account():
    a = WORK
    mirror_admin = f"arn:aws:iam::{a}:policy/TrafficMirroringAdmin"
    boundary = f"arn:aws:iam::{a}:policy/NoMirroringBoundary"
    auditor_policy = f"arn:aws:iam::{a}:policy/EC2AuditorAccess"
    sso_path = "/aws-reserved/sso.amazonaws.com/"
    sso_saml = "AWSSSO_1a2b3c4d5e6f7a8b_DO_NOT_DELETE"

    users = [
        user(a, "auditor", "AIDAEXAMPLEAUDITOR001", "2025-01-20T09:41:12+00:00", attached=[auditor_policy],
             tags=[("owner", "internal-audit@example.com")]),
        user(a, "bob", "AIDAEXAMPLEBOBUSER001", "2024-09-02T08:15:37+00:00", groups=["developers"]),
        user(a, "legacy-admin", "AIDAEXAMPLELEGACYADM1", "2019-05-14T16:02:55+00:00",
             inline=[("legacy-full-access", doc(stmt("Allow", not_action=["iam:*"])))]),
        user(a, "svc-jenkins", "AIDAEXAMPLEJENKINS01", "2023-06-14T10:22:31+00:00",
             inline=[("jenkins-deploy", doc(
                 stmt("Allow", "sts:AssumeRole", f"arn:aws:iam::{a}:role/DeployRole", sid="AssumeDeployRole"),
                 stmt("Allow", "ec2:Describe*", sid="ReadEC2"),
                 stmt("Allow", ["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::shop-build-artifacts/*", sid="Artifacts")))],
             tags=[("team", "platform"), ("purpose", "ci")]),
    ]
    groups = [
        group(a, "developers", "AGPAEXAMPLEDEVELOPERS", "2024-09-02T08:11:04+00:00",
              inline=[("traffic-mirror-debug-eu-west-1", doc(
                  stmt("Allow", ["ec2:CreateTrafficMirror*", "ec2:DeleteTrafficMirror*"], sid="MirrorDebugEuWest1",
                       condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})))]),
    ]
    roles = [
        role(a, "AWSReservedSSO_NetworkAdmin_0a1b2c3d4e5f6789", "AROAEXAMPLESSONETADM1", "2024-04-08T12:30:19+00:00",
             saml_trust(sso_saml, ["sts:AssumeRoleWithSAML", "sts:TagSession"]), path=sso_path, attached=[mirror_admin],
             last_used=("2026-10-28T15:04:51+00:00", "us-east-1")),
        role(a, "AWSReservedSSO_PowerUser_5e8f", "AROAEXAMPLEOPS000001", "2024-04-08T12:30:22+00:00",
             saml_trust(sso_saml, ["sts:AssumeRoleWithSAML", "sts:TagSession"]), path=sso_path,
             attached=[AWS_POLICY + "PowerUserAccess"], last_used=("2026-11-04T02:31:00+00:00", "us-east-1")),
        role(a, "DeployRole", "AROAEXAMPLEDEPLOY001", "2023-06-14T10:25:02+00:00", aws_trust(f"arn:aws:iam::{a}:user/svc-jenkins"),
             inline=[("deploy", doc(stmt("Allow", "ec2:*", sid="EC2"),
                                    stmt("Allow", ["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::shop-build-artifacts/*", sid="Artifacts")))],
             tags=[("team", "platform")], last_used=("2026-11-04T21:58:13+00:00", "us-east-1")),
        role(a, "NetworkAdmin", "AROAEXAMPLENETADMIN01", "2022-11-21T14:48:06+00:00", saml_trust("corp-idp"),
             attached=[mirror_admin], tags=[("owner", "netsec@example.com")], last_used=("2026-11-05T08:12:40+00:00", "us-east-1")),
        role(a, "OrganizationAccountAccessRole", "AROAEXAMPLEORGACCESS1", "2021-03-02T19:11:47+00:00", aws_trust(f"arn:aws:iam::{MGMT}:root"),
             attached=[AWS_POLICY + "AdministratorAccess"], last_used=("2026-09-17T11:26:08+00:00", "us-east-1")),
        role(a, "PlatformEngineer", "AROAEXAMPLEPLATENG001", "2025-02-11T10:03:33+00:00", saml_trust("corp-idp"),
             inline=[("platform-ec2", doc(stmt("Allow", "ec2:*", sid="ManageEC2")))], boundary=boundary,
             last_used=("2026-11-03T16:20:05+00:00", "us-east-1")),
        role(a, "ReadOnly", "AROAEXAMPLEREADONLY01", "2022-11-21T14:52:40+00:00", aws_trust(f"arn:aws:iam::{a}:root"),
             attached=[AWS_POLICY + "ReadOnlyAccess"], last_used=("2026-11-05T08:50:02+00:00", "us-east-1")),
        role(a, "ec2-ssm-instance", "AROAEXAMPLEEC2SSM0001", "2023-02-27T13:40:18+00:00", service_trust("ec2.amazonaws.com"),
             attached=[AWS_POLICY + "AmazonSSMManagedInstanceCore"], last_used=("2026-11-05T08:59:31+00:00", "us-east-1"),
             instance_profile=("ec2-ssm-instance", "AIPAEXAMPLEEC2SSM0001", "2023-02-27T13:40:18+00:00")),
    ]
    policies = [
        managed(mirror_admin, "ANPAEXAMPLEMIRRORADM1", [
            # v1, the first draft, was broader; only the default version (v2) is in force.
            ("v1", doc(stmt("Allow", "ec2:*", sid="TrafficMirroring")), False, "2022-11-21T14:45:10+00:00"),
            ("v2", doc(stmt("Allow", "ec2:*TrafficMirror*", sid="TrafficMirroring"),
                       stmt("Allow", ["ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
                                      "elasticloadbalancing:DescribeLoadBalancers"], sid="Describe")), True, "2022-12-05T09:31:44+00:00"),
        ], attachments=2, description="Traffic Mirroring administration for the network team (NDR sensors, CHG-approved sessions)"),
        managed(boundary, "ANPAEXAMPLENOMIRROR01", [
            ("v1", doc(stmt("Allow", "*", sid="AllowEverythingElse"),
                       stmt("Deny", ["ec2:CreateTrafficMirror*", "ec2:ModifyTrafficMirror*", "ec2:DeleteTrafficMirror*"], sid="NoTrafficMirroring")),
             True, "2025-02-11T09:58:27+00:00"),
        ], attachments=0, boundary_uses=1, description="Permissions boundary: everything except Traffic Mirroring changes"),
        managed(auditor_policy, "ANPAEXAMPLEAUDITOR001", [
            ("v1", doc(stmt("Allow", "ec2:*", sid="EC2"),
                       stmt("Deny", not_action=["ec2:Describe*", "ec2:Get*"], sid="ReadsOnly")), True, "2025-01-20T09:39:55+00:00"),
        ], attachments=1),
        aws_managed("AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "v1", ADMIN_ACCESS, "2015-02-06T18:39:46+00:00",
                    "2015-02-06T18:39:46+00:00", 1),
        aws_managed("PowerUserAccess", "ANPAJYRXTHIB4FOVS3ZXS", "v12", POWER_USER, "2015-02-06T18:39:47+00:00",
                    "2026-02-12T17:59:04+00:00", 1),
        aws_managed("ReadOnlyAccess", "ANPAILL3HVNFSB6DCOWYQ", "v132", READ_ONLY, "2015-02-06T18:39:48+00:00",
                    "2026-10-08T16:41:22+00:00", 1),
        aws_managed("AmazonSSMManagedInstanceCore", "ANPAIXSHM2BNB2D3AXXRU", "v2", SSM_CORE, "2019-03-15T17:22:12+00:00",
                    "2019-05-23T16:54:21+00:00", 1),
    ]
    return {"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": policies}


def security_account():
    a = SEC
    targets = f"arn:aws:iam::{a}:policy/NDRSensorTrafficMirrorTargets"
    roles = [
        role(a, "NDRSensorOperator", "AROAEXAMPLENDRSENSOR1", "2022-12-01T10:14:09+00:00",
             aws_trust(f"arn:aws:iam::{WORK}:role/NetworkAdmin"), attached=[targets], tags=[("owner", "netsec@example.com")],
             last_used=("2026-11-03T09:03:27+00:00", "us-east-1")),
        role(a, "SecurityAudit", "AROAEXAMPLESECAUDIT01", "2022-12-01T10:16:44+00:00",
             aws_trust(f"arn:aws:iam::{a}:root", {"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
             attached=[AWS_POLICY + "SecurityAudit"], last_used=("2026-11-05T07:02:18+00:00", "us-east-1")),
    ]
    policies = [
        managed(targets, "ANPAEXAMPLENDRTARGET1", [
            ("v1", doc(stmt("Allow", "ec2:*TrafficMirror*", f"arn:aws:ec2:*:{a}:traffic-mirror-target/*", sid="SensorTargetsOnly")),
             True, "2022-12-01T10:12:51+00:00"),
        ], attachments=1, description="NDR sensor targets (NLB) in the security tooling account"),
        aws_managed("SecurityAudit", "ANPAIX2T3QCXHR2OGGCTO", "v94", SECURITY_AUDIT, "2015-02-06T18:41:01+00:00",
                    "2026-09-30T20:27:36+00:00", 1),
    ]
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles, "Policies": policies}


def scp():
    content = doc(stmt("Deny", ["ec2:CreateTrafficMirrorSession", "ec2:ModifyTrafficMirrorSession", "ec2:CreateTrafficMirrorTarget"],
                       sid="DenyMirroringOutsideNetworkAdmin",
                       condition={"ArnNotLike": {"aws:PrincipalArn": [
                           "arn:aws:iam::*:role/NetworkAdmin",
                           "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NetworkAdmin_*"]}}))
    return {"Policy": {
        "PolicySummary": {
            "Id": "p-mirrorguard",
            "Arn": f"arn:aws:organizations::{MGMT}:policy/{ORG_ID}/service_control_policy/p-mirrorguard",
            "Name": "DenyMirroringOutsideNetworkAdmin",
            "Description": "Only the NetworkAdmin roles may create targets and create or re-point mirror sessions (after the 2026-11-03 incidents)",
            "Type": "SERVICE_CONTROL_POLICY",
            "AwsManaged": False},
        "Content": json.dumps(content, indent=4)}}


def trails():
    return {"trailList": [{
        "Name": "org-trail",
        "S3BucketName": "example-org-cloudtrail-logs",
        "IncludeGlobalServiceEvents": True,
        "IsMultiRegionTrail": True,
        "HomeRegion": "us-east-1",
        "TrailARN": f"arn:aws:cloudtrail:us-east-1:{MGMT}:trail/org-trail",
        "LogFileValidationEnabled": True,
        "HasCustomEventSelectors": False,
        "HasInsightSelectors": False,
        "IsOrganizationTrail": True}]}


def trail_status():
    # Timestamps from the API are epoch numbers that CLI v2 prints as ISO 8601; the *Attempt*/
    # TimeLogging* members are strings in the API and printed as they come ("" when unset).
    return {
        "IsLogging": True,
        "LatestDeliveryTime": "2026-11-05T08:55:41.223000+00:00",
        "StartLoggingTime": "2024-03-12T14:05:22.871000+00:00",
        "LatestDigestDeliveryTime": "2026-11-05T08:31:07.518000+00:00",
        "LatestDeliveryAttemptTime": "2026-11-05T08:55:41Z",
        "LatestNotificationAttemptTime": "",
        "LatestNotificationAttemptSucceeded": "",
        "LatestDeliveryAttemptSucceeded": "2026-11-05T08:55:41Z",
        "TimeLoggingStarted": "2024-03-12T14:05:22Z",
        "TimeLoggingStopped": ""}


def lifecycle():
    # The CLI puts members read from response headers before those from the XML body.
    return {"TransitionDefaultMinimumObjectSize": "all_storage_classes_128K",
            "Rules": [{
                "Expiration": {"Days": 365},
                "ID": "cloudtrail-glacier-90d-expire-365d",
                "Filter": {"Prefix": "AWSLogs/"},
                "Status": "Enabled",
                "Transitions": [{"Days": 90, "StorageClass": "GLACIER"}]}]}


# ---------------------------------------------------------------------------------------------------
# GCP
# ---------------------------------------------------------------------------------------------------

def gcp_policy(bindings, name, version=None):
    out = []
    for b in sorted(bindings, key=lambda b: (b["role"], b.get("condition", {}).get("title", ""))):
        b = dict(b, members=sorted(b["members"]))
        out.append(b)
    has_condition = any("condition" in b for b in out)
    return {"bindings": out, "etag": etag(name), "version": version or (3 if has_condition else 1)}


def shop_prod_policy():
    p, n = GCP_P, GCP_P_NUM
    return gcp_policy([
        {"role": "roles/owner", "members": ["user:cto@example.com"]},
        {"role": "roles/editor", "members": [f"serviceAccount:ci-runner@{p}.iam.gserviceaccount.com",
                                             f"serviceAccount:{n}-compute@developer.gserviceaccount.com",
                                             f"serviceAccount:{n}@cloudservices.gserviceaccount.com"]},
        {"role": "roles/viewer", "members": ["domain:example.com"]},
        {"role": "roles/compute.networkAdmin", "members": ["user:dana@example.com"]},
        {"role": "roles/compute.packetMirroringAdmin", "members": ["group:netops-team@example.com", "user:netops-alice@example.com"]},
        {"role": "roles/compute.packetMirroringUser", "members": ["group:netops-team@example.com", "user:netops-alice@example.com",
                                                                  f"serviceAccount:ndr-sensor@{GCP_SEC}.iam.gserviceaccount.com"]},
        {"role": "roles/compute.serviceAgent", "members": [f"serviceAccount:service-{n}@compute-system.iam.gserviceaccount.com"]},
        {"role": "roles/compute.instanceAdmin.v1", "members": [f"serviceAccount:deploy@{p}.iam.gserviceaccount.com"]},
        {"role": f"projects/{p}/roles/mirrorOperator", "members": ["user:j.doe.contractor@gmail.com"],
         "condition": {"expression": "request.time < timestamp(\"2026-12-31T00:00:00Z\")",
                       "title": "expires-2026-12-31",
                       "description": "Contractor access for the payments latency investigation (INC0098811)"}},
    ], "iam-" + p)


def sec_tools_policy():
    n = GCP_SEC_NUM
    return gcp_policy([
        {"role": "roles/owner", "members": ["group:sec-admins@example.com"]},
        {"role": "roles/compute.viewer", "members": ["user:intern@example.com"]},
        {"role": "roles/editor", "members": [f"serviceAccount:{n}-compute@developer.gserviceaccount.com",
                                             f"serviceAccount:{n}@cloudservices.gserviceaccount.com"]},
        {"role": "roles/compute.serviceAgent", "members": [f"serviceAccount:service-{n}@compute-system.iam.gserviceaccount.com"]},
    ], "iam-" + GCP_SEC)


def mirror_operator_role():
    return {
        "description": "Create, change and delete packet mirroring policies and mirror VMs, subnets and networks in shop-prod-2231",
        "etag": etag("role-mirrorOperator"),
        "includedPermissions": sorted([
            "compute.forwardingRules.get", "compute.forwardingRules.list",
            "compute.instances.get", "compute.instances.list", "compute.instances.mirror",
            "compute.networks.get", "compute.networks.list", "compute.networks.mirror",
            "compute.packetMirrorings.create", "compute.packetMirrorings.delete", "compute.packetMirrorings.get",
            "compute.packetMirrorings.list", "compute.packetMirrorings.update",
            "compute.regionOperations.get",
            "compute.subnetworks.get", "compute.subnetworks.list", "compute.subnetworks.mirror"]),
        "name": f"projects/{GCP_P}/roles/mirrorOperator",
        "stage": "GA",
        "title": "Mirror Operator"}


def logging_buckets():
    base = f"projects/{GCP_P}/locations/global/buckets/"
    return [
        {"createTime": "2023-01-16T10:02:11.481823Z", "description": "Default bucket", "lifecycleState": "ACTIVE",
         "name": base + "_Default", "retentionDays": 30, "updateTime": "2023-01-16T10:02:11.481823Z"},
        {"createTime": "2023-01-16T10:02:11.316504Z", "description": "Audit bucket", "lifecycleState": "ACTIVE", "locked": True,
         "name": base + "_Required", "retentionDays": 400, "updateTime": "2023-01-16T10:02:11.316504Z"},
    ]


# ---------------------------------------------------------------------------------------------------
# Azure
# ---------------------------------------------------------------------------------------------------

SUB_SCOPE = f"/subscriptions/{SUB}"
RG_NET = f"{SUB_SCOPE}/resourceGroups/rg-shop-net"
ALICE_OID = "9a1b2c3d-0000-4000-8000-00000000a11c"    # her objectidentifier claim in the Activity Log
BOB_OID = "9a1b2c3d-0000-4000-8000-000000000b0b"
CAROL_OID = "9a1b2c3d-0000-4000-8000-00000000ca01"
ROBOT_OID, ROBOT_APP = "5e55e55e-0000-4000-8000-000000000042", "3c0ffee0-0000-4000-8000-00000000b0b0"   # the automation SP
SECOPS_GROUP = "5ec0b5ec-0000-4000-8000-0000000000a1"
PLATFORM_ADMIN = "9a1b2c3d-0000-4000-8000-0000000ad001"   # the platform admin who made the custom role and the assignments

OWNER, CONTRIBUTOR = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER, NETWORK_CONTRIBUTOR = "acdd72a7-3385-48ef-bd42-f606fba81ae7", "4d97b98b-1d4f-4787-a291-c67834d212e7"
TAP_OPERATOR = guid("role-definition/TAP Operator")


def role_def_id(g):
    return f"{SUB_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/{g}"


def role_definition(g, name, description, actions, not_actions=(), role_type="BuiltInRole", scopes=("/",),
                    created="2015-02-02T21:55:09.880642+00:00", updated="2021-11-11T20:13:45.897885+00:00", created_by=None):
    return {"assignableScopes": list(scopes), "createdBy": created_by, "createdOn": created, "description": description,
            "id": role_def_id(g), "name": g,
            "permissions": [{"actions": list(actions), "condition": None, "conditionVersion": None, "dataActions": [],
                             "notActions": list(not_actions), "notDataActions": []}],
            "roleName": name, "roleType": role_type, "type": "Microsoft.Authorization/roleDefinitions",
            "updatedBy": created_by, "updatedOn": updated}


def role_definitions():
    return [
        role_definition(CONTRIBUTOR, "Contributor",
                        "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage "
                        "assignments in Azure Blueprints, or share image galleries.",
                        ["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                                "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
                                "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
                                "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
                                "Microsoft.Resources/deploymentStacks/manageDenySetting/action", "Microsoft.Subscription/cancel/action",
                                "Microsoft.Subscription/enable/action"],
                        updated="2025-07-17T15:22:06.183447+00:00"),
        role_definition(NETWORK_CONTRIBUTOR, "Network Contributor", "Lets you manage networks, but not access to them.",
                        ["Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Network/*",
                         "Microsoft.ResourceHealth/availabilityStatuses/read", "Microsoft.Resources/deployments/*",
                         "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*"],
                        created="2015-06-02T00:18:27.340187+00:00", updated="2021-11-11T20:13:44.436347+00:00"),
        role_definition(OWNER, "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
                        ["*"], updated="2021-11-11T20:13:45.897885+00:00"),
        role_definition(READER, "Reader", "View all resources, but does not allow you to make any changes.", ["*/read"],
                        updated="2021-11-11T20:13:50.678133+00:00"),
        role_definition(TAP_OPERATOR, "TAP Operator",
                        "Create and manage virtual network TAPs and NIC TAP configurations (packet capture for troubleshooting)",
                        ["Microsoft.Network/virtualNetworkTaps/*", "Microsoft.Network/networkInterfaces/tapConfigurations/*",
                         "Microsoft.Network/networkInterfaces/read"],
                        role_type="CustomRole", scopes=[SUB_SCOPE], created="2026-06-23T13:41:09.552017+00:00",
                        updated="2026-06-23T13:41:09.552017+00:00", created_by=PLATFORM_ADMIN),
    ]


def assignment(key, principal, principal_name, principal_type, role_guid, role_name, scope, created, created_by=PLATFORM_ADMIN,
               description=None):
    name = guid("role-assignment/" + key)
    a = {"condition": None, "conditionVersion": None, "createdBy": created_by, "createdOn": created,
         "delegatedManagedIdentityResourceId": None, "description": description,
         "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "name": name,
         "principalId": principal, "principalName": principal_name, "principalType": principal_type,
         "roleDefinitionId": role_def_id(role_guid), "roleDefinitionName": role_name, "scope": scope,
         "type": "Microsoft.Authorization/roleAssignments", "updatedBy": created_by, "updatedOn": created}
    if "/resourceGroups/" in scope:
        a["resourceGroup"] = scope.split("/resourceGroups/")[1].split("/")[0]
    return a


def role_assignments():
    return [
        assignment("alice-network-contributor", ALICE_OID, "alice@contoso.com", "User", NETWORK_CONTRIBUTOR, "Network Contributor",
                   SUB_SCOPE, "2024-05-13T08:47:31.120554+00:00", description="Network team (NDR sensor rollout owner)"),
        assignment("automation-owner", ROBOT_OID, ROBOT_APP, "ServicePrincipal", OWNER, "Owner", SUB_SCOPE,
                   "2023-09-04T17:22:58.904311+00:00", description="shop-automation pipeline"),
        assignment("secops-readers", SECOPS_GROUP, "SecOps Readers", "Group", READER, "Reader", SUB_SCOPE,
                   "2024-01-09T10:05:44.337120+00:00"),
        assignment("bob-contributor-rg-shop-net", BOB_OID, "bob@contoso.com", "User", CONTRIBUTOR, "Contributor", RG_NET,
                   "2025-03-18T14:30:07.615093+00:00"),
        assignment("carol-tap-operator-rg-shop-net", CAROL_OID, "carol@contoso.com", "User", TAP_OPERATOR, "TAP Operator", RG_NET,
                   "2026-06-23T13:52:40.218836+00:00"),
    ]


def deny_assignments():
    name = guid("deny-assignment/rg-shop-net/tap-writes")
    return {"value": [{
        "id": f"{RG_NET}/providers/Microsoft.Authorization/denyAssignments/{name}",
        "name": name,
        "properties": {
            "condition": None,
            "conditionVersion": None,
            "createdBy": None,
            "createdOn": "2026-11-05T07:41:18.4432109Z",
            "denyAssignmentName": "Deny TAP writes in rg-shop-net except the network admin",
            "description": "Created by managed application netguard-shop-net: only the network admin (alice@contoso.com) may "
                           "create or change virtual network TAPs and NIC TAP configurations in rg-shop-net",
            "doNotApplyToChildScopes": False,
            "excludePrincipals": [{"id": ALICE_OID, "type": "User"}],
            "isSystemProtected": True,
            "permissions": [{"actions": ["Microsoft.Network/virtualNetworkTaps/write",
                                         "Microsoft.Network/networkInterfaces/tapConfigurations/write"],
                             "condition": None, "conditionVersion": None, "dataActions": [], "notActions": [], "notDataActions": []}],
            "principals": [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}],
            "scope": RG_NET,
            "updatedBy": None,
            "updatedOn": "2026-11-05T07:41:18.4432109Z"},
        "type": "Microsoft.Authorization/denyAssignments"}]}


def write_text(rel, text):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    written.append(os.path.relpath(path, os.path.dirname(ROOT)))


def credential_report():
    """`aws iam get-credential-report --query Content --output text | base64 -d` for the workloads account:
    svc-jenkins (the CI user behind Tuesday's attack) has an access key not rotated since March 2025;
    bob signs in to the console without MFA; legacy-admin keeps an old second key."""
    header = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
              "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
              "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
              "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated")
    rows = [
        ["<root_account>", f"arn:aws:iam::{WORK}:root", "2019-04-02T10:11:12+00:00", "not_supported", "2026-06-30T08:00:00+00:00", "not_supported",
         "not_supported", "true", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"],
        ["svc-jenkins", f"arn:aws:iam::{WORK}:user/svc-jenkins", "2023-02-14T09:00:00+00:00", "false", "N/A", "N/A", "N/A", "false",
         "true", "2025-03-11T16:22:05+00:00", "2026-11-03T14:28:00+00:00", "us-east-1", "sts", "false", "N/A", "N/A", "N/A", "N/A",
         "false", "N/A", "false", "N/A"],
        ["bob", f"arn:aws:iam::{WORK}:user/bob", "2024-05-20T12:00:00+00:00", "true", "2026-11-04T02:31:00+00:00", "2026-02-01T09:00:00+00:00",
         "N/A", "false", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "false", "N/A"],
        ["auditor", f"arn:aws:iam::{WORK}:user/auditor", "2025-01-07T10:00:00+00:00", "true", "2026-11-02T15:00:00+00:00", "2026-09-01T09:00:00+00:00",
         "N/A", "true", "true", "2026-09-01T09:05:00+00:00", "2026-11-02T15:02:00+00:00", "us-east-1", "ec2", "false", "N/A", "N/A", "N/A", "N/A",
         "false", "N/A", "false", "N/A"],
        ["legacy-admin", f"arn:aws:iam::{WORK}:user/legacy-admin", "2018-08-01T08:00:00+00:00", "true", "2024-12-19T11:00:00+00:00", "2019-01-01T00:00:00+00:00",
         "N/A", "false", "false", "2018-08-01T08:05:00+00:00", "2019-06-01T10:00:00+00:00", "us-east-1", "s3", "true", "2021-04-15T13:00:00+00:00",
         "2026-10-28T22:14:00+00:00", "eu-west-1", "ec2", "false", "N/A", "false", "N/A"],
    ]
    return header + "\n" + "\n".join(",".join(r) for r in rows) + "\n"


def main():
    write(f"aws/iam/{WORK}/account-authorization-details.json", workloads_account(), "aws")
    write(f"aws/iam/{SEC}/account-authorization-details.json", security_account(), "aws")
    write("aws/iam/organizations/describe-policy-p-mirrorguard.json", scp(), "aws")
    # Where the SCP is attached (`aws organizations list-targets-for-policy --policy-id p-mirrorguard`): the root.
    write("aws/iam/organizations/list-targets-for-policy-p-mirrorguard.json",
          {"Targets": [{"TargetId": "r-a1b2", "Arn": "arn:aws:organizations::777788889999:root/o-a1b2c3d4e5/r-a1b2",
                        "Name": "Root", "Type": "ROOT"}]}, "aws")
    write_text(f"aws/iam/{WORK}/credential-report.csv", credential_report())
    write(f"aws/logging/{WORK}/describe-trails.json", trails(), "aws")
    write(f"aws/logging/{WORK}/get-trail-status-org-trail.json", trail_status(), "aws")
    write(f"aws/logging/{WORK}/example-org-cloudtrail-logs.lifecycle.json", lifecycle(), "aws")
    write(f"gcp/iam/{GCP_P}.iam-policy.json", shop_prod_policy(), "gcloud")
    write(f"gcp/iam/{GCP_SEC}.iam-policy.json", sec_tools_policy(), "gcloud")
    write("gcp/iam/roles/mirrorOperator.json", mirror_operator_role(), "gcloud")
    write(f"gcp/logging/{GCP_P}.logging-buckets.json", logging_buckets(), "gcloud")
    write("azure/iam/role-definitions.json", role_definitions(), "az")
    write("azure/iam/role-assignments.json", role_assignments(), "az")
    write("azure/iam/deny-assignments.json", deny_assignments(), "az")
    for path in written:
        print("wrote", path)


if __name__ == "__main__":
    main()
