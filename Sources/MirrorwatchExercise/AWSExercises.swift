import Mirrorwatch

/// AWS Traffic Mirroring scenarios as CloudTrail S3 objects (with `describe-*` snapshots where a
/// scenario starts from live state).
enum AWSExercises {
    typealias CT = CloudTrailRecords

    static func scenarios(_ setup: ExerciseSetup) -> [ExerciseScenario] {
        let account = setup.awsAccount
        let attacker = CT.role("DeployRole", session: "build-7731", account: account, mfa: false)
        let admin = CT.role(setup.awsAuthorizedRole, session: "netops-exercise@example.com", account: account)
        let foreignNLB = "arn:aws:elasticloadbalancing:us-east-1:999988887777:loadbalancer/net/collector/5f1c2d3e4b5a6978"
        let rogueENI = "eni-0exrogue000000001", webENI = "eni-0exweb0000000001"
        // A policy that marks subnets sensitive, not ENIs: an interface in that subnet, as describe-network-interfaces shows it.
        let sensitiveENI = setup.awsSensitiveSubnet == nil ? setup.awsSensitiveENI : "eni-0exsensitive00001"
        let interfaceFacts = setup.awsSensitiveSubnet.map { subnet in
            ["snapshots/\(account)/us-east-1/describe-network-interfaces.json": CT.json(["NetworkInterfaces": [[
                "NetworkInterfaceId": sensitiveENI, "SubnetId": subnet, "VpcId": "vpc-0ex00000000000001", "PrivateIpAddress": "10.20.8.15",
                "OwnerId": account, "Status": "in-use", "Attachment": ["InstanceId": "i-0exdatabase000001", "Status": "attached"], "TagSet": [] as [Any]]]], pretty: true)]
        } ?? [:]
        func trail(_ records: [[String: Any]]) -> [String: String] {
            ["cloudtrail/AWSLogs/\(account)/CloudTrail/us-east-1/2026/11/03/\(account)_CloudTrail_us-east-1_20261103T1000Z_ex.json": CT.s3Object(records, pretty: true)]
        }
        func s(_ name: String, _ kind: ExerciseScenario.Kind, _ title: String, rules: [String] = [], flags: [String] = [], files: [String: String]) -> ExerciseScenario {
            ExerciseScenario(id: "aws.\(name)", platform: .aws, kind: kind, title: title, expectedRules: rules, expectedFlags: flags, files: files)
        }
        let liveApproved = [
            "snapshots/\(account)/us-east-1/describe-traffic-mirror-sessions.json": CT.json(["TrafficMirrorSessions": [[
                "TrafficMirrorSessionId": "tms-0exapproved000001", "TrafficMirrorTargetId": setup.awsApprovedTarget, "TrafficMirrorFilterId": "tmf-0exapproved000001",
                "NetworkInterfaceId": webENI, "OwnerId": account, "SessionNumber": 1, "VirtualNetworkId": 41, "PacketLength": 0]]], pretty: true),
        ]
        // The approved target as a Network Load Balancer, and the target group its listener forwards to.
        let sensorNLB = "arn:aws:elasticloadbalancing:us-east-1:\(account):loadbalancer/net/ex-sensor/0ex1b2c3d4e5f6a7"
        let sensorGroup = "arn:aws:elasticloadbalancing:us-east-1:\(account):targetgroup/ex-sensor-vxlan/0ex2233445566778"
        let sensorBalancer = [
            "snapshots/\(account)/us-east-1/describe-traffic-mirror-targets.json": CT.json(["TrafficMirrorTargets": [[
                "TrafficMirrorTargetId": setup.awsApprovedTarget, "NetworkLoadBalancerArn": sensorNLB, "Type": "network-load-balancer",
                "OwnerId": account, "Description": "NDR sensor NLB"]]], pretty: true),
            "snapshots/\(account)/us-east-1/describe-target-groups.json": CT.json(["TargetGroups": [[
                "TargetGroupArn": sensorGroup, "TargetGroupName": "ex-sensor-vxlan", "Protocol": "UDP", "Port": 4789, "TargetType": "instance",
                "LoadBalancerArns": [sensorNLB]]]], pretty: true),
        ]
        // The approved target as a Gateway Load Balancer endpoint, to the account's own inspection service.
        let inspectionService = "com.amazonaws.vpce.us-east-1.vpce-svc-0exinspect0000001"
        let inspectionGWLB = "arn:aws:elasticloadbalancing:us-east-1:\(account):loadbalancer/gwy/ex-inspection/0ex3c4d5e6f7a8b9"
        let sensorGateway = [
            "snapshots/\(account)/us-east-1/describe-traffic-mirror-targets.json": CT.json(["TrafficMirrorTargets": [[
                "TrafficMirrorTargetId": setup.awsApprovedTarget, "GatewayLoadBalancerEndpointId": "vpce-0exinspect000001",
                "Type": "gateway-load-balancer-endpoint", "OwnerId": account, "Description": "inspection endpoint"]]], pretty: true),
            "snapshots/\(account)/us-east-1/describe-vpc-endpoints.json": CT.json(["VpcEndpoints": [[
                "VpcEndpointId": "vpce-0exinspect000001", "VpcEndpointType": "GatewayLoadBalancer", "VpcId": "vpc-0ex00000000000001",
                "ServiceName": inspectionService, "OwnerId": account]]], pretty: true),
            "snapshots/\(account)/us-east-1/describe-vpc-endpoint-service-configurations.json": CT.json(["ServiceConfigurations": [[
                "ServiceType": [["ServiceType": "GatewayLoadBalancer"]], "ServiceId": "vpce-svc-0exinspect0000001", "ServiceName": inspectionService,
                "ServiceState": "Available", "GatewayLoadBalancerArns": [inspectionGWLB]]]], pretty: true),
        ]
        // The approved session numbered 10: room for a session to go before it on the same interface.
        let liveApprovedTenth = [
            "snapshots/\(account)/us-east-1/describe-traffic-mirror-sessions.json": CT.json(["TrafficMirrorSessions": [[
                "TrafficMirrorSessionId": "tms-0exapproved000001", "TrafficMirrorTargetId": setup.awsApprovedTarget, "TrafficMirrorFilterId": "tmf-0exapproved000001",
                "NetworkInterfaceId": webENI, "OwnerId": account, "SessionNumber": 10, "VirtualNetworkId": 41]]], pretty: true),
        ]
        // A Gateway Load Balancer endpoint in the account, to an endpoint service another account runs.
        let foreignService = "com.amazonaws.vpce.us-east-1.vpce-svc-0exforeign00000001"
        let foreignEndpoint = CT.mirror("CreateVpcEndpoint", at: "2026-11-03T09:59:00Z", by: attacker,
                                        request: ["VpcId": "vpc-0ex00000000000001", "ServiceName": foreignService, "VpcEndpointType": "GatewayLoadBalancer"],
                                        response: ["requestId": "0ex-vpce", "vpcEndpoint": ["vpcEndpointId": "vpce-0exforeign000001", "vpcEndpointType": "GatewayLoadBalancer",
                                                                                          "vpcId": "vpc-0ex00000000000001", "serviceName": foreignService, "ownerId": account]],
                                        account: account)
        let foreignServiceDetails = [
            "snapshots/\(account)/us-east-1/describe-vpc-endpoint-services.json": CT.json(["ServiceNames": [foreignService, "com.amazonaws.us-east-1.s3"], "ServiceDetails": [
                ["ServiceName": foreignService, "ServiceId": "vpce-svc-0exforeign00000001", "ServiceType": [["ServiceType": "GatewayLoadBalancer"]], "Owner": "999988887777"],
                ["ServiceName": "com.amazonaws.us-east-1.s3", "ServiceType": [["ServiceType": "Gateway"]], "Owner": "amazon"]]], pretty: true),
        ]
        let ticket = "number,state,start_date,end_date,assigned_to,short_description,u_affected_resources\n"
            + "CHG-EX-1,Implement,2026-11-03 09:00:00,2026-11-03 12:00:00,netops-exercise@example.com,NDR sensor rollout,\"\(webENI), \(setup.awsApprovedTarget), tmf-0exrollout000001\"\n"
        return [
            s("sensitive-to-external", .attack, "A CI role mirrors a sensitive ENI to an NLB in another account",
              rules: [RuleID.externalDestination, RuleID.unapprovedDestination, RuleID.sensitiveSource],
              files: trail([CT.createTarget("tmt-0exforeign0000001", nlb: foreignNLB, owner: account, at: "2026-11-03T10:00:00Z", by: attacker, account: account),
                            CT.createFilter("tmf-0exattack0000001", at: "2026-11-03T10:01:00Z", by: attacker, account: account),
                            CT.createRule("tmfr-0exattack000001", filter: "tmf-0exattack0000001", source: "10.20.8.0/24", destination: "0.0.0.0/0", proto: 6, at: "2026-11-03T10:02:00Z", by: attacker, account: account),
                            CT.createSession("tms-0exattack0000001", eni: sensitiveENI, target: "tmt-0exforeign0000001", filter: "tmf-0exattack0000001",
                                             at: "2026-11-03T10:03:00Z", by: attacker, account: account)]).merging(interfaceFacts) { a, _ in a }),
            s("repoint-approved-session", .attack, "The approved session is quietly re-pointed to an attacker's ENI",
              rules: [RuleID.repointed],
              files: liveApproved.merging(trail([CT.createTarget("tmt-0exrogue00000001", eni: rogueENI, owner: account, at: "2026-11-03T10:00:00Z", by: attacker, account: account),
                                                 CT.modifySession("tms-0exapproved000001", target: "tmt-0exrogue00000001", at: "2026-11-03T10:05:00Z", by: attacker, account: account)])) { a, _ in a }),
            s("goes-before-approved-session", .attack, "A session numbered below the approved sensor's takes its traffic on the same ENI",
              rules: [RuleID.repointed, RuleID.unapprovedDestination],
              files: liveApprovedTenth.merging(trail([CT.createTarget("tmt-0exrogue00000004", eni: rogueENI, owner: account, at: "2026-11-03T10:00:00Z", by: attacker, account: account),
                                                      CT.createSession("tms-0exfirst00000001", eni: webENI, target: "tmt-0exrogue00000004", filter: "tmf-0exapproved000001",
                                                                       at: "2026-11-03T10:01:00Z", by: attacker, account: account, number: 1)])) { a, _ in a }),
            s("truncate-approved-session", .attack, "The approved session now copies only the first 64 bytes of each packet",
              rules: [RuleID.repointed],
              files: liveApproved.merging(trail([CT.modifySession("tms-0exapproved000001", packetLength: 64, at: "2026-11-03T10:05:00Z", by: attacker, account: account)])) { a, _ in a }),
            s("gwlb-endpoint-elsewhere", .attack, "A session to a Gateway Load Balancer endpoint whose service another account runs",
              rules: [RuleID.externalDestination, RuleID.unapprovedDestination],
              files: foreignServiceDetails.merging(trail([
                  foreignEndpoint,
                  CT.createTarget("tmt-0exgateway000001", gwlbe: "vpce-0exforeign000001", owner: account, at: "2026-11-03T10:00:00Z", by: attacker, account: account),
                  CT.createSession("tms-0exgateway000001", eni: webENI, target: "tmt-0exgateway000001", filter: "tmf-0exapproved000001",
                                   at: "2026-11-03T10:01:00Z", by: attacker, account: account)])) { a, _ in a }),
            s("member-behind-approved-nlb", .attack, "An instance joins the target group behind the approved sensor's load balancer",
              rules: [RuleID.unapprovedDestination, RuleID.unauthorizedActor],
              files: liveApproved.merging(sensorBalancer) { a, _ in a }.merging(trail([
                  CT.registerTargets(sensorGroup, ["i-0exrogue000000001"], at: "2026-11-03T10:05:00Z", by: attacker, account: account)])) { a, _ in a }),
            s("gwlb-added-to-approved-service", .attack,
              "Another Gateway Load Balancer is added to the endpoint service behind the approved inspection endpoint",
              rules: [RuleID.unapprovedDestination, RuleID.unauthorizedActor],
              files: liveApproved.merging(sensorGateway) { a, _ in a }.merging(trail([
                  CT.mirror("ModifyVpcEndpointServiceConfiguration", at: "2026-11-03T10:05:00Z", by: attacker,
                            request: ["ServiceId": "vpce-svc-0exinspect0000001",
                                      "AddGatewayLoadBalancerArn": ["tag": 1, "content": "arn:aws:elasticloadbalancing:us-east-1:\(account):loadbalancer/gwy/ex-capture/0ex9f8e7d6c5b4a3"]],
                            response: ["return": true], account: account)])) { a, _ in a }),
            s("create-then-delete", .attack, "A session to an unapproved target lives twelve minutes",
              rules: [RuleID.transient],
              files: trail([CT.createTarget("tmt-0exrogue00000002", eni: rogueENI, owner: account, at: "2026-11-03T10:00:00Z", by: attacker, account: account),
                            CT.createSession("tms-0exshort0000001", eni: webENI, target: "tmt-0exrogue00000002", filter: "tmf-0exapproved000001", at: "2026-11-03T10:01:00Z", by: attacker, account: account),
                            CT.deleteSession("tms-0exshort0000001", at: "2026-11-03T10:13:00Z", by: attacker, account: account)])),
            s("broad-filter", .attack, "A filter that copies all traffic, both directions",
              rules: [RuleID.broadFilter],
              files: trail([CT.createFilter("tmf-0exbroad00000001", at: "2026-11-03T10:00:00Z", by: attacker, account: account),
                            CT.createRule("tmfr-0exbroadin00001", filter: "tmf-0exbroad00000001", direction: "ingress", at: "2026-11-03T10:01:00Z", by: attacker, account: account),
                            CT.createRule("tmfr-0exbroadout0001", filter: "tmf-0exbroad00000001", direction: "egress", at: "2026-11-03T10:02:00Z", by: attacker, account: account)])),
            s("failed-probing", .attack, "Denied and dry-run session creation (probing)",
              rules: [RuleID.denied],
              files: trail([CT.mirror("CreateTrafficMirrorSession", at: "2026-11-03T10:00:00Z", by: CT.user("svc-ci", account: account),
                                      request: ["NetworkInterfaceId": setup.awsSensitiveENI, "TrafficMirrorTargetId": "tmt-0exrogue00000001", "SessionNumber": 1],
                                      error: ("Client.UnauthorizedOperation", "You are not authorized to perform this operation."), account: account),
                            CT.mirror("CreateTrafficMirrorSession", at: "2026-11-03T10:01:00Z", by: CT.user("svc-ci", account: account),
                                      request: ["NetworkInterfaceId": setup.awsSensitiveENI, "TrafficMirrorTargetId": "tmt-0exrogue00000001", "SessionNumber": 1, "DryRun": true],
                                      error: ("Client.DryRunOperation", "Request would have succeeded, but DryRun flag is set."), account: account)])),
            s("logging-off-first", .attack, "The trail is stopped, then a session is created",
              rules: [RuleID.loggingTampered],
              files: trail([CT.logging("StopLogging", request: ["name": "arn:aws:cloudtrail:us-east-1:\(account):trail/org-trail"], at: "2026-11-03T09:58:00Z", account: account),
                            CT.createSession("tms-0exdark00000001", eni: webENI, target: "tmt-0exrogue00000001", filter: "tmf-0exapproved000001", at: "2026-11-03T10:00:00Z", by: attacker, account: account)])),
            s("unusual-identity-no-ticket", .attack, "A contractor's user creates a session without a ticket",
              rules: [RuleID.unauthorizedActor, RuleID.noTicket],
              files: trail([CT.createSession("tms-0excontract00001", eni: webENI, target: setup.awsApprovedTarget, filter: "tmf-0exapproved000001",
                                             at: "2026-11-03T10:00:00Z", by: CT.user("contractor-x", account: account), account: account)])),
            s("imitates-known-sensor", .attack, "A session described as vendor sensor automation, to an unapproved target",
              rules: [RuleID.unapprovedDestination], flags: ["tool-imitation"],
              files: trail([CT.createTarget("tmt-0exrogue00000003", eni: rogueENI, owner: account, at: "2026-11-03T10:00:00Z", by: attacker, account: account),
                            CT.createSession("tms-0eximitate000001", eni: webENI, target: "tmt-0exrogue00000003", filter: "tmf-0exapproved000001",
                                             at: "2026-11-03T10:01:00Z", by: attacker, description: "Vectra sensor automation", account: account)])),
            s("approved-rollout", .benign, "The network team rolls out the approved sensor under a ticket",
              files: trail([CT.samlSignIn("netops-exercise@example.com", role: setup.awsAuthorizedRole, at: "2026-11-03T09:25:00Z", account: account),
                            CT.createFilter("tmf-0exrollout000001", at: "2026-11-03T09:30:00Z", by: admin, account: account),
                            CT.createRule("tmfr-0exrollout00001", filter: "tmf-0exrollout000001", source: "10.40.0.0/16", destination: "10.40.0.0/16", proto: 6, at: "2026-11-03T09:31:00Z", by: admin, account: account),
                            CT.createSession("tms-0exrollout000001", eni: webENI, target: setup.awsApprovedTarget, filter: "tmf-0exrollout000001", at: "2026-11-03T09:32:00Z", by: admin, account: account)])
                .merging(["tickets/change_request.csv": ticket]) { a, _ in a }),
            s("vendor-automation", .benign, "The sensor vendor's automation adds a session to the approved target",
              files: trail([CT.createSession("tms-0exvendor0000001", eni: webENI, target: setup.awsApprovedTarget, filter: "tmf-0exapproved000001", at: "2026-11-03T09:40:00Z",
                                             by: CT.role("GigamonOrchestrator", session: "gigamon-fm", account: account), description: "Gigamon sensor automation", account: account)])),
            s("describe-only", .benign, "Read-only Describe calls on mirroring",
              files: trail(["DescribeTrafficMirrorSessions", "DescribeTrafficMirrorTargets", "DescribeTrafficMirrorFilters"].enumerated().map { index, name in
                  var record = CT.other(name, source: "ec2.amazonaws.com", at: "2026-11-03T09:5\(index):00Z", account: account)
                  record["requestParameters"] = ["\(name)Request": ["MaxResults": 1000]]
                  return record
              })),
        ]
    }

