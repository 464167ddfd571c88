import Foundation

/// The telemetry each input shows, per scope and kind, for coverage: what the log readers
/// counted record by record, plus what the other inputs show through their normalized records.
enum TelemetryCollector {
    static func collect(_ results: [ReadResult]) -> TelemetryCoverage {
        var coverage = TelemetryCoverage()
        for result in results { coverage.merge(telemetry(of: result)) }
        return coverage
    }

    static func telemetry(of result: ReadResult) -> TelemetryCoverage {
        var coverage = result.telemetry
        let input = result.report.input
        let fileTime = SnapshotDiffer.time(of: result.report)
        let taken = fileTime == .distantPast ? nil : fileTime
        for activity in result.deviceActivity {
            let kind: TelemetryKind
            switch activity.kind {
            case .commandLogged: kind = activity.actor?.type == "tacacs-user" ? .tacacs : .deviceCommands
            default: kind = .deviceSyslog
            }
            coverage.note(TelemetryKey(platform: activity.platform, device: activity.device, kind: kind), time: activity.time, input: input)
            if kind != .deviceSyslog { coverage.note(TelemetryKey(platform: activity.platform, device: activity.device, kind: .deviceSyslog), time: activity.time, input: input) }
        }
        // Sign-in records inside CloudTrail are control-plane records already counted.
        let signInsCounted = result.report.format == "cloudtrail"
        for event in signInsCounted ? [] : result.authEvents {
            // Entra sign-ins belong to a tenant, not a subscription: organization-wide.
            let key = event.kind == .deviceLogin
                ? TelemetryKey(platform: nil, device: event.scope.device, kind: .deviceSyslog)
                : TelemetryKey(platform: event.platform == .azure ? nil : event.platform, account: event.platform == .azure ? nil : event.scope.account, kind: .signIns)
            coverage.note(key, time: event.time, input: input)
        }
        let snapshotKind: TelemetryKind = result.report.format == "device-config" ? .configSnapshot : .inventory
        // A device snapshot's age counts only when known (a date in its path): a file time may be a checkout time.
        let snapshotTime = snapshotKind == .configSnapshot ? SnapshotDiffer.pathTime(input) : taken
        for session in result.sessions {
            coverage.note(TelemetryKey(platform: session.platform, account: session.scope.device == nil ? session.scope.account : nil,
                                       region: session.scope.region, device: session.scope.device, kind: snapshotKind), time: snapshotTime, input: input)
        }
        for list in result.sessionLists {
            coverage.note(TelemetryKey(platform: list.platform, account: list.scope.device == nil ? list.scope.account : nil, region: list.scope.region,
                                       device: list.scope.device, kind: snapshotKind), time: snapshotTime, count: 0, input: input)
        }
        // Targets and filters without an owner (a foreign target named only by id) say nothing about a scope we see.
        for target in result.targets where target.scope.account != nil {
            coverage.note(TelemetryKey(platform: target.platform, account: target.scope.account, region: target.scope.region, kind: .inventory), time: taken, input: input)
        }
        for filter in result.filters where filter.scope.account != nil {
            coverage.note(TelemetryKey(platform: filter.platform, account: filter.scope.account, region: filter.scope.region, kind: .inventory), time: taken, input: input)
        }
        for flow in result.flows {
            coverage.note(TelemetryKey(platform: flow.platform, account: flow.scope.account, region: flow.scope.region, device: flow.scope.device, kind: .flows),
                          time: flow.start, count: flow.count, input: input)
        }
        if !result.tickets.isEmpty {
            coverage.note(TelemetryKey(platform: nil, kind: .tickets), time: result.tickets.compactMap(\.start).min(), count: result.tickets.count, input: input)
        }
        // Exports are point-in-time documents, not records in time: counted, not dated.
        for grant in result.access.grants where [.aws, .gcp, .azure].contains(grant.platform) {
            coverage.note(TelemetryKey(platform: grant.platform, account: AccessRules.accountOfScope(grant.scope), kind: .iamExport), time: nil, input: input)
        }
        for config in result.loggingConfigs {
            coverage.note(TelemetryKey(platform: config.platform, account: config.scope.account, kind: .loggingConfig), time: nil, input: input)
        }
        return coverage
    }
}
