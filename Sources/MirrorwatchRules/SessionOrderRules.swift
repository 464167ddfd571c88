import MirrorwatchModel
import MirrorwatchState

/// `mirror.session.repointed` when a new or renumbered AWS session goes before an approved one on
/// the same source interface. AWS mirrors each packet once, by the lowest-numbered session whose
/// filter accepts it: a session numbered below the sensor's takes that traffic away from the sensor
/// without touching the approved session at all, which no check of the approved session would see.
enum SessionOrderRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard let change = a.change, change.outcome.succeeded, let session = a.session, let number = session.sessionNumber else { return [] }
        let mine = a.destination?.endpoint.id.lowercased()
        // Only an approved session loses something worth telling: its sensor stops seeing that traffic.
        let starved = a.outranked.filter { other in
            other.destination?.isApproved == true && other.destination?.endpoint.id.lowercased() != mine
        }
        guard !starved.isEmpty else { return [] }
        let catchAll = !(a.sessionFilter?.catchAllDirections.isEmpty ?? true)
        let takes = catchAll ? "every packet (its filter \(session.filterRef ?? "?") copies all traffic)" : "every packet its filter \(session.filterRef ?? "?") accepts"
        let names = starved.compactMap { $0.session.map { ResourceRef.shortName(of: $0.id) } }
        let lines = starved.compactMap { other -> String? in
            guard let s = other.session else { return nil }
            return "\(s.id) (session number \(s.sessionNumber.map(String.init) ?? "?"), to approved \(other.destination?.endpoint.id ?? "?"))"
        }
        let shared = Set(session.sources.map { $0.id.lowercased() })
        let interfaces = Set(starved.flatMap { $0.session?.sources ?? [] }.map(\.id).filter { shared.contains($0.lowercased()) }).sorted()
        let severity: Severity = a.allDestinationsApproved ? (a.fullyAuthorized ? .low : .medium) : SessionRules.repointSeverity(a)
        return [FindingFactory.make(
            RuleID.repointed, severity,
            title: "Session \(ResourceRef.shortName(of: session.id)) (number \(number)) goes before approved \(names.joined(separator: ", ")) on \(interfaces.joined(separator: ", "))",
            why: Narrative.change(a) + " AWS mirrors a packet once, by the lowest-numbered session whose filter accepts it: on \(interfaces.joined(separator: ", ")) "
                + "this session now takes \(takes) before \(lines.joined(separator: ", ")), so the approved sensor no longer sees that traffic. "
                + "An approved session left untouched while a lower-numbered one takes its traffic is a quiet re-pointing.",
            benignIf: "The new session is an approved sensor taking over from the old one, under a change ticket (then delete the old session or give it a lower number).",
            assessment: a, context: context, subject: change.key + "|outranks",
            extraEvidence: starved.compactMap { $0.session?.origin })]
    }
}
