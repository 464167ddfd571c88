import MirrorwatchModel
import MirrorwatchPolicy
import MirrorwatchState

/// `baseline.drift`: the live sessions against `approved_sessions` — unexpected, changed, or gone.
enum BaselineRules {
    /// Which platform a session id belongs to, from its shape.
    static func platform(ofSessionId id: String) -> Platform {
        let key = key(id)
        if key.hasPrefix("projects/") { return .gcp }
        if key.hasPrefix("/subscriptions/") { return .azure }
        return .aws
    }

    /// A session id or reference in the one spelling used for comparison.
    static func key(_ id: String) -> String { ResourceRef.normalize(id).lowercased() }

    static func same(_ a: String, _ b: String?) -> Bool { b.map { key(a) == key($0) } ?? false }

    /// The device of a device session id (`core-sw1:monitor session 1`), nil for cloud ids.
    static func device(ofSessionId id: String) -> String? {
        let key = key(id)
        guard !key.hasPrefix("/"), !key.hasPrefix("projects/"), !key.hasPrefix("arn:"), !key.contains("://"),
              let colon = id.firstIndex(of: ":") else { return nil }
        return String(id[..<colon])
    }

    /// Whether a session list read for `scope` would include the approved session `entry`:
    /// a device's configuration lists every session of that device; a region's list, the sessions
    /// of that region (an entry that names no region is not known to be there).
    static func covers(_ list: SessionList, _ entry: ApprovedSession) -> Bool {
        if let device = device(ofSessionId: entry.id) {
            return list.scope.device?.caseInsensitiveCompare(device) == .orderedSame
        }
        guard list.scope.device == nil, list.platform == platform(ofSessionId: entry.id) else { return false }
        let scope = list.scope
        let account = entry.account.map { scope.account?.caseInsensitiveCompare($0) == .orderedSame } ?? true
        let region = (entry.region ?? Self.region(ofSessionId: entry.id)).map { scope.region == nil || scope.region == $0 } ?? true
        return account && region
    }

    /// The region a session id names (`projects/P/regions/R/packetMirrorings/N`), if any.
    static func region(ofSessionId id: String) -> String? {
        let parts = id.split(separator: "/")
        guard let at = parts.firstIndex(of: "regions"), at + 1 < parts.count else { return nil }
        return String(parts[at + 1])
    }

