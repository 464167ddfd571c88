import Foundation
import Mirrorwatch
import MirrorwatchStore

/// Exceptions made through the service: checked like the policy file's (a rule, at least one of
/// resource, destination, account or device, an owner, a justification and an expiry no further
/// than a year ahead), stored, and added to the policy the rules run with.
enum ServiceExceptions {
    struct Invalid: Error, CustomStringConvertible { var description: String }

    /// An exception from submitted fields (API JSON or UI form), or the reason it is refused.
    static func validated(_ fields: [String: String], now: Date = Date()) throws -> StoredException {
        func value(_ key: String) -> String? { fields[key].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } }
        guard let rule = value("rule") else { throw Invalid(description: "rule is required (a rule id, or a pattern such as mirror.*)") }
        guard let owner = value("owner") else { throw Invalid(description: "owner is required: who answers for this exception") }
        guard let justification = value("justification") else { throw Invalid(description: "justification is required: why the finding is benign") }
        guard let expiresText = value("expires") else { throw Invalid(description: "expires is required (YYYY-MM-DD)") }
        guard let expires = expiry(expiresText) else { throw Invalid(description: "expires must be a date, YYYY-MM-DD, not '\(expiresText)'") }
        guard expires > now else { throw Invalid(description: "expires (\(expiresText)) is already past") }
        guard expires <= now.addingTimeInterval(367 * 86400) else { throw Invalid(description: "expires is more than a year ahead: review exceptions at least yearly") }
        let exception = StoredException(rule: rule, resource: value("resource"), destination: value("destination"), account: value("account"),
                                        device: value("device"), owner: owner, justification: justification, ticket: value("ticket"), expires: expiresText)
        guard exception.resource != nil || exception.destination != nil || exception.account != nil || exception.device != nil else {
            throw Invalid(description: "name what the exception covers: resource, destination, account or device")
        }
        return exception
    }

    /// Checks `fields`, stores the exception (audit log: `by`) and has the rules run with it.
    static func make(_ fields: [String: String], by caller: Caller, store: any ServiceStore, pipeline: FindingPipeline) async throws -> StoredException {
        let stored = try await store.addException(try validated(fields), by: caller.name)
        try await pipeline.requestReevaluation(reason: "exception \(stored.id) created by \(caller.name)")
        return stored
    }

    /// The first instant after the expiry day (UTC).
    static func expiry(_ text: String) -> Date? {
        guard text.count == 10, let day = Timestamp.parse(text + "T00:00:00Z") else { return nil }
        return day.addingTimeInterval(86400)
    }

    /// `expired` past its expiry day, `unused` when the last evaluation matched nothing with it, else `active`.
    static func status(of exception: StoredException, unused: Set<String>, now: Date = Date()) -> String {
        let expired = expiry(exception.expires).map { $0 <= now } ?? true
        return expired ? "expired" : unused.contains(exception.id) ? "unused" : "active"
    }

    /// As the policy's exceptions, for the rules.
    static func policyExceptions(_ stored: [StoredException]) -> [PolicyException] {
        stored.compactMap { e in
            guard let expires = expiry(e.expires) else { return nil }
            var match = PolicyException.Match()
            match.resource = e.resource
            match.destination = e.destination
            match.account = e.account
            match.device = e.device
            return PolicyException(id: e.id, rule: e.rule, match: match, owner: e.owner, justification: e.justification, ticket: e.ticket,
                                   expires: expires, expiresText: e.expires, location: "made in the service by \(e.createdBy) at \(e.createdAt)")
        }
    }
}
