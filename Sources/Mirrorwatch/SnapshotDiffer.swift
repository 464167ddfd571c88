import Foundation

/// Turns successive snapshots of one scope into changes: a device whose configuration was saved
/// twice (RANCID, Oxidized) shows what changed in its mirroring even when no log was kept.
///
/// Inputs holding a complete session list of the same platform and scope are ordered by their
/// modification time (then name); the earliest is the starting state, and each later one is
/// compared with the one before it: sessions that appear are creates, that vanish are deletes,
/// whose source, destination or switch changed are modifies.
enum SnapshotDiffer {
    struct Outcome {
        /// Inputs whose sessions are later states (replayed as changes, not seeded).
        var later: Set<Int> = []
        var changes: [MirrorChange] = []
    }

    static func diff(_ results: [ReadResult]) -> Outcome {
        var outcome = Outcome()
        var byList: [SessionList: [Int]] = [:]
        for (index, result) in results.enumerated() {
            for list in result.sessionLists { byList[list, default: []].append(index) }
        }
        for (list, indices) in byList.sorted(by: { $0.key < $1.key }) where indices.count > 1 {
            let times = Dictionary(uniqueKeysWithValues: indices.map { ($0, time(of: results[$0].report)) })
            let ordered = indices.sorted { (times[$0]!, results[$0].report.input) < (times[$1]!, results[$1].report.input) }
            for (older, newer) in zip(ordered, ordered.dropFirst()) {
                outcome.later.insert(newer)
                outcome.changes += compare(results[older], results[newer], list: list)
            }
        }
        return outcome
    }

    static func compare(_ older: ReadResult, _ newer: ReadResult, list: SessionList) -> [MirrorChange] {
        let before = Dictionary(older.sessions.filter { $0.scope == list.scope }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(newer.sessions.filter { $0.scope == list.scope }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let time = time(of: newer.report)
        let operation = "configuration change (\(older.report.input) → \(newer.report.input))"
        var changes: [MirrorChange] = []
        func change(_ session: ObservedSession, _ action: ChangeAction, evidence: Evidence) -> MirrorChange {
            // A deletion gets a key of its own: sessions vanishing from one file share its evidence, and
            // their findings must not be taken for one change (or share an id).
            MirrorChange(platform: list.platform, scope: list.scope, time: time, actor: nil, operation: operation, action: action,
                         outcome: .success, resourceKind: kind(of: session), resourceId: session.id, spec: action == .delete ? MirrorSpec() : session.spec,
                         eventId: action == .delete ? "\(newer.report.input)#\(session.id)#deleted" : nil, evidence: evidence)
        }
        for (id, session) in after.sorted(by: { $0.key < $1.key }) {
            guard let old = before[id] else { changes.append(change(session, .create, evidence: session.evidence)); continue }
            if fingerprint(old.spec) != fingerprint(session.spec) { changes.append(change(session, .modify, evidence: session.evidence)) }
        }
        for (id, session) in before.sorted(by: { $0.key < $1.key }) where after[id] == nil {
            changes.append(change(session, .delete, evidence: Evidence(input: newer.report.input)))
        }
        return changes
    }

    /// When a snapshot was taken: a date in its path (`rancid/2026-11-05/core-sw1.cfg`,
    /// `core-sw1.20261105T0600`), which survives copies and checkouts, else the file's modification time.
    static func time(of report: InputReport) -> Date {
        pathTime(report.input) ?? report.modified ?? .distantPast
    }

    /// The date a snapshot's path names, if any.
    static func pathTime(_ path: String) -> Date? { Timestamp.inPath(path) }

    /// What matters of a session for mirroring: where from, where to, through what, switched on or not.
    static func fingerprint(_ spec: MirrorSpec) -> [String] {
        [spec.sources.map(\.id).sorted().joined(separator: ","), spec.targetRef ?? "", spec.filterRef ?? "",
         spec.destination?.id ?? "", spec.otherDestinations.map(\.id).joined(separator: ","), spec.enabled.map { "\($0)" } ?? "", spec.rules.map(\.summary).sorted().joined(separator: ","),
         // The order sessions take packets in (AWS) and how much of each they copy.
         spec.sessionNumber.map(String.init) ?? "", MirrorGraph.truncation(spec.packetLength).map(String.init) ?? ""]
    }

    static func kind(of session: ObservedSession) -> MirrorResourceKind {
        session.kind ?? .session(on: session.platform)
    }
}
