import MirrorwatchJSON
import MirrorwatchModel

/// Reads audit-logging configuration exports, for coverage and retention:
/// - `aws cloudtrail describe-trails` (`trailList`), `get-trail-status` (`IsLogging`; the trail is
///   named by the file, `get-trail-status-NAME.json`), `get-event-selectors` (`TrailARN` with selectors);
/// - `aws s3api get-bucket-lifecycle-configuration` (`Rules`; the bucket is named by the file,
///   `BUCKET.lifecycle.json`);
/// - `gcloud logging buckets list|describe --format=json` (`retentionDays`);
/// - Cloud Storage buckets (sink destinations): `gcloud storage buckets describe --format=json` or the JSON
///   API (`storage#bucket`): the shortest lifecycle `Delete` age;
/// - `az monitor log-analytics workspace show|list` (`retentionInDays`).
///
/// The account comes from ARNs, else from a 12-digit path component.
public enum LoggingConfigReader {
    static let format = InputFormat(kind: .loggingConfig, recognizes: { head in
        ["trailList", "IsLogging", "TrailARN"].contains(head.firstKey ?? "") || head.hasKey("trailList")
            || (["Rules", "TransitionDefaultMinimumObjectSize"].contains(head.firstKey ?? "") && head.hasKey("Rules") && head.hasKey("Status"))
            || (head.hasKey("retentionDays") && head.contains("/buckets/")) || head.hasKey("retentionInDays")
            || head.hasKey("storage_url") || head.contains("\"storage#bucket\"")
    }, read: { input, _ in read(input) })

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "logging-config"))
        guard let document = SnapshotDocument.parse(input, into: &result)?.root else { return result }
        let account = AWSInventoryReader.accountInPath(input.name)
        let stem = input.name.split(separator: "/").last.map(String.init) ?? input.name
        var locator = DocumentLocator(input)
        func add(_ config: LoggingConfig) {
            result.loggingConfigs.append(config)
            result.report.relevant += 1
        }
        if let trails = document.member(ignoringCase: "trailList") {
            for (index, trail) in trails.elements.enumerated() {
                result.report.records += 1
                guard let name = trail.member(ignoringCase: "Name")?.text else { result.report.problem("record \(index)", "trail without Name"); continue }
                let arn = trail.member(ignoringCase: "TrailARN")?.text
                var config = LoggingConfig(platform: .aws, scope: Scope(account: arn.flatMap(ResourceRef.account(ofARN:)) ?? account, region: trail.member(ignoringCase: "HomeRegion")?.text),
                                           kind: .trail, name: name, multiRegion: trail.member(ignoringCase: "IsMultiRegionTrail")?.bool,
                                           destination: trail.member(ignoringCase: "S3BucketName")?.text,
                                           evidence: locator.evidence(record: index, containing: arn ?? name))
                config.keyPrefix = trail.member(ignoringCase: "S3KeyPrefix")?.text
                add(config)
            }
        } else if let logging = document.member(ignoringCase: "IsLogging")?.bool {
            result.report.records = 1
            let name = stem.hasPrefix("get-trail-status-") ? String(stem.dropFirst("get-trail-status-".count).split(separator: ".").first ?? "") : nil
            guard let name, !name.isEmpty else {
                result.report.problem("whole input", "get-trail-status output does not name its trail: name the file get-trail-status-TRAIL.json")
                return result
            }
            add(LoggingConfig(platform: .aws, scope: Scope(account: account), kind: .trail, name: name, isLogging: logging,
                              evidence: Evidence(input: input.name, record: 0, line: 1)))
        } else if let arn = document.member(ignoringCase: "TrailARN")?.text {
            result.report.records = 1
            let management = CloudTrailSelectors.recordMirroringWrites(basic: document.member(ignoringCase: "EventSelectors")?.elements ?? [],
                                                                       advanced: document.member(ignoringCase: "AdvancedEventSelectors")?.elements ?? [])
            add(LoggingConfig(platform: .aws, scope: Scope(account: ResourceRef.account(ofARN: arn) ?? account), kind: .trail, name: arn.split(separator: "/").last.map(String.init) ?? arn,
                              managementEvents: management, evidence: Evidence(input: input.name, record: 0, line: 1)))
        } else if let rules = document.member(ignoringCase: "Rules") {
            result.report.records = rules.elements.count
            let bucket = stem.hasSuffix(".lifecycle.json") ? String(stem.dropLast(".lifecycle.json".count)) : stem
            let expirations: [(prefix: String, days: Int)] = rules.elements.compactMap { rule in
                guard rule.member(ignoringCase: "Status")?.text == "Enabled", let days = rule.at("Expiration", "Days")?.int else { return nil }
                return (rule.at("Filter", "Prefix")?.text ?? rule.at("Filter", "And", "Prefix")?.text ?? rule.member(ignoringCase: "Prefix")?.text ?? "", days)
            }
            // Until a trail names its key prefix: rules on all objects or on `AWSLogs/`.
            var config = LoggingConfig(platform: .aws, scope: Scope(account: account), kind: .storage, name: bucket,
                                       retentionDays: LoggingConfig.retention(expirations, logsUnder: "AWSLogs/"),
                                       evidence: Evidence(input: input.name, record: 0, line: 1))
            config.expirations = expirations
            add(config)
        } else {
            let entries: [JSONValue] = if case .array(let items) = document { items } else { [document] }
            for (index, entry) in entries.enumerated() {
                result.report.records += 1
                let name = entry.member(ignoringCase: "name")?.text ?? entry.member(ignoringCase: "id")?.text
                if let days = entry.member(ignoringCase: "retentionDays")?.int, let name {
                    // projects/P/locations/L/buckets/B
                    let parts = name.split(separator: "/")
                    let project = parts.count > 1 && parts[0] == "projects" ? String(parts[1]) : nil
                    add(LoggingConfig(platform: .gcp, scope: Scope(account: project, region: parts.count > 3 ? String(parts[3]) : nil), kind: .storage,
                                      name: name, retentionDays: days, evidence: locator.evidence(record: index, containing: name)))
                } else if entry.member(ignoringCase: "storage_url") != nil || entry.member(ignoringCase: "kind")?.text == "storage#bucket", let name {
                    // Kept until a lifecycle rule deletes it: the shortest Delete age (none: indefinitely).
                    let rules = entry.member(anyOf: "lifecycle_config", "lifecycle")?.member(ignoringCase: "rule")?.elements ?? []
                    let age = rules.filter { $0.at("action", "type")?.text == "Delete" }.compactMap { $0.at("condition", "age")?.int }.min()
                    add(LoggingConfig(platform: .gcp, scope: Scope(account: entry.member(ignoringCase: "projectNumber")?.text), kind: .storage,
                                      name: "gs://" + name, retentionDays: age, evidence: locator.evidence(record: index, containing: name)))
                } else if let days = entry.member(ignoringCase: "retentionInDays")?.int, let id = entry.member(ignoringCase: "id")?.text {
                    add(LoggingConfig(platform: .azure, scope: Scope(account: ResourceRef.owner(of: id)), kind: .storage,
                                      name: id, retentionDays: days, evidence: locator.evidence(record: index, containing: id)))
                } else {
                    result.report.problem("record \(index)", "no retention (retentionDays, retentionInDays) or no name")
                }
            }
        }
        return result
    }
}
