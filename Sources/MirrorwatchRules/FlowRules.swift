import Foundation
import MirrorwatchContext
import MirrorwatchModel
import MirrorwatchState

/// `mirror.traffic.unapproved-flow`: flow telemetry shows mirror copies (or a mirror
/// destination's onward traffic) going where nobody approved. A sighting that belongs to a
/// mirroring destination also upgrades the findings about that destination: the copy is
/// proven to flow.
public enum FlowRules {
    /// Every destination the run knows: live sessions in the final graph and every destination a finding names.
    static func destinations(graph: MirrorGraph, findings: [Finding], assessor: Assessor) -> [MirrorDestinationRef] {
        var refs: [MirrorDestinationRef] = []
        for session in graph.sessions.values.sorted(by: { $0.id < $1.id }) {
            let assessment = assessor.assess(session: session, graph: graph)
            for destination in [assessment.destination].compactMap({ $0 }) + assessment.otherDestinations {
                refs.append(ref(ids: destination.refs, endpoint: destination.endpoint, approved: destination.isApproved,
                                label: destination.shortName, graph: graph))
            }
        }
        for finding in findings {
            guard let destination = finding.destination else { continue }
            refs.append(ref(ids: finding.destinationRefs, endpoint: destination.endpoint, approved: destination.approved,
                            label: ResourceRef.shortName(of: destination.endpoint.id), graph: graph))
        }
        return refs
    }

    static func ref(ids: [String], endpoint: Endpoint, approved: Bool, label: String, graph: MirrorGraph) -> MirrorDestinationRef {
        let allIds = Set(ids + [endpoint.id])
        var addresses = Set([endpoint.address].compactMap { $0 })
        if endpoint.kind == .ip { addresses.insert(endpoint.id) }
        for id in allIds { if let ip = graph.fact(id)?.privateIP { addresses.insert(ip) } }
        return MirrorDestinationRef(ids: allIds, addresses: addresses, approved: approved, label: label)
    }

    static func evaluate(_ sightings: [FlowSighting], context: RuleContext) -> [Finding] {
        sightings.map { sighting in
            let severity: Severity = sighting.external ? .critical : .high
            let observed = sighting.observer.map { " (observed at \($0))" } ?? ""
            var why = "Flow telemetry\(observed) shows \(sighting.flows) flow(s), \(ByteCount.format(sighting.bytes)), of "
            switch sighting.kind {
            case .encapsulated(let name):
                why += "\(name), the encapsulation mirror copies travel in, from \(sighting.sourceAddress) to \(sighting.destinationAddress)"
            case .onward:
                why += "traffic from mirror destination \(sighting.related?.label ?? sighting.sourceAddress) (\(sighting.sourceAddress)) on to \(sighting.destinationAddress)"
            }
            why += " between \(Timestamp.format(sighting.first)) and \(Timestamp.format(sighting.last))."
            why += sighting.external ? " \(sighting.destinationAddress) is outside organization.internal_cidrs." : " \(sighting.destinationAddress) is not an approved destination."
            if let related = sighting.related { why += " It belongs to mirroring destination \(related.label)\(related.approved ? "" : ", which is not approved"): the copied traffic is proven to flow." }
            var finding = Finding(
                rule: RuleID.unapprovedFlow, severity: severity,
                title: sighting.kind == .onward
                    ? "Mirror destination \(sighting.related?.label ?? sighting.sourceAddress) sends traffic on to \(sighting.destinationAddress)"
                    : "\(sighting.description) mirror traffic to unapproved \(sighting.destinationAddress)",
                why: why,
                benignIf: "The receiver is a sanctioned collector (add it to approved_destinations by ip), or the encapsulated traffic is an overlay network, not mirroring (set flows.vxlan_ports).",
                platform: sighting.platform, time: sighting.first, scope: sighting.scope,
                subject: "\(sighting.kind)|\(sighting.sourceAddress)|\(sighting.destinationAddress)",
                destination: FindingDestination(endpoint: Endpoint(kind: .ip, id: sighting.destinationAddress, address: sighting.destinationAddress), approved: false),
                evidence: sighting.evidence)
            if let observer = sighting.observer {
                finding.source = FindingSource(endpoint: Endpoint(kind: observer.hasPrefix("eni-") ? .eni : .ip, id: observer, address: sighting.sourceAddress), segment: nil)
            }
            finding.destinationRefs = [sighting.destinationAddress] + Array(sighting.related?.ids ?? [])
            finding.context.flags = ["flow-confirmed"]
            return finding
        }
    }

    /// Upgrades findings about a destination that flows show in use: critical, with the flows as evidence.
    static func confirm(_ findings: inout [Finding], with sightings: [FlowSighting]) {
        for sighting in sightings {
            guard let related = sighting.related else { continue }
            for index in findings.indices where findings[index].rule != RuleID.unapprovedFlow && findings[index].destination?.approved == false {
                let finding = findings[index]
                let matches = finding.destinationRefs.contains { related.ids.contains($0) }
                    || finding.destination.map { $0.endpoint.address.map(related.addresses.contains) ?? related.addresses.contains($0.endpoint.id) } ?? false
                guard matches, !finding.context.flags.contains("flow-confirmed") else { continue }
                findings[index].context.flags.append("flow-confirmed")
                findings[index].evidence += sighting.evidence.prefix(2)
                findings[index].why += " Flow telemetry confirms the copy flows: \(ByteCount.format(sighting.bytes)) of \(sighting.description) to \(sighting.destinationAddress) between \(Timestamp.format(sighting.first)) and \(Timestamp.format(sighting.last))."
                if [RuleID.unapprovedDestination, RuleID.externalDestination, RuleID.transient, RuleID.repointed].contains(finding.rule) {
                    findings[index].severity = .critical
                }
            }
        }
    }
}

/// Byte counts for people: `1.3 GB`.
enum ByteCount {
    static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
