import Foundation
import MirrorwatchModel
import MirrorwatchState

/// `coverage.gap` when a dated complete session list contradicts the replayed logs: a session the
/// logs leave live is missing from it (its deletion was not logged), or a session the logs deleted
/// is listed again (its re-creation was not logged). Either way a mirroring change happened that
/// the inputs do not show, which is what someone covering their tracks would leave behind.
public enum SnapshotConsistencyRules {
    /// A session live in the replay but absent from the list in `listInput`, dated `listedAt`;
    /// `destination` is where the logs last had it send.
    public static func unloggedDeletion(of session: SessionState, destination: Endpoint?, listInput: String,
                                        listedAt: Date) -> Finding {
        let known = session.fromSnapshot
            ? "known from \(session.origin.input)"
            : "created \(session.createdAt.map { "at \(Timestamp.format($0)) " } ?? "")by \(session.createdBy?.short ?? "an unknown identity") (\(session.origin))"
        let copying = destination.map { ", copying to \($0.id)" } ?? ""
        var finding = gap(session, title: "Deletion of \(session.id) not logged: absent from the session list of \(Timestamp.format(listedAt))",
                          why: "The logs leave \(session.id) live (\(known)\(copying)), but the complete session list of \(session.scope.display) in \(listInput), dated \(Timestamp.format(listedAt)), does not have it, and no deletion of it was read. It was removed by a change the inputs do not show: logs missing or filtered for that period, a channel that is not logged, or records removed afterwards. The live state now follows the list.",
                          benignIf: "The logs between its last logged change and the list's date exist and are not among the inputs (add them), or the list was taken before the date its path names.",
                          evidence: [session.origin, Evidence(input: listInput)], listedAt: listedAt, listInput: listInput)
        // Who deleted it is what nobody knows: the creator is named in the text, not as the actor.
        finding.actor = nil
        return finding
    }

    /// A session the logs deleted (`deletion`) that the list in `listInput`, dated `listedAt`, has again.
    public static func unloggedRecreation(of session: SessionState, deletion: MirrorChange, listInput: String,
                                          listedAt: Date) -> Finding {
        gap(session, title: "Re-creation of \(session.id) not logged: listed in \(Timestamp.format(listedAt)) after its deletion",
            why: "\(deletion.actor?.short ?? "Someone") deleted \(session.id) at \(Timestamp.format(deletion.time)) (\(deletion.evidence)), but the complete session list of \(session.scope.display) in \(listInput), dated \(Timestamp.format(listedAt)), has it again, and no command re-creating it was read. Mirroring was configured by a change the inputs do not show: logs missing for that period, a local or out-of-band change, or records removed. The live state now follows the list, and the session is judged like any new one.",
            benignIf: "The re-creating change is logged in inputs not given here, or the list was taken before the date its path names.",
            evidence: [deletion.evidence, session.origin], listedAt: listedAt, listInput: listInput)
    }

    static func gap(_ session: SessionState, title: String, why: String, benignIf: String, evidence: [Evidence], listedAt: Date,
                    listInput: String) -> Finding {
        var finding = Finding(rule: RuleID.coverageGap, severity: .medium, title: title, why: why, benignIf: benignIf, platform: session.platform,
                              time: listedAt, scope: session.scope, subject: "\(session.id)|unlogged|\(listInput)", evidence: evidence,
                              attack: ["T1020.001", "T1562.008"])
        finding.resourceRefs = [session.id]
        return finding
    }
}
