import Foundation

/// A change ticket from an ITSM export (ServiceNow, Jira, ...).
public struct ChangeTicket: Sendable {
    public var id: String
    public var state: String?
    public var summary: String?
    public var start: Date?
    public var end: Date?
    /// Assignee, requester and other people named on the ticket.
    public var people: [String]
    /// Affected resources, configuration items, devices or accounts, as written.
    public var resources: [String]
    public var evidence: Evidence

    public init(id: String, state: String?, summary: String?, start: Date?, end: Date?, people: [String], resources: [String], evidence: Evidence) {
        self.id = id
        self.state = state
        self.summary = summary
        self.start = start
        self.end = end
        self.people = people
        self.resources = resources
        self.evidence = evidence
    }

    /// States in which a ticket authorises work: approved, scheduled, being implemented, or
    /// completed after implementation (so that archived scans still match closed tickets).
    /// Whether the ticket says it is about mirroring (its summary names mirroring, a tap, SPAN,
    /// an analyzer, a capture, a sensor or collector): needed when it names only what is mirrored,
    /// the device or the account, which tickets for any other work name too.
    public var mentionsMirroring: Bool {
        let words = (summary ?? "").lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let stems = ["mirror", "tap", "vtap", "span", "rspan", "erspan", "analyzer", "analyser", "capture", "sensor", "collector", "ndr",
                     "pcap", "sniff", "monitor"]
        return words.contains { word in stems.contains { word == $0 || (word.hasPrefix($0) && $0.count >= 5) } }
    }

    public var authorizesWork: Bool {
        guard let state = state?.lowercased().trimmingCharacters(in: .whitespaces), !state.isEmpty else { return false }
        // Refusals anywhere in the state ("Closed Incomplete", "Not Approved") outrank the words that allow.
        let refusedAnywhere = ["cancel", "reject", "fail", "unsuccessful", "incomplete", "unapprov", "disapprov", "not approved",
                               "not authori", "denied", "withdrawn", "skipped"]
        if refusedAnywhere.contains(where: { state.contains($0) }) { return false }
        let refusedStart = ["new", "draft", "assess", "authorize", "pending", "request", "open", "to do", "backlog"]
        if refusedStart.contains(where: { state.hasPrefix($0) }) { return false }
        let allowed = ["approved", "scheduled", "implement", "in progress", "review", "closed", "complete", "done", "resolved", "successful"]
        return allowed.contains(where: { state.contains($0) })
    }
}
