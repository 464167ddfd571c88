import Foundation
import MirrorwatchModel

/// `coverage.gap` and `coverage.logging-tampered` for network devices: can we see what changed?
public enum CoverageRules {
    public static func evaluate(_ activity: [DeviceActivity], context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let byDevice = Dictionary(grouping: activity, by: { $0.device.lowercased() })
        for (_, events) in byDevice.sorted(by: { $0.key < $1.key }) {
            let configured = events.filter { $0.kind == .configured }
            if let first = configured.first, !events.contains(where: { $0.kind == .commandLogged }) {
                let last = configured.last!
                var finding = Finding(
                    rule: RuleID.coverageGap, severity: .medium,
                    title: "\(first.device) was configured \(configured.count) time(s) with no command log",
                    why: "\(first.device) reported configuration changes (\(configured.count), last by \(last.actor?.name ?? "an unknown user") at \(last.time.map(Timestamp.format) ?? "an unknown time")), but no command-level record (IOS `archive` / `log config`, accounting, TACACS+, Junos UI_CMDLINE_READ_LINE) was read for it: we see that it changed, not what. A mirroring change there is invisible.",
                    benignIf: "Command logging is configured and its logs are simply not among the inputs: add them (or a TACACS+ accounting export).",
                    platform: first.platform, time: last.time ?? context.observationTime, scope: Scope(device: first.device),
                    subject: first.device + "|no-command-log", actor: last.actor, evidence: configured.prefix(5).map(\.evidence), attack: ["T1020.001", "T1562.006"])
                finding.resourceRefs = [first.device]
                findings.append(finding)
            }
            for event in events {
                guard case .loggingTampered(let command) = event.kind else { continue }
                var finding = Finding(
                    rule: RuleID.loggingTampered, severity: .high,
                    title: "Logging switched off on \(event.device): \(command)",
                    why: "\(event.actor?.name ?? "An unknown user")\(event.actor?.sourceIP.map { " from \($0)" } ?? "") ran '\(command)' on \(event.device) at \(event.time.map(Timestamp.format) ?? "an unknown time"). It stops logs or command accounting that show configuration changes; an attacker does this before setting up mirroring.",
                    benignIf: "A planned logging migration under a change ticket, with the new destination configured at the same time.",
                    platform: event.platform, time: event.time ?? context.observationTime, scope: Scope(device: event.device),
                    subject: event.device + "|" + command + "|" + (event.time.map(Timestamp.format) ?? event.evidence.position), actor: event.actor,
                    evidence: [event.evidence], attack: ["T1020.001", "T1562.006"])
                finding.resourceRefs = [event.device]
                findings.append(finding)
            }
        }
        return findings
    }

    /// `coverage.logging-tampered` for clouds: trails stopped, deleted or narrowed, sinks and exclusions
    /// changed, diagnostic settings removed. A failed attempt is reported too (someone tried).
    public static func evaluate(logging changes: [LoggingChange], context: RuleContext) -> [Finding] {
        changes.sorted { ($0.time, $0.evidence) < ($1.time, $1.evidence) }.map { change in
            let severity: Severity = !change.outcome.succeeded ? .medium : change.effect == .stops ? .high : .medium
            let attempt = change.outcome.succeeded ? "" : " (failed: \(change.outcome.errorCode ?? "error"))"
            var finding = Finding(
                rule: RuleID.loggingTampered, severity: severity,
                title: "\(change.outcome.succeeded ? "" : "Attempt: ")\(change.operation)\(change.resource.map { " on \(ResourceRef.shortName(of: $0))" } ?? "")",
                why: "\(change.actor?.name ?? "An unknown identity")\(change.actor?.sourceIP.map { " from \($0)" } ?? "") called \(change.operation) at \(Timestamp.format(change.time))\(attempt): it \(change.detail). Changes to mirroring made while the audit trail is off or narrowed are invisible; attackers do this first.",
                benignIf: "A planned logging change under a change ticket, with equivalent logging in place (another trail, sink or setting).",
                platform: change.platform, time: change.time, scope: change.scope,
                subject: change.operation + "|" + (change.resource ?? "") + "|" + (change.eventId ?? Timestamp.format(change.time)), actor: change.actor,
                // A coverage finding: no `change` (the contract's rule), the call is in the title, why and evidence.
                evidence: [change.evidence], attack: ["T1020.001", "T1562.008"])
            finding.resourceRefs = [change.resource].compactMap { $0 }
            return finding
        }
    }
}
