import MirrorwatchModel
import MirrorwatchState

/// `mirror.session.repointed` when the order mirroring is applied in turns against an approved
/// session. AWS mirrors each packet once, by the lowest-numbered session on the source interface
/// whose filter accepts it; GCP applies, per instance, the matching packet mirroring policy with the
/// lowest priority number. A session numbered below the sensor's takes that traffic away from the
/// sensor without touching the approved session at all, and so does renumbering the approved
/// session behind another one. No check of the approved session's own settings sees it.
enum SessionOrderRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard let change = a.change, change.outcome.succeeded, let session = a.session, session.sessionNumber != nil else { return [] }
        return goesBefore(change, session, a, context) + comesAfter(change, session, a, context)
    }

    /// This session now takes packets before approved ones (created, renumbered or moved lower).
    static func goesBefore(_ change: MirrorChange, _ session: SessionState, _ a: Assessment, _ context: RuleContext) -> [Finding] {
        let mine = a.destination?.endpoint.id.lowercased()
        // Only an approved session loses something worth telling: its sensor stops seeing that traffic.
        let starved = a.outranked.filter { $0.destination?.isApproved == true && $0.destination?.endpoint.id.lowercased() != mine }
        guard !starved.isEmpty else { return [] }
        let interfaces = sharedInterfaces(session, starved)
        let severity: Severity = a.allDestinationsApproved ? (a.fullyAuthorized ? .low : .medium) : SessionRules.repointSeverity(a)
        return [FindingFactory.make(
            RuleID.repointed, severity,
            title: "Session \(ResourceRef.shortName(of: session.id)) (\(word(session.platform)) \(session.sessionNumber ?? 0)) goes before approved \(names(starved)) on \(interfaces)",
            why: Narrative.change(a) + " \(rule(session.platform)) On \(interfaces) this session now takes \(takes(session, a.sessionFilter)) before "
                + "\(describe(starved)), so the approved sensor no longer sees that traffic. "
                + "An approved session left untouched while a lower-numbered one takes its traffic is a quiet re-pointing.",
            benignIf: "The new session is an approved sensor taking over from the old one, under a change ticket (then delete the old session or give it a lower number).",
            assessment: a, context: context, subject: change.key + "|outranks",
            extraEvidence: starved.compactMap { $0.session?.origin })]
    }

    /// This approved session now comes after sessions that send elsewhere (renumbered or moved higher).
    static func comesAfter(_ change: MirrorChange, _ session: SessionState, _ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard a.destination?.isApproved == true else { return [] }
        let mine = a.destination?.endpoint.id.lowercased()
        let before = a.outranking.filter { $0.destination?.endpoint.id.lowercased() != mine }
        guard !before.isEmpty else { return [] }
        let interfaces = sharedInterfaces(session, before)
        let risky = before.filter { $0.destinationUnapproved || $0.destinationExternal }
        let severity: Severity = risky.isEmpty ? (a.fullyAuthorized ? .low : .medium) : (a.sensitiveSegments.isEmpty ? .high : .critical)
        return [FindingFactory.make(
            RuleID.repointed, severity,
            title: "Approved session \(ResourceRef.shortName(of: session.id)) (now \(word(session.platform)) \(session.sessionNumber ?? 0)) comes after \(names(before)) on \(interfaces)",
            why: Narrative.change(a) + " \(rule(session.platform)) On \(interfaces) \(describe(before)) now take each packet their filters accept before this approved session does, "
                + "so its sensor gets only what they leave" + (risky.isEmpty ? "." : ", and \(names(risky)) send to destinations that are not approved.")
                + " Moving an approved session behind another one is a quiet re-pointing.",
            benignIf: "The sessions before it are approved sensors too, and the new order is part of a change under a ticket.",
            assessment: a, context: context, subject: change.key + "|outranked",
            extraEvidence: before.compactMap { $0.session?.origin })]
    }

    /// How the platform decides which session copies a packet.
    static func rule(_ platform: Platform) -> String {
        platform == .gcp
            ? "GCP applies, per instance, one matching packet mirroring policy: the one with the lowest priority number."
            : "AWS mirrors a packet once, by the lowest-numbered session whose filter accepts it."
    }

    /// What the platform calls a session's place in that order.
    static func word(_ platform: Platform) -> String { platform == .gcp ? "priority" : "number" }

    static func takes(_ session: SessionState, _ filter: FilterState?) -> String {
        let catchAll = !(filter?.catchAllDirections.isEmpty ?? true)
        return catchAll ? "every packet (its filter \(session.filterRef ?? "?") copies all traffic)" : "every packet its filter \(session.filterRef ?? "?") accepts"
    }

    static func names(_ sessions: [Assessment]) -> String {
        sessions.compactMap { $0.session.map { ResourceRef.shortName(of: $0.id) } }.joined(separator: ", ")
    }

    /// `tms-1 (session number 5, to approved eni-…)` for each session.
    static func describe(_ sessions: [Assessment]) -> String {
        sessions.compactMap { other -> String? in
            guard let s = other.session else { return nil }
            let to = other.destination.map { ($0.isApproved ? "approved " : "") + $0.endpoint.id } ?? "?"
            return "\(s.id) (\(s.platform == .gcp ? "priority" : "session number") \(s.sessionNumber.map(String.init) ?? "?"), to \(to))"
        }.joined(separator: ", ")
    }

    /// The source interfaces `session` shares with `others`.
    static func sharedInterfaces(_ session: SessionState, _ others: [Assessment]) -> String {
        let shared = Set(session.sources.map { $0.id.lowercased() })
        return Set(others.flatMap { $0.session?.sources ?? [] }.filter { shared.contains($0.id.lowercased()) }
            .map { ResourceRef.shortName(of: $0.id) }).sorted().joined(separator: ", ")
    }
}
