import Foundation
import MirrorwatchModel
import MirrorwatchPolicy

/// `coverage.gap` from the coverage matrix and logging configuration: scopes we cannot see,
/// logs that stop, regions never logged, stale device snapshots, trails that are off or narrow,
/// and retention shorter than the policy asks.
public enum CoverageGapRules {
    public static func evaluate(_ matrix: CoverageMatrix, configs: [LoggingConfig], context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        let settings = context.policy.coverage
        let policyEvidence = Evidence(input: context.policy.origin)
        func gap(_ severity: Severity, _ platform: Platform, _ scope: Scope, _ subject: String, title: String, why: String, benignIf: String,
                 evidence: [Evidence], time: Date? = nil) {
            var finding = Finding(rule: RuleID.coverageGap, severity: severity, title: title, why: why, benignIf: benignIf, platform: platform,
                                  time: time ?? matrix.latest ?? context.observationTime, scope: scope, subject: subject, evidence: evidence, attack: ["T1020.001", "T1562.008"])
            finding.resourceRefs = [scope.account, scope.device].compactMap { $0 }
            finding.makeIdTimeless()
            findings.append(finding)
        }
        func evidence(_ tally: TelemetryTally?) -> [Evidence] { (tally?.inputs.sorted() ?? []).prefix(3).map { Evidence(input: $0) } }

        // A scope the policy names is a gap only on a platform the inputs cover at all: scanning
        // one platform's logs does not flag the others (the matrix still lists them).
        let devicesRead = matrix.rows.contains { $0.isDevice && !$0.kinds.isEmpty }
        let cloudsRead = Set(matrix.rows.filter { !$0.isDevice && !$0.kinds.isEmpty }.compactMap(\.platform))
        for row in matrix.rows {
            let platform = row.platform ?? .ciscoIOS
            let scope = row.device.map { Scope(device: $0) } ?? Scope(account: row.account)
            if row.isDevice {
                let logs = [TelemetryKind.deviceSyslog, .deviceCommands, .tacacs].compactMap { row.kinds[$0] }
                if row.expected && logs.isEmpty && devicesRead {
                    gap(.medium, platform, scope, "\(row.label)|no-logs", title: "No logs from \(row.device!)",
                        why: "The policy names \(row.device!), but no syslog, command log or TACACS+ record from it was read: a SPAN or ERSPAN session set up there would not be seen.",
                        benignIf: "Its logs exist and are not among the inputs: add them.", evidence: [policyEvidence])
                }
                if let snapshot = row.kinds[.configSnapshot], let taken = snapshot.last, let latest = matrix.latest,
                   latest.timeIntervalSince(taken) > settings.maxSnapshotAge {
                    gap(.low, platform, scope, "\(row.label)|stale-snapshot", title: "Configuration snapshot of \(row.device!) is stale",
                        why: "The newest configuration snapshot of \(row.device!) is from \(Timestamp.format(taken)), \(Self.days(latest.timeIntervalSince(taken))) before the newest record read (\(Timestamp.format(latest))); the limit is \(Self.days(settings.maxSnapshotAge)) (coverage.max_snapshot_age). Sessions configured since are known only from logs.",
                        benignIf: "Snapshots are collected (RANCID, Oxidized) and the newer ones are simply not among the inputs.", evidence: evidence(snapshot))
                } else if row.kinds[.configSnapshot] == nil && !logs.isEmpty && row.kinds[.deviceCommands] != nil {
                    gap(.low, platform, scope, "\(row.label)|no-snapshot", title: "No configuration snapshot of \(row.device!)",
                        why: "Commands on \(row.device!) were logged, but no configuration snapshot was read: sessions configured before the logs begin cannot be seen, and the live state cannot be checked against the baseline.",
                        benignIf: "Add the device's running-config from RANCID or Oxidized.", evidence: evidence(logs.first))
                }
                continue
            }
            guard let cloud = row.platform, [.aws, .gcp, .azure].contains(cloud) else { continue }
            let controlPlane = row.kinds[.controlPlane]
            if controlPlane == nil {
                if row.expected && cloudsRead.contains(cloud) {
                    gap(.medium, cloud, scope, "\(row.label)|no-audit-logs", title: "No audit logs for \(cloud.ownerNoun) \(row.account ?? "?")",
                        why: "The policy names \(cloud.ownerNoun) \(row.account ?? "?") as part of the organization, but no control-plane audit record from it was read\(row.kinds.isEmpty ? "" : " (only \(row.kinds.keys.sorted().map(\.rawValue).joined(separator: ", ")))"): mirroring created there is invisible.",
                        benignIf: "Its audit logs are collected elsewhere (an organization trail or sink) and are simply not among the inputs.", evidence: [policyEvidence])
                }
                continue
            }
            // Logs that stop: a region of this scope falls silent well before the newest record of the platform.
            if let latest = matrix.latestControlPlane(cloud) {
                let places: [(String?, TelemetryTally)] = row.regions.isEmpty ? [(nil, controlPlane!)]
                    : row.regions.compactMap { region, kinds in kinds[.controlPlane].map { (region, $0) } }.sorted { ($0.0 ?? "") < ($1.0 ?? "") }
                for (region, tally) in places {
                    guard let last = tally.last, latest.timeIntervalSince(last) > settings.maxSilence else { continue }
                    let place = "\(cloud.ownerNoun) \(row.account ?? "?")" + (region.map { " in \($0)" } ?? "")
                    gap(.medium, cloud, Scope(account: row.account, region: region), "\(row.label)|\(region ?? "")|silent", title: "Audit logs of \(place) stop at \(Timestamp.format(last))",
                        why: "The last control-plane record from \(place) is from \(Timestamp.format(last)), \(Self.hours(latest.timeIntervalSince(last))) before the newest \(cloud.rawValue) record read (\(Timestamp.format(latest))); the limit is \(Self.hours(settings.maxSilence)) (coverage.max_silence). Logging there may have stopped or its delivery broken.",
                        benignIf: "The inputs simply end earlier for this scope, or there was no API activity there.", evidence: evidence(tally))
                }
            }
        }
        findings += regionGaps(matrix, settings: settings)
        findings += configGaps(configs, settings: settings, context: context)
        return findings
    }

