import Foundation
import Mirrorwatch

/// Everything the evidence report shows, assembled once for the HTML and JSON renderings:
/// findings, the live mirroring graph against the baseline, coverage, access, exceptions and the
/// inputs with their hashes.
public struct AuditReport: Sendable {
    /// Parts of the report; `coverage` and `access` alone make the JSON of those commands.
    public enum Section: String, Sendable, CaseIterable { case summary, findings, graph, coverage, access, exceptions, inputs }

    /// One live session as the graph shows it: sources → session → destination, judged by the policy.
    public struct LiveSession: Sendable {
        public var platform: Platform
        public var scope: Scope
        public var id: String
        /// Sources by full id, with a short label and the sensitive segment they belong to.
        public var sources: [(id: String, label: String, segment: String?)]
        /// The destination in full (target → endpoint, instance, address, owner).
        public var destination: String
        /// The destination in a few words, for the picture.
        public var destinationName: String
        /// The destination's id (target, NIC configuration, address), to tell apart destinations with the same short name.
        public var destinationId: String
        public var approvedAs: String?
        public var external: Bool
        /// Whether `approved_sessions` lists it (nil when the policy has no baseline).
        public var inBaseline: Bool?
        public var fromSnapshot: Bool
        /// For a load balancer destination: the members of its target groups (registrations seen), who
        /// really receive the packets, each judged by the policy, and what stands for unknown members
        /// where a change reported them (a group or load balancer whose members were not read).
        public var receivers: [(id: String, group: String, approvedAs: String?, external: Bool)] = []

        /// Its destination and every member behind it approved (and none outside the organization).
        public var fullyApproved: Bool { approvedAs != nil && receivers.allSatisfy { $0.approvedAs != nil && !$0.external } }
    }

    /// An exception and what became of it in this run.
    public struct ExceptionStatus: Sendable {
        public var exception: PolicyException
        /// `active`, `expired` or `unused`.
        public var status: String
        public var findings: Int
    }

    public var result: ScanResult
    public var policy: Policy
    public var sections: Set<Section>
    public var generatedAt: Date
    public var inputDigests: [String: String]
    public var liveSessions: [LiveSession]
    public var exceptions: [ExceptionStatus]

    public init(result: ScanResult, policy: Policy, sections: Set<Section> = Set(Section.allCases), generatedAt: Date = Date(),
                inputDigests: [String: String] = [:]) {
        self.result = result
        self.policy = policy
        self.sections = sections
        self.generatedAt = generatedAt
        self.inputDigests = inputDigests
        let assessor = Assessor(policy: policy, tickets: TicketIndex())
        let baseline = policy.approvedSessions.map { Set($0.map { ResourceRef.normalize($0.id).lowercased() }) }
        liveSessions = result.graph.sessions.values.sorted { ($0.platform, $0.id) < ($1.platform, $1.id) }.map { session in
            let assessment = assessor.assess(session: session, graph: result.graph)
            // Known members, and what stands for unknown ones that a change reported.
            let receivers = assessor.receivers(of: session, graph: result.graph)
                + assessor.receivers(result.graph.unknownReceivers(of: session), behind: "", platform: session.platform, owner: session.scope.account, graph: result.graph)
            var live = LiveSession(
                platform: session.platform, scope: session.scope, id: session.id,
                sources: assessment.sources.map { ($0.endpoint.id, ResourceRef.shortName(of: $0.endpoint.id), $0.segment) },
                destination: assessment.destination?.display ?? "unknown destination",
                destinationName: assessment.destination?.shortName ?? "unknown destination",
                destinationId: assessment.destination.map { $0.targetRef ?? $0.endpoint.id } ?? "unknown:" + session.id,
                approvedAs: assessment.destination?.approval?.name, external: assessment.destination?.isExternal ?? false,
                inBaseline: baseline.map { $0.contains(ResourceRef.normalize(session.id).lowercased()) }, fromSnapshot: session.fromSnapshot)
            live.receivers = receivers.map { ($0.endpoint.id, $0.memberOf?.group ?? "", $0.approval?.name, $0.isExternal) }
            return live
        }
        let unused = Set(result.unusedExceptions.map(\.id))
        exceptions = policy.exceptions.map { exception in
            let count = result.findings.filter { $0.exception == exception.id }.count
            let expired = exception.expires < generatedAt
            return ExceptionStatus(exception: exception, status: expired ? "expired" : unused.contains(exception.id) ? "unused" : "active", findings: count)
        }
    }

    /// Findings in report order: most severe first, then by time.
    public var findings: [Finding] {
        result.correlatedFindings.sorted { ($0.severity, $1.time, $1.id) > ($1.severity, $0.time, $0.id) }
    }

    /// Finding counts by severity and platform.
    public var counts: [Severity: [Platform: Int]] {
        var counts: [Severity: [Platform: Int]] = [:]
        for finding in result.correlatedFindings { counts[finding.severity, default: [:]][finding.platform, default: 0] += 1 }
        return counts
    }
}
