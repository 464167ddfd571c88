import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Reads GCP Cloud Audit Logs (Admin Activity) as sinks and tools export them: JSON lines
/// (Cloud Storage sinks), JSON arrays (`gcloud logging read --format=json`), `{"entries": [...]}`
/// (the Logging API), one LogEntry per file, and Pub/Sub push envelopes (`message.data` in base64).
///
/// Relevance is decided on the raw bytes (`Mirroring` appears in every packet-mirroring method,
/// in `addPacketMirroringRule` and in `isMirroringCollector`); only those entries are decoded, and
/// their method is then matched ignoring case.
public enum GCPAuditReader {
    static let format = InputFormat(kind: .gcpAudit, recognizes: { head in
        if ["protoPayload", "insertId", "logName"].contains(head.firstKey ?? "") { return true }
        if head.firstKey == "entries", head.hasKey("protoPayload") { return true }
        if head.hasKey("protoPayload") && head.hasKey("logName") { return true }
        return head.hasKey("message") && head.hasKey("subscription") && head.hasKey("data")
    }, stream: { input, _ in read(input) })

    private static let scanner = LogRecordScanner(
        splitter: JSONRecordSplitter(watchedKeys: ["subscription", "logName", "timestamp"], wrapperKeys: ["entries"], resyncMarker: "{\"insertId\""),
        lossMarkers: ["Mirroring"])
    /// Every real spelling has a capital M (`packetMirrorings`, `PacketMirrorings`, `addPacketMirroringRule`,
    /// `isMirroringCollector`), which memchr finds quickly; upper case covers shouting exports.
    private static let markers = [Array("Mirroring".utf8), Array("MIRRORING".utf8), Array("ConfigServiceV2".utf8),
                                  Array("storage.setIamPermissions".utf8), Array("storage.buckets.delete".utf8), Array("storage.buckets.update".utf8),
                                  // The last entry of a collector's insert says whether it failed, and names no mirroring.
                                  Array("forwardingRules.insert".utf8), Array("ForwardingRules.Insert".utf8)]

    private static let methodKey = Array("\"methodName\":\"".utf8)
    private static let allMarkers = markers + GCPBalancerChanges.markers
    /// What the markers above look for, in the method name alone (lower case): every entry they
    /// make relevant is one of these methods.
    private static let methodMarkers = ["mirroring", "configservicev2", "storage.setiampermissions", "storage.buckets.delete", "storage.buckets.update",
                                        "forwardingrules.insert", "instancegroups.", "backendservices."].map { Array($0.utf8) }

    /// The bytes of the entry's method name (`"methodName":"…"`, compact and unescaped, as sinks
    /// write it); nil otherwise (pretty-printed, escaped): then the whole entry is searched.
    static func methodName(_ buffer: UnsafeRawBufferPointer, _ record: Range<Int>) -> Range<Int>? {
        guard let key = ByteSearch.firstIndex(of: methodKey, in: buffer, range: record) else { return nil }
        let start = key + methodKey.count
        guard let end = ByteSearch.firstIndex(of: [0x22], in: buffer, range: start..<min(record.upperBound, start + 200)),
              !ByteSearch.contains([0x5C], in: buffer, range: start..<end) else { return nil }
        return start..<end
    }

    /// Whether an entry is worth decoding, from its method name where it has a plain one (one search
    /// that stops there), else from markers anywhere in it.
    static func mayMatter(_ buffer: UnsafeRawBufferPointer, _ record: Range<Int>) -> Bool {
        if let method = methodName(buffer, record) {
            return methodMarkers.contains { ByteSearch.containsIgnoringCase($0, in: buffer, range: method) }
        }
        return allMarkers.contains { ByteSearch.contains($0, in: buffer, range: record) }
    }
    private static let readSuffixes = [".get", ".list", ".aggregatedlist", ".testiampermissions", ".listinstances", ".gethealth"]