    static func evaluate(graph: MirrorGraph, assessor: Assessor, context: RuleContext) -> [Finding] {
        guard let approved = context.policy.approvedSessions else { return [] }
        var findings: [Finding] = []
        let byId = Dictionary(approved.map { (Self.key($0.id), $0) }, uniquingKeysWith: { a, _ in a })
        for session in graph.sessions.values.sorted(by: { $0.id < $1.id }) {
            let a = assessor.assess(session: session, graph: graph)
            guard let entry = byId[Self.key(session.id)] else {
                findings.append(FindingFactory.make(
                    RuleID.drift, a.destinationUnapproved || a.destinationExternal ? .high : .medium,
                    title: "Unexpected live session \(ResourceRef.shortName(of: session.id))",
                    why: Narrative.liveSession(a) + " It is not in the approved baseline (approved_sessions).",
                    benignIf: "The session is sanctioned: add it to approved_sessions (mirrorwatch baseline learn drafts the entry).",
                    assessment: a, context: context, subject: session.id + "|unexpected"))
                continue
            }
            var differences: [String] = []
            let liveTarget = session.targetRef ?? session.inlineDestination?.id
            if let target = entry.target, !Self.same(target, liveTarget) { differences.append("target \(liveTarget ?? "none") instead of \(target)") }
            if let filter = entry.filter, !Self.same(filter, session.filterRef) { differences.append("filter \(session.filterRef ?? "none") instead of \(filter)") }
            if let source = entry.source, !session.sources.contains(where: { Self.same(source, $0.id) }) {
                differences.append("source \(session.sources.map(\.id).joined(separator: ",")) instead of \(source)")
            }
            if let number = entry.sessionNumber, let live = session.sessionNumber, live != number {
                differences.append("session number \(live) instead of \(number) (the order sessions on an interface take packets in)")
            }
            if entry.wholePackets || entry.packetLength != nil, session.packetLengthKnown, session.packetLength != entry.packetLength {
                let live = session.packetLength.map { "the first \($0) bytes of each packet" } ?? "whole packets"
                differences.append("\(live) instead of \(entry.packetLength.map { "the first \($0) bytes" } ?? "whole packets")")
            }
            if !differences.isEmpty {
                findings.append(FindingFactory.make(
                    RuleID.drift, .high,
                    title: "Approved session \(ResourceRef.shortName(of: session.id)) differs from the baseline",
                    why: Narrative.liveSession(a) + " The baseline (\(entry.location)) approves it, but it now has " + differences.joined(separator: "; ") + ".",
                    benignIf: "The change was approved: update approved_sessions.",
                    assessment: a, context: context, subject: session.id + "|modified"))
            }
        }
        let live = Set(graph.sessions.keys.map(Self.key))
        let deletions = Dictionary(graph.deletedSessions.map { (Self.key($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        let lists = graph.sessionLists.sorted()
        for entry in approved where !live.contains(Self.key(entry.id)) {
            if let deletion = deletions[Self.key(entry.id)] {
                // Who removed it, when, from which record. Blinding approved monitoring is what an intruder
                // does before mirroring elsewhere: by someone not authorized to change mirroring, high.
                let unauthorized = assessor.authorized(deletion.actor) == false
                var finding = Finding(
                    rule: RuleID.drift, severity: unauthorized ? .high : .medium, title: "Approved session \(entry.id) is missing",
                    why: "The baseline (\(entry.location)) approves session \(entry.id) (owner \(entry.owner)), but \(Narrative.actor(deletion.actor)) deleted it at \(Narrative.when(deletion.time)): monitoring that relied on it is blind."
                        + (unauthorized ? " That identity is not in authorized_identities." : ""),
                    benignIf: "The session was retired on purpose: remove it from approved_sessions.",
                    platform: deletion.platform, time: deletion.time, scope: deletion.scope, subject: entry.id + "|missing",
                    actor: deletion.actor,
                    change: ChangeSummary(operation: deletion.operation, action: deletion.action, resource: entry.id, outcome: "success"),
                    evidence: [deletion.evidence, Evidence(input: context.policy.origin, line: Int(entry.location.split(separator: ":").last ?? ""))])
                finding.resourceRefs = [entry.id]
                findings.append(finding)
                continue
            }
            // Absent: only meaningful when a session list of the entry's scope was read. An entry that
            // names no region (none written, none in its id) may be in a region whose list was not read:
            // then it is said so, at low.
            guard let listed = lists.first(where: { covers($0, entry) }) else { continue }
            let regionUnknown = listed.scope.region != nil && (entry.region ?? Self.region(ofSessionId: entry.id)) == nil
            var finding = Finding(
                rule: RuleID.drift, severity: regionUnknown ? .low : .medium, title: "Approved session \(entry.id) is missing",
                why: "The baseline (\(entry.location)) approves session \(entry.id) (owner \(entry.owner)), but it is absent from the session list read for \(listed.scope.display): monitoring that relied on it is blind."
                    + (regionUnknown ? " The entry names no region: if the session lives in a region whose list was not read, it is not missing; read that region's list, or add its region to the entry." : ""),
                benignIf: "The session was retired on purpose: remove it from approved_sessions.",
                platform: listed.platform, time: context.observationTime, scope: listed.scope, subject: entry.id + "|missing",
                evidence: [Evidence(input: context.policy.origin, line: Int(entry.location.split(separator: ":").last ?? ""))])
            finding.resourceRefs = [entry.id]
            findings.append(finding)
        }
        return findings
    }
}