    /// Ordinary API calls of a working account, for volume: an S3 object as CloudTrail delivers it.
    static func background(count: Int, account: String, random: inout ExerciseRandom) -> [String: String] {
        guard count > 0 else { return [:] }
        let calls: [(String, String, [String: Any])] = [
            ("GetObject", "s3.amazonaws.com", ["bucketName": "app-assets", "key": "img/logo.png"]),
            ("PutObject", "s3.amazonaws.com", ["bucketName": "app-uploads", "key": "2026/11/03/report.pdf"]),
            ("DescribeInstances", "ec2.amazonaws.com", ["instancesSet": [:] as [String: Any], "filterSet": [:] as [String: Any]]),
            ("DescribeNetworkInterfaces", "ec2.amazonaws.com", ["DescribeNetworkInterfacesRequest": ["MaxResults": 1000]]),
            ("GetParameter", "ssm.amazonaws.com", ["name": "/app/db/host"]),
            ("Decrypt", "kms.amazonaws.com", ["encryptionAlgorithm": "SYMMETRIC_DEFAULT"]),
            ("DescribeLoadBalancers", "elasticloadbalancing.amazonaws.com", ["pageSize": 400]),
        ]
        let records = (0..<count).map { _ -> [String: Any] in
            let (name, source, request) = random.pick(calls)
            var record = CT.other(name, source: source, at: String(format: "2026-11-03T%02d:%02d:%02dZ", 8 + random.below(8), random.below(60), random.below(60)), account: account)
            record["requestParameters"] = request
            record["eventID"] = random.uuid()
            return record
        }
        return ["cloudtrail/AWSLogs/\(account)/CloudTrail/us-east-1/2026/11/03/\(account)_CloudTrail_us-east-1_20261103T0800Z_bg.json": CT.s3Object(records)]
    }
}