    /// AWS regions logged in one account (or listed in `coverage.aws_regions`) but never seen in another logged account.
    static func regionGaps(_ matrix: CoverageMatrix, settings: Policy.CoverageSettings) -> [Finding] {
        let logged = matrix.rows.filter { $0.platform == .aws && !$0.isDevice && $0.kinds[.controlPlane] != nil }
        var seenIn: [String: String] = [:]
        for row in logged { for (region, kinds) in row.regions where kinds[.controlPlane] != nil { seenIn[region] = seenIn[region] ?? row.account } }
        for region in settings.awsRegions where seenIn[region] == nil { seenIn[region] = "coverage.aws_regions" }
        var findings: [Finding] = []
        let regionsSeen = seenIn.sorted(by: { $0.key < $1.key })
        for row in logged {
            // Worded once per account (every finding for the account says it).
            let loggedIn = row.regions.isEmpty ? "has only global-service records (IAM, STS, Organizations)" : "is logged in \(row.regions.keys.sorted().joined(separator: ", "))"
            // The account's first inputs, sorted once for all its findings (an input list may be long).
            let inputs = (row.kinds[.controlPlane]?.inputs.sorted() ?? []).prefix(3).map { Evidence(input: $0) }
            for (region, source) in regionsSeen where row.regions[region]?[.controlPlane] == nil {
                var finding = Finding(
                    rule: RuleID.coverageGap, severity: .low, title: "No CloudTrail records from \(region) in account \(row.account ?? "?")",
                    why: "Account \(row.account ?? "?") \(loggedIn), but not a single record from \(region) was read, which \(source == "coverage.aws_regions" ? "the policy lists in coverage.aws_regions" : "is logged in account \(source)"). A trail that is not multi-region, or a region left out of collection, hides mirroring created there.",
                    benignIf: "The account has a multi-region trail and simply no activity in \(region), or the region is disabled for the account (an SCP denying it).",
                    platform: .aws, time: row.last ?? Date(timeIntervalSince1970: 0), scope: Scope(account: row.account, region: region),
                    subject: "aws|\(row.account ?? "")|\(region)|region-unseen", evidence: inputs,
                    attack: ["T1020.001", "T1535"])
                finding.resourceRefs = [row.account].compactMap { $0 }
                finding.makeIdTimeless()
                findings.append(finding)
            }
        }
        return findings
    }

