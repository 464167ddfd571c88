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