    /// Whether the entry's method only reads packet mirrorings, backend services or instance groups
    /// (`v1.compute.packetMirrorings.get`, `list`, `aggregatedList`; Data Access logs, where
    /// monitoring polls them): nothing to decode.
    static func isMirroringRead(_ buffer: UnsafeRawBufferPointer, _ record: Range<Int>) -> Bool {
        guard let name = methodName(buffer, record) else { return false }
        let method = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[name]), as: UTF8.self).lowercased()
        return (method.containsBytes("packetmirrorings") || method.containsBytes("backendservices") || method.containsBytes("instancegroups"))
            && readSuffixes.contains { method.hasSuffix($0) }
    }

    /// `projects/P/logs/cloudaudit.googleapis.com%2Factivity` → `P` (folders and organizations too).
    static func projectOfLogName(_ logName: String) -> String? {
        let parts = logName.split(separator: "/", maxSplits: 2)
        return parts.count >= 2 ? String(parts[1]) : nil
    }

    public static func read(_ input: some ByteWindows) -> ReadResult {
        scanner.scan(input, format: "gcp-audit", isRelevant: { span, buffer in
            let range = span.start..<span.end
            // A Pub/Sub push envelope (top-level `subscription`) hides the entry in base64: decode it.
            if span.fields[0] != nil { return true }
            guard mayMatter(buffer, range) else { return false }
            return !isMirroringRead(buffer, range)
        }, tally: { span, buffer, tallier in
            // `projects/P/logs/...`: the project; envelopes are counted from their decoded entry below.
            if span.fields[1] != nil { tallier.note(account: span.fields[1], region: nil, time: span.fields[2], in: buffer, account: projectOfLogName) }
        }, coverage: (.gcp, .controlPlane), handle: { value, evidence, result in
            var entry = value
            if let message = value.member(ignoringCase: "message"), let data = message.member(ignoringCase: "data")?.text {
                // A Pub/Sub push envelope: the LogEntry is base64 in message.data.
                guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                    result.report.problem(evidence.position, "Pub/Sub message.data is not valid base64"); return
                }
                let bytes = [UInt8](decoded)
                if let logName = JSONFieldPeek.string("logName", in: bytes), let project = projectOfLogName(logName) {
                    result.telemetry.note(TelemetryKey(platform: .gcp, account: project, kind: .controlPlane),
                                          time: JSONFieldPeek.string("timestamp", in: bytes).flatMap { Timestamp.parse($0) }, input: evidence.input)
                }
                guard bytes.withUnsafeBytes({ mayMatter($0, 0..<$0.count) }) else { return }
                do throws(JSONParseError) {
                    entry = try JSONParser.parse(bytes)
                } catch {
                    result.report.problem(evidence.position, "Pub/Sub message.data holds malformed JSON at byte \(error.offset): \(error.reason)"); return
                }
            }
            if let balancer = GCPBalancerChanges.change(from: entry, evidence: evidence) {
                result.balancerChanges.append(balancer)
                // A collector's forwarding rule is also a mirroring write.
                guard balancer.action == .attach else { result.report.relevant += 1; return }
            }
            if let logging = GCPLoggingChanges.change(from: entry, evidence: evidence) {
                result.report.relevant += 1
                result.loggingChanges.append(logging)
                return
            }
            GCPChangeMapper.map(entry, evidence: evidence, into: &result)
        })
    }
}

