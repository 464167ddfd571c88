import MirrorwatchModel
import MirrorwatchPolicy
import MirrorwatchReaders
import MirrorwatchRules

/// The parts of mirrorwatch's logic that a SIEM can run on single events, as Sigma rules: every
/// mirroring write per platform, the writes that send to a destination outside the policy's
/// approved list (where the event itself names the destination), probing, and logging tamper.
///
/// What needs state (re-pointing judged against the live graph, sensitive sources through
/// interface facts, transient sessions, tickets, flows) stays in mirrorwatch; each rule's
/// description says which mirrorwatch rule covers the rest. Field names are the native ones of
/// each log (CloudTrail, Cloud Audit Logs LogEntry, Azure Activity Log); Sigma matches strings
/// ignoring case, so `v1.compute...` and `beta.compute...`, and Azure's upper-case operation names, all match.
public enum SigmaExport {
    static let attack = "https://attack.mitre.org/techniques/T1020/001/"

    public static func rules(policy: Policy) -> [SigmaRule] {
        aws(policy) + gcp(policy) + azure(policy) + devices(policy)
    }

    static func aws(_ policy: Policy) -> [SigmaRule] {
        let writes = AWSMirrorOperations.writes.keys.sorted()
        let approvedTargets = policy.approvedDestinations.compactMap(\.target)
        let approvedLoadBalancers = policy.approvedDestinations.compactMap(\.nlb)
        let approvedInterfaces = policy.approvedDestinations.compactMap(\.eni)
        let approvedEndpoints = policy.approvedDestinations.compactMap(\.gwlbe)
        let docs = "https://docs.aws.amazon.com/vpc/latest/mirroring/what-is-traffic-mirroring.html"
        var rules = [
            SigmaRule(name: "mirrorwatch_aws_traffic_mirroring_write", title: "AWS Traffic Mirroring configuration changed",
                      description: "A Traffic Mirroring session, target, filter or filter rule was created, modified or deleted (mirrorwatch rule mirror.change.observed; mirrorwatch judges destination, source and ticket).",
                      references: [attack, docs], product: "aws", service: "cloudtrail",
                      searches: [("selection", .fields([("eventSource", ["ec2.amazonaws.com"]), ("eventName", writes)]))],
                      condition: "selection", falsePositives: ["Network and security teams managing approved monitoring sensors"], level: "low",
                      mirrorwatchRule: RuleID.observed),
            SigmaRule(name: "mirrorwatch_aws_traffic_mirroring_denied", title: "AWS Traffic Mirroring call denied or dry-run",
                      description: "A Traffic Mirroring write failed for lack of permission or was a dry run: someone probing whether they can mirror traffic (mirrorwatch rule mirror.change.denied).",
                      references: [attack], product: "aws", service: "cloudtrail",
                      searches: [("selection", .fields([("eventSource", ["ec2.amazonaws.com"]), ("eventName", writes),
                                                        ("errorCode", ["Client.UnauthorizedOperation", "Client.DryRunOperation", "AccessDenied", "UnauthorizedOperation"])]))],
                      condition: "selection", falsePositives: ["Automation testing its permissions with DryRun"], level: "medium", mirrorwatchRule: RuleID.denied),
            SigmaRule(name: "mirrorwatch_aws_cloudtrail_tampering", title: "CloudTrail logging stopped, deleted or changed",
                      description: "StopLogging, DeleteTrail, UpdateTrail or PutEventSelectors: attackers blind the audit trail before setting up mirroring (mirrorwatch rule coverage.logging-tampered judges whether the selectors drop EC2 management writes).",
                      references: [attack, "https://attack.mitre.org/techniques/T1562/008/"], product: "aws", service: "cloudtrail",
                      searches: [("selection", .fields([("eventSource", ["cloudtrail.amazonaws.com"]), ("eventName", ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"])]))],
                      condition: "selection", falsePositives: ["Planned logging changes under a change ticket"], level: "high", mirrorwatchRule: RuleID.loggingTampered)
                .tagged(["attack.defense-evasion", "attack.t1562.008"]),
            SigmaRule(name: "mirrorwatch_aws_logging_blinded", title: "CloudTrail Lake, flow logs or organization trail coverage removed",
                      description: "StopEventDataStoreIngestion or DeleteEventDataStore (CloudTrail Lake), DeleteFlowLogs (the flows that show mirrored packets leaving) or LeaveOrganization (an organization trail stops logging the account): the evidence of mirroring is cut off (mirrorwatch rule coverage.logging-tampered; it also judges S3 buckets that hold logs).",
                      references: [attack, "https://attack.mitre.org/techniques/T1562/008/"], product: "aws", service: "cloudtrail",
                      searches: [("selection", .fields([("eventSource", ["cloudtrail.amazonaws.com", "ec2.amazonaws.com", "organizations.amazonaws.com"]),
                                                        ("eventName", ["StopEventDataStoreIngestion", "DeleteEventDataStore", "DeleteFlowLogs", "LeaveOrganization"])]))],
                      condition: "selection", falsePositives: ["Planned retirement of flow logs, event data stores or accounts under a change ticket"], level: "high",
                      mirrorwatchRule: RuleID.loggingTampered)
                .tagged(["attack.defense-evasion", "attack.t1562.008"]),
            SigmaRule(name: "mirrorwatch_aws_traffic_mirroring_session_reordered_or_truncated", title: "AWS Traffic Mirroring session renumbered or truncated",
                      description: "A Traffic Mirroring session got a new session number (AWS mirrors a packet once, by the lowest-numbered session whose filter accepts it: an approved sensor can lose its traffic without its own session changing) or a packet length (its sensor loses the payloads). mirrorwatch (mirror.session.repointed) tells which approved session is affected from the live state.",
                      references: [attack, docs], product: "aws", service: "cloudtrail",
                      searches: [("selection", .fields([("eventSource", ["ec2.amazonaws.com"]), ("eventName", ["ModifyTrafficMirrorSession"])])),
                                 ("selection_number", .fields([("requestParameters.ModifyTrafficMirrorSessionRequest.SessionNumber|exists", ["true"])])),
                                 ("selection_length", .fields([("requestParameters.ModifyTrafficMirrorSessionRequest.PacketLength|exists", ["true"])]))],
                      condition: "selection and 1 of selection_*", falsePositives: ["Sensor tuning by the network team under a change ticket"], level: "medium",
                      mirrorwatchRule: RuleID.repointed),
            SigmaRule(name: "mirrorwatch_aws_gateway_load_balancer_endpoint_created", title: "AWS Gateway Load Balancer endpoint created",
                      description: "A Gateway Load Balancer endpoint can be a Traffic Mirroring target, and what it receives goes to the appliances of whoever runs its endpoint service, possibly another account. mirrorwatch (mirror.destination.external) judges the service's owner from describe-vpc-endpoint-services.",
                      references: [attack, "https://docs.aws.amazon.com/vpc/latest/mirroring/traffic-mirroring-targets.html"], product: "aws", service: "cloudtrail",
                      searches: [("selection", .fields([("eventSource", ["ec2.amazonaws.com"]), ("eventName", ["CreateVpcEndpoint"]),
                                                        ("requestParameters.CreateVpcEndpointRequest.VpcEndpointType", ["GatewayLoadBalancer"])]))],
                      condition: "selection", falsePositives: ["Inspection appliances deployed by the network team (their service is in an organization account)"], level: "low",
                      mirrorwatchRule: RuleID.externalDestination),
        ]
        var sessionSearches: [(name: String, search: SigmaRule.Search)] = [
            ("selection", .fields([("eventSource", ["ec2.amazonaws.com"]), ("eventName", ["CreateTrafficMirrorSession", "ModifyTrafficMirrorSession"])])),
        ]
        if !approvedTargets.isEmpty {
            sessionSearches.append(("filter_approved_create", .fields([("requestParameters.CreateTrafficMirrorSessionRequest.TrafficMirrorTargetId", approvedTargets)])))
            sessionSearches.append(("filter_approved_modify", .fields([("requestParameters.ModifyTrafficMirrorSessionRequest.TrafficMirrorTargetId", approvedTargets)])))
        }
        rules.append(SigmaRule(
            name: "mirrorwatch_aws_traffic_mirroring_session_unapproved_target", title: "AWS Traffic Mirroring session to a target outside the approved list",
            description: "A Traffic Mirroring session was created or re-pointed to a target that the mirrorwatch policy does not approve" + (approvedTargets.isEmpty ? " (the policy approves no target: every session matches)" : "")
                + ". A modification without a target change also matches; mirrorwatch (mirror.destination.unapproved, mirror.session.repointed) tells them apart from the live state.",
            references: [attack, docs], product: "aws", service: "cloudtrail", searches: sessionSearches,
            condition: approvedTargets.isEmpty ? "selection" : "selection and not 1 of filter_approved_*",
            falsePositives: ["A newly approved sensor not yet in the policy"], level: "high", mirrorwatchRule: RuleID.unapprovedDestination))
        var targetSearches: [(name: String, search: SigmaRule.Search)] = [("selection", .fields([("eventSource", ["ec2.amazonaws.com"]), ("eventName", ["CreateTrafficMirrorTarget"])]))]
        for (field, values) in [("NetworkLoadBalancerArn", approvedLoadBalancers), ("NetworkInterfaceId", approvedInterfaces), ("GatewayLoadBalancerEndpointId", approvedEndpoints)] where !values.isEmpty {
            targetSearches.append(("filter_approved_\(field.lowercased())", .fields([("requestParameters.CreateTrafficMirrorTargetRequest.\(field)", values)])))
        }
        rules.append(SigmaRule(
            name: "mirrorwatch_aws_traffic_mirroring_target_unapproved", title: "AWS Traffic Mirroring target to a destination outside the approved list",
            description: "A Traffic Mirroring target was created for a load balancer, interface or endpoint the mirrorwatch policy does not approve (mirror.destination.unapproved; mirror.destination.external when it is in another account).",
            references: [attack, docs], product: "aws", service: "cloudtrail", searches: targetSearches,
            condition: targetSearches.count == 1 ? "selection" : "selection and not 1 of filter_approved_*",
            falsePositives: ["A newly approved sensor not yet in the policy"], level: "high", mirrorwatchRule: RuleID.unapprovedDestination))
        return rules
    }

    static func gcp(_ policy: Policy) -> [SigmaRule] {
        // `v1.compute.packetMirrorings.insert` and `google.cloud.compute.v1.PacketMirrorings.Insert` alike: Sigma ignores case.
        // Firewall-policy mirroring rules write mirroring too.
        let methods = ["packetMirrorings.insert", "packetMirrorings.patch", "packetMirrorings.delete",
                       "addPacketMirroringRule", "patchPacketMirroringRule", "removePacketMirroringRule"]
        let approved = policy.approvedDestinations.compactMap(\.ilb)
        let docs = "https://cloud.google.com/vpc/docs/packet-mirroring"
        // Only the entry that carries the request (a long-running operation's `first` entry) names the collector.
        var searches: [(name: String, search: SigmaRule.Search)] = [("selection", .fields([("protoPayload.methodName|endswith", ["packetMirrorings.insert", "packetMirrorings.patch"]),
                                                                                             ("protoPayload.request.collectorIlb.url|exists", ["true"])]))]
        if !approved.isEmpty {
            // The request names the collector by URL; approved entries may be URLs or relative paths.
            searches.append(("filter_approved", .fields([("protoPayload.request.collectorIlb.url|endswith", approved.map(ResourceRef.normalize))])))
        }
        return [
            SigmaRule(name: "mirrorwatch_gcp_packet_mirroring_write", title: "GCP Packet Mirroring policy created, changed or deleted",
                      description: "A packet mirroring policy was inserted, patched or deleted (v1, beta or gRPC method spelling), a firewall-policy mirroring rule added, patched or removed, or a forwarding rule made a mirroring collector (mirrorwatch rule mirror.change.observed).",
                      references: [attack, docs], product: "gcp", service: "gcp.audit",
                      searches: [("selection", .fields([("protoPayload.methodName|endswith", methods)])),
                                 ("selection_collector", .fields([("protoPayload.methodName|endswith", ["forwardingRules.insert"]),
                                                                  ("protoPayload.request.isMirroringCollector", ["true"])]))],
                      condition: "1 of selection*", falsePositives: ["Network teams managing approved collectors"], level: "low", mirrorwatchRule: RuleID.observed),
            SigmaRule(name: "mirrorwatch_gcp_packet_mirroring_unapproved_collector", title: "GCP Packet Mirroring to a collector outside the approved list",
                      description: "A packet mirroring policy was created or patched with a collector (internal load balancer) the mirrorwatch policy does not approve; a patch that does not change the collector carries none and matches too (mirror.destination.unapproved, mirror.session.repointed).",
                      references: [attack, docs], product: "gcp", service: "gcp.audit", searches: searches,
                      condition: approved.isEmpty ? "selection" : "selection and not filter_approved",
                      falsePositives: ["A newly approved collector not yet in the policy"], level: "high", mirrorwatchRule: RuleID.unapprovedDestination),
            SigmaRule(name: "mirrorwatch_gcp_logging_tampering", title: "GCP log sink or exclusion changed or deleted",
                      description: "A Cloud Logging sink was deleted or changed, or an exclusion added: the audit trail may be blind to mirroring (mirrorwatch rule coverage.logging-tampered).",
                      references: [attack, "https://attack.mitre.org/techniques/T1562/008/"], product: "gcp", service: "gcp.audit",
                      searches: [("selection", .fields([("protoPayload.methodName|endswith", ["ConfigServiceV2.DeleteSink", "ConfigServiceV2.UpdateSink", "ConfigServiceV2.CreateExclusion", "ConfigServiceV2.UpdateExclusion", "ConfigServiceV2.DeleteBucket", "ConfigServiceV2.UpdateBucket"])]))],
                      condition: "selection", falsePositives: ["Planned logging changes"], level: "high", mirrorwatchRule: RuleID.loggingTampered)
                .tagged(["attack.defense-evasion", "attack.t1562.008"]),
        ]
    }

    static func azure(_ policy: Policy) -> [SigmaRule] {
        let docs = "https://learn.microsoft.com/azure/virtual-network/virtual-network-tap-overview"
        let approved = policy.approvedDestinations.compactMap(\.azureDestination)
        // The request body of the Start record names the destination (Event Hub and storage exports).
        var unapproved: [(name: String, search: SigmaRule.Search)] = [("selection", .fields([("operationName", ["MICROSOFT.NETWORK/VIRTUALNETWORKTAPS/WRITE"]),
                                                                                              ("resultType", ["Start"])]))]
        if !approved.isEmpty { unapproved.append(("filter_approved", .fields([("properties.requestbody|contains", approved)]))) }
        return [
            SigmaRule(name: "mirrorwatch_azure_virtual_network_tap_unapproved_destination", title: "Azure virtual network TAP to a destination outside the approved list",
                      description: "A virtual network TAP was created or changed with a destination (NIC IP configuration or load balancer frontend) the mirrorwatch policy does not approve, read from the request body of the operation's Start record (mirror.destination.unapproved, mirror.session.repointed).",
                      references: [attack, docs], product: "azure", service: "activitylogs", searches: unapproved,
                      condition: approved.isEmpty ? "selection" : "selection and not filter_approved",
                      falsePositives: ["A newly approved sensor not yet in the policy"], level: "high", mirrorwatchRule: RuleID.unapprovedDestination),
            SigmaRule(name: "mirrorwatch_azure_virtual_network_tap_write", title: "Azure virtual network TAP or TAP configuration written or deleted",
                      description: "A virtual network TAP was created, changed or deleted, or a NIC was attached to one; each operation logs Start, Accept and Success records (mirrorwatch merges them into one change, mirror.change.observed).",
                      references: [attack, docs], product: "azure", service: "activitylogs",
                      searches: [("selection", .fields([("operationName", ["MICROSOFT.NETWORK/VIRTUALNETWORKTAPS/WRITE", "MICROSOFT.NETWORK/VIRTUALNETWORKTAPS/DELETE",
                                                                          "MICROSOFT.NETWORK/NETWORKINTERFACES/TAPCONFIGURATIONS/WRITE", "MICROSOFT.NETWORK/NETWORKINTERFACES/TAPCONFIGURATIONS/DELETE"])]))],
                      condition: "selection", falsePositives: ["Network teams managing approved sensors"], level: "medium", mirrorwatchRule: RuleID.observed),
            SigmaRule(name: "mirrorwatch_azure_diagnostic_setting_removed", title: "Azure diagnostic setting deleted",
                      description: "A diagnostic setting (the export of activity or resource logs) was deleted (mirrorwatch rule coverage.logging-tampered).",
                      references: [attack, "https://attack.mitre.org/techniques/T1562/008/"], product: "azure", service: "activitylogs",
                      searches: [("selection", .fields([("operationName", ["MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE"])]))],
                      condition: "selection", falsePositives: ["Planned logging migrations"], level: "high", mirrorwatchRule: RuleID.loggingTampered)
                .tagged(["attack.defense-evasion", "attack.t1562.008"]),
        ]
    }

    static func devices(_ policy: Policy) -> [SigmaRule] {
        // Only single collectors can be allowed by keyword (a range cannot); a trailing space or ` ;`
        // keeps 10.99.1.1 from allowing 10.99.1.10.
        let collectors = policy.approvedDestinations.compactMap(\.ip).filter { $0.description.hasSuffix("/32") || !$0.description.contains("/") }
            .map { $0.description.split(separator: "/").first.map(String.init) ?? $0.description }
        let destinations = ["destination ip", "destination interface", "destination remote vlan", "destination ethernet", "destination port-channel",
                            "destination cpu", "destination tunnel", "erspan", "tunnel mode gre"]
        func monitorSessions(_ vendor: String, product: String) -> SigmaRule {
            var searches: [(name: String, search: SigmaRule.Search)] = [("keywords_mirror", .keywords(["monitor session"])), ("keywords_destination", .keywords(destinations))]
            if !collectors.isEmpty {
                searches.append(("filter_approved", .keywords(collectors.flatMap { ["destination ip \($0) ", "destination ip \($0) ;", "destination \($0) "] })))
            }
            return SigmaRule(
                name: "mirrorwatch_\(product)_monitor_session_configured", title: "SPAN, RSPAN or ERSPAN session configured on a \(vendor) device",
                description: "A command-log or accounting record configures the destination of a monitor session (IOS CFGLOG, NX-OS and EOS accounting, TACACS+ accounting). Sub-mode commands (`destination` under `monitor session N type erspan-source`) log without the session keyword: mirrorwatch keeps that context and judges the destination against approved ranges (mirror.change.observed, mirror.destination.unapproved).",
                references: [attack], product: product, service: "syslog", searches: searches,
                condition: collectors.isEmpty ? "keywords_mirror and keywords_destination" : "keywords_mirror and keywords_destination and not filter_approved",
                falsePositives: ["Network engineers troubleshooting with an approved sniffer port"], level: "medium", mirrorwatchRule: RuleID.unapprovedDestination)
        }
        return [
            monitorSessions("Cisco", product: "cisco"), monitorSessions("Arista", product: "arista"),
            SigmaRule(name: "mirrorwatch_junos_port_mirroring_configured", title: "Junos port mirroring or analyzer configured",
                      description: "A Junos command-line record (UI_CMDLINE_READ_LINE) configures port mirroring or an analyzer (mirrorwatch rule mirror.change.observed; mirrorwatch resolves edit levels and judges the destination).",
                      references: [attack], product: "juniper", service: "syslog",
                      searches: [("keywords_cli", .keywords(["UI_CMDLINE_READ_LINE"])), ("keywords_mirror", .keywords(["port-mirroring", "analyzer"])),
                                 ("keywords_configure", .keywords(["command 'set ", "command 'edit ", "command 'delete ", "command=\"set ", "command=\"edit "]))],
                      condition: "keywords_cli and keywords_mirror and keywords_configure", falsePositives: ["Approved analyzer configuration"], level: "medium", mirrorwatchRule: RuleID.observed),
            SigmaRule(name: "mirrorwatch_network_logging_disabled", title: "Logging or accounting switched off on a network device",
                      description: "A command that removes a syslog host, the command archive or notification, or AAA accounting, or lowers the trap level below notifications: attackers do this before building a SPAN session (mirrorwatch rule coverage.logging-tampered; the same command list).",
                      references: [attack, "https://attack.mitre.org/techniques/T1562/006/"], product: "network", service: "syslog",
                      searches: [("keywords", .keywords(DeviceActivity.loggingOffCommands + DeviceActivity.silencingTrapLevels.map { "logging trap \($0)" }
                                                        + DeviceActivity.junosLoggingOffCommands))],
                      condition: "keywords", falsePositives: ["Planned logging migrations"], level: "high", mirrorwatchRule: RuleID.loggingTampered)
                .tagged(["attack.defense-evasion", "attack.t1562.006"]),
        ]
    }
}

extension SigmaRule {
    /// The rule with other ATT&CK tags.
    func tagged(_ tags: [String]) -> SigmaRule {
        var rule = self
        rule.tags = tags
        return rule
    }
}
