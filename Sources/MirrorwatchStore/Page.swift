import Foundation

/// A window of a long list: at most `limit` rows (nil: all of them) after skipping `offset`.
public struct Page: Sendable, Equatable {
    public var limit: Int?
    public var offset: Int

    public init(limit: Int?, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }

    /// Every row.
    public static let everything = Page(limit: nil)
}

/// One page of a list, and how many rows the whole list has.
public struct Paged<Row: Sendable>: Sendable {
    public var rows: [Row]
    public var total: Int

    public init(rows: [Row], total: Int) {
        self.rows = rows
        self.total = total
    }

    /// Where the next page starts, or nil when `page` reached the end.
    public func nextOffset(after page: Page) -> Int? {
        let next = page.offset + rows.count
        return rows.isEmpty || next >= total ? nil : next
    }
}

/// Which findings a list asks for; nil asks nothing of that field.
public struct FindingFilter: Sendable, Equatable {
    public var status: FindingStatus?
    public var severity: String?
    /// Only findings first seen at or after this time (to the second, as stores keep it): what is
    /// new since a poll, however the rest of the list changed meanwhile.
    public var firstSeenSince: Date?

    /// Only findings first recorded after the one with this ``StoredFinding/sequence``, listed in the
    /// order they were recorded (oldest first) instead of ``FindingOrder``: an exact cursor for polling.
    /// Sequence numbers are given in the order the recording transactions commit, so a list read at
    /// any moment holds every finding up to its last one.
    public var recordedAfter: Int64?

    /// `firstSeenSince` as the stores write times.
    public var firstSeenSinceText: String? { firstSeenSince.map(StoreTime.format) }

    public init(status: FindingStatus? = nil, severity: String? = nil, firstSeenSince: Date? = nil, recordedAfter: Int64? = nil) {
        self.status = status
        self.severity = severity
        self.firstSeenSince = firstSeenSince
        self.recordedAfter = recordedAfter
    }
}

extension ServiceStore {
    /// One page of the findings, optionally only those in `status` or of `severity`.
    public func findings(status: FindingStatus?, severity: String?, page: Page) async throws -> Paged<StoredFinding> {
        try await findings(FindingFilter(status: status, severity: severity), page: page)
    }

    /// Every finding, in ``FindingOrder``, optionally only those in `status` or of `severity`.
    public func findings(status: FindingStatus?, severity: String?) async throws -> [StoredFinding] {
        try await findings(FindingFilter(status: status, severity: severity), page: .everything).rows
    }

    /// The whole audit log, oldest first.
    public func auditLog() async throws -> [AuditEntry] { try await auditLog(page: .everything).rows }
}