/// One LogEntry of a packet-mirroring write → a `MirrorChange`.
enum GCPChangeMapper {
    static func map(_ entry: JSONValue, evidence: Evidence, into result: inout ReadResult) {
        guard let proto = entry.member(ignoringCase: "protoPayload"), let method = proto.member(ignoringCase: "methodName")?.text,
              let operation = GCPOperations.classify(method) else { return }
        let fullRequest = proto.member(ignoringCase: "request")
        // The `google.cloud.compute.v1.*` spelling logs the client-library request message, which
        // wraps the resource (`packetMirroringResource`, ...) beside `project`, `region`, `priority`.
        let request = fullRequest?.member(anyOf: "packetMirroringResource", "firewallPolicyRuleResource", "forwardingRuleResource") ?? fullRequest
        let operationInfo = entry.member(ignoringCase: "operation")
        var completesAnother = false
        if operation == .forwardingRuleInsert, request?.member(ignoringCase: "isMirroringCollector")?.bool != true {
            // The last entry of an operation carries no request: keep it only to complete a collector insert.
            guard request == nil, operationInfo?.member(ignoringCase: "last")?.bool == true else { return }
            completesAnother = true
        }
        if !completesAnother { result.report.relevant += 1 }
        guard let timeText = entry.member(ignoringCase: "timestamp")?.text, let time = Timestamp.parse(timeText) else {
            result.report.problem(evidence.position, "\(method) entry has no valid timestamp"); return
        }
        let resourceName = proto.member(ignoringCase: "resourceName")?.text.map(ResourceRef.normalize)
        let labels = entry.at("resource", "labels")
        let project = labels?.member(ignoringCase: "project_id")?.text ?? resourceName.flatMap(ResourceRef.owner)
        let scope = Scope(account: project, region: labels?.member(ignoringCase: "region")?.text ?? resourceName.flatMap(region))

        var spec = MirrorSpec()
        var action: ChangeAction
        var kind: MirrorResourceKind
        var resourceId = resourceName
        switch operation {
        case .packetMirroring(let a):
            action = a
            kind = .packetMirroringPolicy
            if let request, a != .delete { spec = GCPMirroringSpec.packetMirroring(request, isInsert: a == .create) }
            if a == .create, let name = request?.member(ignoringCase: "name")?.text, let base = resourceName, !base.hasSuffix("/" + name) {
                resourceId = base + "/" + name
            }
        case .firewallMirroringRule(let a):
            action = a
            kind = .packetMirroringPolicy
            // Patch and remove name the rule by priority (a query parameter, logged in the
            // client-library request); without it the change is kept on the policy itself.
            let priority = request?.member(ignoringCase: "priority")?.text ?? fullRequest?.member(ignoringCase: "priority")?.text
            resourceId = resourceName.map { policy in priority.map { policy + "/packetMirroringRules/" + $0 } ?? policy }
            if let rule = request, a != .delete { spec = GCPMirroringSpec.firewallRule(rule, isCreate: a == .create) }
        case .forwardingRuleInsert:
            action = .create
            kind = .target
            if let name = request?.member(ignoringCase: "name")?.text, let base = resourceName, !base.hasSuffix("/" + name) {
                resourceId = base + "/" + name
            }
            spec.destination = Endpoint(kind: .ilb, id: resourceId ?? "?", address: request?.member(ignoringCase: "IPAddress")?.text,
                                        owner: resourceId.flatMap(ResourceRef.owner) ?? project)
            spec.description = request?.member(ignoringCase: "description")?.text
        }

        let outcome = Self.outcome(entry, proto)
        let failed = !outcome.succeeded
        let op = operationInfo
        var change = MirrorChange(
            platform: .gcp, scope: scope, time: time, actor: actor(proto), operation: method, action: action,
            outcome: outcome, resourceKind: kind, resourceId: resourceId, spec: spec,
            eventId: entry.member(ignoringCase: "insertId")?.text, evidence: evidence)
        if let id = op?.member(ignoringCase: "id")?.text {
            change.operationKey = "gcp|" + id
            // The first entry of a long-running operation only says it started.
            change.outcomeIsFinal = failed || op?.member(ignoringCase: "last")?.bool == true || op?.member(ignoringCase: "first")?.bool != true
        }
        change.completesAnother = completesAnother
        result.changes.append(change)
    }

    /// The call's outcome from `protoPayload.status` (a google.rpc code; an ERROR entry with a status failed).
    static func outcome(_ entry: JSONValue, _ proto: JSONValue) -> Outcome {
        let status = proto.member(ignoringCase: "status")
        let code = status?.member(ignoringCase: "code")?.int ?? 0
        guard code != 0 || entry.member(ignoringCase: "severity")?.text == "ERROR" && status != nil else { return .success }
        return Outcome(succeeded: false, errorCode: statusName(code), errorMessage: status?.member(ignoringCase: "message")?.text)
    }

    static func actor(_ proto: JSONValue) -> Actor? {
        let auth = proto.member(ignoringCase: "authenticationInfo")
        let meta = proto.member(ignoringCase: "requestMetadata")
        guard let name = auth?.member(ignoringCase: "principalEmail")?.text ?? auth?.member(ignoringCase: "principalSubject")?.text else {
            return meta?.member(ignoringCase: "callerIp")?.text.map { Actor(name: "unknown", sourceIP: $0) }
        }
        let type = name.hasSuffix(".gserviceaccount.com") ? "serviceAccount"
            : name.hasPrefix("principal://") || name.contains("workforce") ? "externalAccount" : "user"
        // Impersonation: the first party who delegated to the service account.
        let delegator = auth?.member(ignoringCase: "serviceAccountDelegationInfo")?.elements.first?
            .at("firstPartyPrincipal", "principalEmail")?.text
        return Actor(name: name, type: type, userName: delegator, sourceIP: meta?.member(ignoringCase: "callerIp")?.text,
                     userAgent: meta?.member(ignoringCase: "callerSuppliedUserAgent")?.text, delegatedBy: delegator)
    }

