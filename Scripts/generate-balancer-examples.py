#!/usr/bin/env python3
"""Writes the example security account's load balancer records (account 444455556666, which runs the NDR sensor NLB).

The story (all ids invented, shapes as AWS writes them):
  * Tue 12:00  the sensor fleet's Auto Scaling group launches one more sensor in the sensor subnet (10.60.0.0/24,
               approved in policy.yaml) and registers it in the sensor NLB's target group: routine, audit trail only.
  * Tue 16:20  someone using this account's SensorOps role, from the address of the 111122223333 attack, registers 192.168.77.10
               (an address reached over the VPN, outside the organization's ranges) in the same target group: a
               share of the approved session's mirrored packets now leaves the organization, without any mirroring call.
  * snapshot   `aws elbv2 describe-target-groups`: the group, UDP 4789, behind the sensor NLB.
Deterministic: the same bytes on every run.
"""
import gzip, io, json, os

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
SEC, REGION = "444455556666", "us-east-1"
NLB = f"arn:aws:elasticloadbalancing:{REGION}:{SEC}:loadbalancer/net/ndr-sensor-nlb/5f1c2d3e4b5a6978"
GROUP = f"arn:aws:elasticloadbalancing:{REGION}:{SEC}:targetgroup/ndr-sensor-vxlan/3c4d5e6f7a8b9c0d"

SCALER = {"type": "AssumedRole", "principalId": "AROAEXAMPLEASGSLR001:AutoScaling",
          "arn": f"arn:aws:sts::{SEC}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling", "accountId": SEC,
          "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEASGSLR001",
                             "arn": f"arn:aws:iam::{SEC}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                             "accountId": SEC, "userName": "AWSServiceRoleForAutoScaling"},
                             "attributes": {"creationDate": "2026-11-03T11:59:58Z", "mfaAuthenticated": "false"}},
          "invokedBy": "autoscaling.amazonaws.com"}
INTRUDER = {"type": "AssumedRole", "principalId": "AROAEXAMPLESENSOROPS:jenkins-build-8812",
            "arn": f"arn:aws:sts::{SEC}:assumed-role/SensorOps/jenkins-build-8812", "accountId": SEC,
            "accessKeyId": "ASIAEXAMPLESENSOR001",
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLESENSOROPS",
                               "arn": f"arn:aws:iam::{SEC}:role/SensorOps", "accountId": SEC, "userName": "SensorOps"},
                               "attributes": {"creationDate": "2026-11-03T16:18:02Z", "mfaAuthenticated": "false"}}}

counter = 0


def event(name, time, identity, source, request, response, ip, agent):
    global counter
    counter += 1
    return {"eventVersion": "1.09", "userIdentity": identity, "eventTime": time, "eventSource": source, "eventName": name,
            "awsRegion": REGION, "sourceIPAddress": ip, "userAgent": agent, "requestParameters": request,
            "responseElements": response, "requestID": f"5ec0{counter:04d}-0000-4000-8000-00000000ba1a",
            "eventID": f"5ec0{counter:04d}-1111-4000-8000-00000000ba1a", "readOnly": False, "eventType": "AwsApiCall",
            "managementEvent": True, "recipientAccountId": SEC, "eventCategory": "Management"}


def main():
    launch = event("RunInstances", "2026-11-03T12:00:05Z", SCALER, "ec2.amazonaws.com",
                   {"instancesSet": {"items": [{"imageId": "ami-0ndrsensor000001", "minCount": 1, "maxCount": 1}]},
                    "launchTemplate": {"launchTemplateName": "ndr-sensor", "version": "$Latest"}, "subnetId": "subnet-0ndrsensor0000a1"},
                   {"requestId": "5ec0-launch", "reservationId": "r-0ndrsensor0000002", "ownerId": SEC, "groupSet": {},
                    "instancesSet": {"items": [{"instanceId": "i-0ndrsensor0000002", "imageId": "ami-0ndrsensor000001",
                                                "instanceState": {"code": 0, "name": "pending"}, "privateIpAddress": "10.60.0.12",
                                                "subnetId": "subnet-0ndrsensor0000a1", "vpcId": "vpc-0security000000001",
                                                "networkInterfaceSet": {"items": [{"networkInterfaceId": "eni-0ndrsensor0000002",
                                                                                   "subnetId": "subnet-0ndrsensor0000a1", "ownerId": SEC,
                                                                                   "privateIpAddress": "10.60.0.12"}]}}]}},
                   "autoscaling.amazonaws.com", "autoscaling.amazonaws.com")
    join = event("RegisterTargets", "2026-11-03T12:01:10Z", SCALER, "elasticloadbalancing.amazonaws.com",
                 {"targetGroupArn": GROUP, "targets": [{"id": "i-0ndrsensor0000002", "port": 4789}]}, None,
                 "autoscaling.amazonaws.com", "autoscaling.amazonaws.com")
    look = event("DescribeTargetHealth", "2026-11-03T16:19:30Z", INTRUDER, "elasticloadbalancing.amazonaws.com",
                 {"targetGroupArn": GROUP}, None, "185.220.101.47", "aws-cli/2.18.4 md/command#elbv2.describe-target-health")
    look["readOnly"] = True
    steal = event("RegisterTargets", "2026-11-03T16:20:44Z", INTRUDER, "elasticloadbalancing.amazonaws.com",
                  {"targetGroupArn": GROUP, "targets": [{"id": "192.168.77.10", "port": 4789, "availabilityZone": "all"}]}, None,
                  "185.220.101.47", "aws-cli/2.18.4 md/command#elbv2.register-targets")
    base = os.path.join(HERE, "aws", "cloudtrail", "AWSLogs", SEC, "CloudTrail", REGION, "2026", "11", "03")
    os.makedirs(base, exist_ok=True)
    data = json.dumps({"Records": [launch, join, look, steal]}, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as f:
        f.write(data)
    open(os.path.join(base, f"{SEC}_CloudTrail_{REGION}_20261103T1625Z_Lb7nQ2.json.gz"), "wb").write(buffer.getvalue())
    snapshot = os.path.join(HERE, "aws", "snapshots", SEC, REGION)
    os.makedirs(snapshot, exist_ok=True)
    groups = {"TargetGroups": [{"TargetGroupArn": GROUP, "TargetGroupName": "ndr-sensor-vxlan", "Protocol": "UDP", "Port": 4789,
                                "VpcId": "vpc-0security000000001", "HealthCheckProtocol": "TCP", "HealthCheckPort": "22",
                                "TargetType": "instance", "IpAddressType": "ipv4", "LoadBalancerArns": [NLB]}]}
    open(os.path.join(snapshot, "describe-target-groups.json"), "w").write(json.dumps(groups, indent=4) + "\n")


if __name__ == "__main__":
    main()
