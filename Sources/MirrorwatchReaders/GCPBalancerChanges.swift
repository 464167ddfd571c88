import MirrorwatchJSON
import MirrorwatchModel

/// Compute Engine calls that change where a packet-mirroring collector hands the packets: a GCP
/// collector is an internal load balancer's forwarding rule, which forwards to a backend service,
/// whose backends are instance groups, whose members receive the mirrored packets. Read:
/// `instanceGroups.addInstances|removeInstances` (members), `backendServices.insert|patch|update`
/// and their regional form (the groups a backend service forwards to), `forwardingRules.insert`
/// (the backend service a new collector forwards to).
enum GCPBalancerChanges {
    /// Bytes an entry holds when it may be one of these calls (every spelling: `instanceGroups.`,
    /// `InstanceGroups.`, `regionBackendServices.`, `BackendServices.`).
    static let markers = [Array("nstanceGroups.".utf8), Array("ackendServices.".utf8)]

    /// The change an entry makes; nil for other entries.
    static func change(from entry: JSONValue, evidence: Evidence) -> BalancerChange? {
        guard let proto = entry.member(ignoringCase: "protoPayload"), let method = proto.member(ignoringCase: "methodName")?.text,
              let time = entry.member(ignoringCase: "timestamp")?.text.flatMap({ Timestamp.parse($0) }) else { return nil }
        let lower = method.lowercased()
        let action: BalancerChange.Action
        if let verb = GCPOperations.verb(after: "instancegroups.", in: lower), verb == "addinstances" || verb == "removeinstances" {
            action = verb == "addinstances" ? .register : .deregister
        } else if let verb = GCPOperations.verb(after: "backendservices.", in: lower), ["insert", "patch", "update"].contains(verb) {
            action = .forward
        } else if GCPOperations.verb(after: "forwardingrules.", in: lower) == "insert" {
            action = .attach
        } else {
            return nil
        }
        let fullRequest = proto.member(ignoringCase: "request")
        let outcome = GCPChangeMapper.outcome(entry, proto)
        let operationKey = entry.at("operation", "id")?.text.map { "gcp|" + $0 }
        // The last entry of a long-running operation carries no request: it only tells how the operation
        // ended, which matters when it failed (the first entry then changed nothing).
        if fullRequest == nil, outcome.succeeded || operationKey == nil { return nil }
        // The client-library spelling wraps the body beside `project`, `zone`, `region`.
        let request = fullRequest?.member(anyOf: "instanceGroupsAddInstancesRequestResource", "instanceGroupsRemoveInstancesRequestResource",
                                          "backendServiceResource", "forwardingRuleResource") ?? fullRequest
        var resource = proto.member(ignoringCase: "resourceName")?.text.map(ResourceRef.normalize)
        if action != .register, action != .deregister, let name = request?.member(ignoringCase: "name")?.text, let base = resource, !base.hasSuffix("/" + name),
           lower.hasSuffix(".insert") {
            resource = base + "/" + name
        }
        guard let resource else { return nil }
        let project = entry.at("resource", "labels")?.member(ignoringCase: "project_id")?.text ?? ResourceRef.owner(of: resource)
        var change = BalancerChange(action: action, operation: method, platform: .gcp,
                                    scope: Scope(account: project, region: GCPChangeMapper.region(resource)), time: time,
                                    actor: GCPChangeMapper.actor(proto), outcome: outcome,
                                    eventId: entry.member(ignoringCase: "insertId")?.text, evidence: evidence)
        change.operationKey = operationKey
        if fullRequest == nil {
            change.endsOperation = true
            return change
        }
        switch action {
        case .register, .deregister:
            change.targetGroup = resource
            change.members = (request?.member(ignoringCase: "instances")?.elements ?? []).compactMap {
                $0.member(ignoringCase: "instance")?.text.map { Endpoint(kind: .instance, id: ResourceRef.normalize($0)) }
            }
        case .forward:
            change.listener = resource
            change.forwardsTo = (request?.member(ignoringCase: "backends")?.elements ?? []).compactMap {
                $0.member(ignoringCase: "group")?.text.map(ResourceRef.normalize)
            }
            // A patch that names no backends leaves them as they are.
            if request?.member(ignoringCase: "backends") == nil, lower.hasSuffix(".patch") { return nil }
        default:
            // Only a collector's forwarding rule naming its backend service links the two.
            guard request?.member(ignoringCase: "isMirroringCollector")?.bool == true,
                  let service = request?.member(ignoringCase: "backendService")?.text else { return nil }
            change.loadBalancer = resource
            change.listener = ResourceRef.normalize(service)
        }
        return change
    }
}