    /// `projects/p/regions/us-central1/...` → `us-central1`.
    static func region(_ path: String) -> String? {
        let parts = path.split(separator: "/")
        guard let i = parts.firstIndex(where: { $0 == "regions" || $0 == "zones" || $0 == "locations" }), i + 1 < parts.count else { return nil }
        return String(parts[i + 1])
    }

    /// google.rpc.Code names.
    static func statusName(_ code: Int) -> String {
        switch code {
        case 3: "INVALID_ARGUMENT"
        case 5: "NOT_FOUND"
        case 6: "ALREADY_EXISTS"
        case 7: "PERMISSION_DENIED"
        case 8: "RESOURCE_EXHAUSTED"
        case 9: "FAILED_PRECONDITION"
        case 10: "ABORTED"
        case 13: "INTERNAL"
        case 16: "UNAUTHENTICATED"
        default: "code \(code)"
        }
    }
}

/// Calls that blind the audit trail: Cloud Logging sinks deleted or changed, exclusions created or
/// changed (`google.logging.v2.ConfigServiceV2.DeleteSink`, `UpdateSink`, `CreateExclusion`, ...), and
/// Cloud Storage buckets that hold logs (a name with `log` or `audit`: sink destinations by convention)
/// deleted, changed (lifecycle, retention) or given a new IAM policy (`storage.setIamPermissions`).
enum GCPLoggingChanges {
    static func change(from entry: JSONValue, evidence: Evidence) -> LoggingChange? {
        guard let proto = entry.member(ignoringCase: "protoPayload"), let method = proto.member(ignoringCase: "methodName")?.text else { return nil }
        let verb = method.split(separator: ".").last.map(String.init) ?? method
        let effect: LoggingChange.Effect
        let detail: String
        if method.containsBytes("ConfigServiceV2.") {
            switch verb {
            case "DeleteSink": effect = .stops; detail = "deletes a log sink"
            case "UpdateSink": effect = .narrows; detail = "changes a log sink (its filter or destination)"
            case "CreateExclusion", "UpdateExclusion": effect = .narrows; detail = "adds or changes a log exclusion filter"
            case "DeleteBucket": effect = .stops; detail = "deletes a log bucket"
            case "UpdateBucket": effect = .narrows; detail = "changes a log bucket (retention)"
            default: return nil
            }
        } else if method.hasPrefix("storage."), let bucket = proto.member(ignoringCase: "resourceName")?.text?.split(separator: "/").last.map(String.init),
                  LogBucketNames.holdsLogs(bucket) {
            switch method {
            case "storage.buckets.delete": effect = .stops; detail = "deletes the Cloud Storage bucket \(bucket), which holds logs"
            case "storage.buckets.update": effect = .narrows; detail = "changes the Cloud Storage bucket \(bucket), which holds logs (its lifecycle or retention)"
            case "storage.setIamPermissions": effect = .narrows; detail = "changes who can read or delete the logs in Cloud Storage bucket \(bucket) (SetIamPolicy)"
            default: return nil
            }
        } else {
            return nil
        }
        guard let time = entry.member(ignoringCase: "timestamp")?.text.flatMap({ Timestamp.parse($0) }) else { return nil }
        let resource = proto.member(ignoringCase: "resourceName")?.text
        var change = LoggingChange(
            platform: .gcp, scope: Scope(account: entry.at("resource", "labels", "project_id")?.text ?? resource.flatMap(ResourceRef.owner)),
            time: time, actor: GCPChangeMapper.actor(proto), operation: method, resource: resource, effect: effect,
            outcome: GCPChangeMapper.outcome(entry, proto),
            detail: detail + (resource.map { " (\($0))" } ?? ""), evidence: evidence)
        change.eventId = entry.member(ignoringCase: "insertId")?.text
        return change
    }
}
