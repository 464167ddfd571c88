import MirrorwatchModel
import MirrorwatchPolicy
import MirrorwatchState

/// `baseline.drift`: the live sessions against `approved_sessions` — unexpected, changed, or gone.
enum BaselineRules {
    static func evaluate(graph: MirrorGraph, assessor: Assessor, context: RuleContext) -> [Finding] {
        guard let approved = context.policy.approvedSessions else { return [] }
        var findings: [Finding] = []
        let byId = Dictionary(approved.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for session in graph.sessions.values.sorted(by: { $0.id < $1.id }) {
            let a = assessor.assess(session: session, graph: graph)
            guard let entry = byId[session.id] else {
                findings.append(FindingFactory.make(
                    RuleID.drift, a.destinationUnapproved || a.destinationExternal ? .high : .medium,
                    title: "Unexpected live session \(session.id)",
                    why: Narrative.liveSession(a) + " It is not in the approved baseline (approved_sessions).",
                    benignIf: "The session is sanctioned: add it to approved_sessions (mirrorwatch baseline learn drafts the entry).",
                    assessment: a, context: context, subject: session.id + "|unexpected"))
                continue
            }
            var differences: [String] = []
            if let target = entry.target, target != session.targetRef { differences.append("target \(session.targetRef ?? "none") instead of \(target)") }
            if let filter = entry.filter, filter != session.filterRef { differences.append("filter \(session.filterRef ?? "none") instead of \(filter)") }
            if let source = entry.source, !session.sources.contains(where: { $0.id == source }) {
                differences.append("source \(session.sources.map(\.id).joined(separator: ",")) instead of \(source)")
            }
            if !differences.isEmpty {
                findings.append(FindingFactory.make(
                    RuleID.drift, .high,
                    title: "Approved session \(session.id) differs from the baseline",
                    why: Narrative.liveSession(a) + " The baseline (\(entry.location)) approves it, but it now has " + differences.joined(separator: "; ") + ".",
                    benignIf: "The change was approved: update approved_sessions.",
                    assessment: a, context: context, subject: session.id + "|modified"))
            }
        }
        for entry in approved where graph.sessions[entry.id] == nil {
            guard graph.deletedSessions[entry.id] != nil || !graph.snapshotScopes.isEmpty else { continue }
            let how = graph.deletedSessions[entry.id].map { "was deleted at \(Narrative.when($0))" } ?? "is absent from the session snapshots read"
            var finding = Finding(
                rule: RuleID.drift, severity: .medium, title: "Approved session \(entry.id) is missing",
                why: "The baseline (\(entry.location)) approves session \(entry.id) (owner \(entry.owner)), but it \(how): monitoring that relied on it is blind.",
                benignIf: "The session was retired on purpose: remove it from approved_sessions.",
                platform: .aws, time: context.observationTime, scope: Scope(), subject: entry.id + "|missing",
                evidence: [Evidence(input: context.policy.origin, line: Int(entry.location.split(separator: ":").last ?? ""))])
            finding.resourceRefs = [entry.id]
            findings.append(finding)
        }
        return findings
    }
}
