import Foundation

/// A complete session list whose path dates it (`rancid/2026-11-05/core-sw1.cfg`,
/// `…/2026-11-05/describe-traffic-mirror-sessions.json`) is the truth about its scope on that date.
/// While the changes are replayed, each such list is compared, at its date, with the sessions the
/// replay has live in the same scope. Where they disagree, a change the logs should hold was not
/// read: a session the logs leave live is missing from the list (its deletion was not logged), or
/// a session the logs deleted is listed again (it was re-created without a logged command). The
/// replay then follows the list, and the disagreement is reported as a coverage gap.
///
/// A dated directory names a day, not the moment the list was taken, and in no particular time zone:
/// only sessions whose every logged change is more than `uncertainty` before the date are compared.
/// A session changed later, or on the day before, is left alone: the list may have been taken
/// before or after that change (a list dated wrongly, a folder named after an earlier day, a device
/// reusing a session number). File modification times never date a list, as copies and checkouts
/// change them, but a file written before its path's date shows that date is not when the list was
/// taken (a folder named after a later incident), and is skipped.
struct SnapshotCheckpoint {
    var time: Date
    var list: SessionList
    /// The inputs holding the list (an AWS list may come in pages, one file each).
    var inputs: [String]
    var sessions: [String: ObservedSession]

    /// How long before its path date (midnight UTC) a list may have been taken: a day's folder
    /// written in a time zone up to 14 hours east of UTC.
    static let uncertainty: TimeInterval = 14 * 3_600

    /// One checkpoint per dated list and scope, in time order; lists of one scope and date are one.
    static func collect(_ results: [ReadResult]) -> [SnapshotCheckpoint] {
        struct Key: Hashable { var time: Date; var list: SessionList }
        var byKey: [Key: SnapshotCheckpoint] = [:]
        for result in results {
            guard !result.sessionLists.isEmpty, let time = SnapshotDiffer.pathTime(result.report.input) else { continue }
            // A file written before the date its path names was not taken then (a folder named after a later incident).
            if let modified = result.report.modified, modified < time { continue }
            for list in result.sessionLists {
                let key = Key(time: time, list: list)
                var checkpoint = byKey[key] ?? SnapshotCheckpoint(time: time, list: list, inputs: [], sessions: [:])
                checkpoint.inputs.append(result.report.input)
                for session in result.sessions where session.scope == list.scope { checkpoint.sessions[session.id] = session }
                byKey[key] = checkpoint
            }
        }
        return byKey.values.sorted { ($0.time, $0.list) < ($1.time, $1.list) }
    }

    /// A session on which the list and the replayed logs disagree.
    struct Disagreement {
        /// The change that brings the replay to the list (no actor: nobody was seen making it).
        var change: MirrorChange
        /// The session as the logs left it (for a missing one), or the logged deletion (for a listed one).
        var logged: SessionState?
        var deletion: MirrorChange?
    }

    /// What was read of each session's successful changes: the last one's time, and the kind of mirroring.
    struct Logged {
        var last: Date
        var kind: MirrorResourceKind

        static func byId(_ changes: [MirrorChange]) -> [String: Logged] {
            var logged: [String: Logged] = [:]
            for change in changes where change.resourceKind.isSessionLike && change.outcome.succeeded {
                guard let id = change.resourceId else { continue }
                logged[id] = Logged(last: max(change.time, logged[id]?.last ?? change.time), kind: change.resourceKind)
            }
            return logged
        }
    }

    /// Brings `graph` (replayed up to this list's date) to the list: each disagreement is applied as
    /// a change and evaluated like one, and reported as a coverage gap.
    func reconcile(_ graph: inout MirrorGraph, logged: [String: Logged], engine: RuleEngine) -> [Finding] {
        var findings: [Finding] = []
        for disagreement in disagreements(with: graph, logged: logged) {
            let destination = disagreement.logged.flatMap { graph.destination(of: $0) }
            let applied = graph.apply(disagreement.change)
            findings += engine.evaluate(disagreement.change, applied: applied, graph: graph)
            if let session = disagreement.logged {
                findings.append(SnapshotConsistencyRules.unloggedDeletion(of: session, destination: destination, listInput: inputs[0], listedAt: time))
            } else if let deletion = disagreement.deletion, let session = applied.sessionAfter {
                findings.append(SnapshotConsistencyRules.unloggedRecreation(of: session, deletion: deletion, listInput: inputs[0], listedAt: time))
            }
        }
        return findings
    }

    /// Where `graph` (replayed up to this list's date) and the list disagree.
    func disagreements(with graph: MirrorGraph, logged: [String: Logged]) -> [Disagreement] {
        let earliest = time.addingTimeInterval(-Self.uncertainty)
        func settled(_ id: String) -> Bool { logged[id].map { $0.last < earliest } ?? true }
        let evidence = Evidence(input: inputs[0])
        var found: [Disagreement] = []
        let live = graph.sessions.values.filter { $0.platform == list.platform && $0.scope == list.scope }
        for session in live.sorted(by: { $0.id < $1.id }) where sessions[session.id] == nil && settled(session.id) {
            var change = MirrorChange(platform: list.platform, scope: list.scope, time: time, actor: nil,
                                      operation: "absent from the session list in \(inputs[0]), deletion not logged", action: .delete,
                                      outcome: .success, resourceKind: logged[session.id]?.kind ?? .session(on: list.platform), resourceId: session.id, spec: MirrorSpec(),
                                      eventId: "\(inputs[0])#\(session.id)#absent", evidence: evidence)
            change.isInferred = true
            found.append(Disagreement(change: change, logged: session))
        }
        for (id, session) in sessions.sorted(by: { $0.key < $1.key }) where graph.sessions[id] == nil && settled(id) {
            // Listed, but not live in the replay: only a logged deletion (long enough before the date) contradicts it.
            guard let deletion = graph.deletedSessions[id] else { continue }
            var change = MirrorChange(platform: list.platform, scope: list.scope, time: time, actor: nil,
                                      operation: "listed again in \(inputs[0]) after its logged deletion, re-creation not logged",
                                      action: .create, outcome: .success, resourceKind: SnapshotDiffer.kind(of: session), resourceId: id,
                                      spec: session.spec, eventId: "\(inputs[0])#\(id)#listed", evidence: session.evidence)
            change.isInferred = true
            found.append(Disagreement(change: change, deletion: deletion))
        }
        return found
    }
}
