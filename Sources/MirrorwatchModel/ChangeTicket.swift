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

    /// Whether the ticket says it is about mirroring (its summary names mirroring, a tap, SPAN,
    /// RSPAN or ERSPAN, an analyzer, a packet capture, an NDR sensor or collector, a monitor
    /// session): needed when it names only what is mirrored, the device or the account, which
    /// tickets for any other work name too ("Upgrade the monitoring agent on web-1" is not one).
    public var mentionsMirroring: Bool {
        let text = (summary ?? "").lowercased()
        let words = Set(text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        if words.contains(where: { $0.hasPrefix("mirror") }) { return true }
        if !words.isDisjoint(with: ["tap", "vtap", "span", "rspan", "erspan", "analyzer", "analyser", "pcap", "ndr", "sniffer"]) { return true }
        return ["monitor session", "packet capture", "traffic capture", "port mirroring", "port-mirroring", "ndr sensor", "ndr collector",
                "packet broker", "tap aggregator"].contains { text.contains($0) }
    }

    /// States in which a ticket authorises work: approved, scheduled, being implemented, or
    /// completed after implementation (so that archived scans still match closed tickets).
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