    /// Trails that are off, single-region or without management events; storage keeping logs for too short.
    static func configGaps(_ configs: [LoggingConfig], settings: Policy.CoverageSettings, context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        func gap(_ severity: Severity, _ config: LoggingConfig, _ what: String, title: String, why: String, benignIf: String) {
            var finding = Finding(rule: RuleID.coverageGap, severity: severity, title: title, why: why, benignIf: benignIf, platform: config.platform,
                                  time: context.observationTime, scope: config.scope, subject: "\(config.name)|\(what)", evidence: [config.evidence],
                                  attack: ["T1020.001", "T1562.008"])
            finding.resourceRefs = [config.name] + [config.scope.account].compactMap { $0 }
            finding.makeIdTimeless()
            findings.append(finding)
        }
        // A bucket's retention is judged where its trails write: `PREFIX/AWSLogs/` when a trail names a prefix.
        var logPaths: [String: [String]] = [:]
        for trail in configs where trail.kind == .trail {
            guard let bucket = trail.destination else { continue }
            logPaths[bucket, default: []].append((trail.keyPrefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "") + "AWSLogs/")
        }
        for var config in configs {
            if config.kind == .storage, let paths = logPaths[config.name], !config.expirations.isEmpty {
                config.retentionDays = paths.compactMap { LoggingConfig.retention(config.expirations, logsUnder: $0) }.min()
            }
            switch config.kind {
            case .trail:
                if config.isLogging == false {
                    gap(.high, config, "not-logging", title: "Trail \(config.name) is not logging",
                        why: "get-trail-status for \(config.name) says IsLogging false: no management event, mirroring calls included, is recorded by it.",
                        benignIf: "Another trail records management events for the same accounts and regions.")
                }
                if config.multiRegion == false {
                    gap(.low, config, "single-region", title: "Trail \(config.name) records one region only",
                        why: "Trail \(config.name) is not multi-region (IsMultiRegionTrail false): mirroring created in other regions is recorded only if another trail covers them.",
                        benignIf: "Other regions are covered by their own trails, or disabled.")
                }
                if config.managementEvents == false {
                    gap(.high, config, "no-management-events", title: "Trail \(config.name) drops management events",
                        why: "The event selectors of \(config.name) exclude management write events, which is where every Traffic Mirroring call is recorded.",
                        benignIf: "Another trail records management events.")
                }
            case .storage:
                // GCP Admin Activity audit logs are kept in the _Required bucket; _Default holds other logs.
                if config.platform == .gcp && config.name.hasSuffix("/_Default") { continue }
                guard let days = config.retentionDays, days < settings.minRetentionDays else { continue }
                gap(.medium, config, "short-retention", title: "Audit logs in \(config.name) are kept \(days) days",
                    why: "\(config.name) keeps audit records \(days) days; the policy asks for at least \(settings.minRetentionDays) (coverage.min_retention_days). Mirroring set up before then can no longer be traced to who did it.",
                    benignIf: "A copy is kept longer elsewhere (an archive bucket, a SIEM), or the policy minimum is too strict for this store.")
            }
        }
        return findings
    }

    static func days(_ interval: TimeInterval) -> String { "\(Int((interval / 86400).rounded())) days" }
    static func hours(_ interval: TimeInterval) -> String { interval >= 2 * 86400 ? days(interval) : "\(Int((interval / 3600).rounded())) hours" }
}
