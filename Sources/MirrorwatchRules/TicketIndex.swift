import Foundation
import MirrorwatchModel

/// The outcome of looking for a change ticket: the ticket, or precisely why none matched.
public struct TicketMatch: Sendable {
    public var ticket: ChangeTicket?
    public var reason: String
    /// True when a ticket was required and none matched.
    public var missing: Bool

    public static let notRequired = TicketMatch(ticket: nil, reason: "no ticket required by policy", missing: false)
}

/// Change tickets indexed by the resources they name.
public struct TicketIndex: Sendable {
    private var byResource: [String: [ChangeTicket]] = [:]
    public private(set) var count = 0

    public init(_ tickets: [ChangeTicket] = []) {
        for ticket in tickets { add(ticket) }
    }

    public mutating func add(_ ticket: ChangeTicket) {
        count += 1
        var names = Set(ticket.resources.map { $0.lowercased() })
        // Resource ids written into the summary count too ("Mirror eni-0abc to NDR sensor").
        for token in (ticket.summary ?? "").split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }) where token.contains("-") {
            names.insert(token.lowercased())
        }
        for name in names { byResource[name, default: []].append(ticket) }
    }

    /// The ticket that authorizes a change to any of `refs` at `time` by `actor`, allowing
    /// `window` on each side. A ticket that names people (assignee, requester) covers only
    /// changes made by one of them; one that names nobody covers whoever made the change.
    /// A ticket that names only the `account` (no resource) covers every change in it. A ticket
    /// found only through `contextRefs` (what is mirrored, the device) or the account must say it is
    /// about mirroring (`ChangeTicket.mentionsMirroring`): a patching ticket for the mirrored
    /// instance authorizes no mirroring of it.
    public func match(refs: [String], contextRefs: Set<String> = [], account: String? = nil, at time: Date, window: TimeInterval,
                      actor: Actor? = nil, alsoKnownAs: [String] = []) -> TicketMatch {
        var candidates: [ChangeTicket] = []
        var seen = Set<String>()
        var specific = Set<String>()
        func key(_ ticket: ChangeTicket) -> String { ticket.id + ticket.evidence.description }
        // Tickets name GCP and Azure resources by their short name ("pm-ndr", "tap-ndr") as often as by path.
        // A context ref's short name ("web-1" for a GCP instance path) is context too.
        let context = Set((contextRefs.map { $0 } + contextRefs.filter { $0.contains("/") }.map { ResourceRef.name(of: $0) }).map { $0.lowercased() })
        let expanded = refs + refs.filter { $0.contains("/") }.map { ResourceRef.name(of: $0) }
        for ref in expanded {
            for ticket in byResource[ref.lowercased()] ?? [] {
                if !context.contains(ref.lowercased()) { specific.insert(key(ticket)) }
                if seen.insert(key(ticket)).inserted { candidates.append(ticket) }
            }
        }
        if let account {
            let wanted = account.lowercased()
            for ticket in byResource[wanted] ?? [] where ticket.resources.allSatisfy({ $0.lowercased() == wanted })
                && seen.insert(key(ticket)).inserted {
                candidates.append(ticket)
            }
        }
        let named = refs.prefix(4).joined(separator: ", ")
        guard !candidates.isEmpty else {
            return TicketMatch(ticket: nil, reason: count == 0 ? "no tickets were read" : "no ticket names \(named)", missing: true)
        }
        var reasons: [String] = []
        for ticket in candidates.sorted(by: { $0.id < $1.id }) {
            guard ticket.authorizesWork else {
                reasons.append("\(ticket.id) is in state '\(ticket.state ?? "unknown")', which does not authorize work")
                continue
            }
            guard ticket.start != nil || ticket.end != nil else {
                reasons.append("\(ticket.id) has no change window")
                continue
            }
            guard specific.contains(key(ticket)) || ticket.mentionsMirroring else {
                reasons.append("\(ticket.id) (\(ticket.summary ?? "no summary")) names only what is mirrored, the device or the account, and does not say it is about mirroring")
                continue
            }
            if let actor, !ticket.people.isEmpty, !Self.names(actor, among: ticket.people, alsoKnownAs: alsoKnownAs) {
                if Self.names(actor, among: ticket.people, alsoKnownAs: alsoKnownAs, trustingCallerNames: true) {
                    reasons.append("\(ticket.id) is for \(ticket.people.joined(separator: ", ")); the role session \(actor.name) is named so, but whoever "
                                   + "assumes a role chooses its session name, and no sign-in read shows who did")
                } else {
                    reasons.append("\(ticket.id) is for \(ticket.people.joined(separator: ", ")), not \(actor.userName ?? actor.name)")
                }
                continue
            }
            let start = (ticket.start ?? ticket.end!).addingTimeInterval(-window)
            let end = (ticket.end ?? ticket.start!).addingTimeInterval(window)
            if time >= start && time <= end {
                return TicketMatch(ticket: ticket, reason: "\(ticket.id) (\(ticket.state ?? "")) names the resource, its people and its window cover the change", missing: false)
            }
            reasons.append("\(ticket.id)'s window \(Timestamp.format(ticket.start ?? ticket.end!))–\(Timestamp.format(ticket.end ?? ticket.start!)) (±\(DurationText.format(window))) does not cover the change")
        }
        return TicketMatch(ticket: nil, reason: reasons.joined(separator: "; "), missing: true)
    }

    /// Whether one of `people` (e-mails or user names from the ticket) is the actor: the person
    /// appears in one of the actor's names (an e-mail, a user ARN, the SSO user of a session, the
    /// verified identities behind it in `alsoKnownAs`). A name the caller chose (an AWS role
    /// session name or federated user name) names nobody: anyone allowed to assume the role may
    /// call the session "alice@example.com".
    static func names(_ actor: Actor, among people: [String], alsoKnownAs: [String] = [], trustingCallerNames: Bool = false) -> Bool {
        let own = callerChoseName(actor) && !trustingCallerNames ? [] : [actor.name, actor.userName].compactMap { $0 }
        let names = (own + [actor.sessionIssuer].compactMap { $0 } + alsoKnownAs).map { $0.lowercased() }
        // Device accounts are names of their own; a role session name is chosen by the caller.
        let deviceAccount = ["device-user", "tacacs-user", "local-account"].contains(actor.type ?? "") ? actor.name.lowercased() : nil
        return people.contains { person in
            let wanted = person.lowercased().trimmingCharacters(in: .whitespaces)
            guard wanted.count >= 3 else { return false }
            // A device account is often the local part of the person's e-mail (alice for alice@example.com).
            let local = wanted.split(separator: "@").first.map(String.init) ?? wanted
            return names.contains { name in
                name == wanted || name.hasSuffix("/" + wanted) || name.hasSuffix(":" + wanted) || name.contains("/" + wanted + "/")
                    || (deviceAccount == name && name == local)
            }
        }
    }

    /// Whether the actor's own name was chosen by whoever made the call: an AWS role session
    /// (`AssumeRole` takes any session name) other than IAM Identity Center's, where AWS names the
    /// session after the signed-in user, or a federated user (`GetFederationToken` takes any name).
    static func callerChoseName(_ actor: Actor) -> Bool {
        switch actor.type {
        case "AssumedRole": return !(actor.sessionIssuer ?? "").lowercased().contains("/aws-reserved/sso.amazonaws.com/")
        case "FederatedUser": return true
        default: return false
        }
    }
}
