/// What a token may do. Roles are cumulative from viewer to admin; `ingest` may only post data.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Posts batches and nothing else (collectors, forwarders).
    case ingest
    /// Reads findings, state, coverage and metrics.
    case viewer
    /// A viewer who also acknowledges, resolves and reopens findings.
    case analyst
    /// Everything, including the audit log and tokens.
    case admin

    /// What a request needs.
    public enum Permission: Sendable {
        case ingest, view, triage, administer
    }

    public func allows(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (.admin, _): return true
        case (.ingest, .ingest): return true
        case (.analyst, .view), (.analyst, .triage), (.viewer, .view): return true
        default: return false
        }
    }
}
