import Foundation

/// Builds GCP Cloud Audit Log entries (Admin Activity) the way Compute Engine writes them: for exercises, and for the tests.
public enum GCPAuditEntries {
    public static let project = "prod-net-4711"
    public static let region = "us-central1"

    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLock()
    static func next() -> Int { lock.lock(); defer { lock.unlock() }; counter += 1; return counter }

    /// Starts insert and operation ids at `base` (see `CloudTrailRecords.startIds`).
    public static func startIds(at base: Int) { lock.lock(); counter = base; lock.unlock() }

    /// The service, permission and log of a method, as Cloud Audit Logs name them.
    static func describe(_ method: String) -> (service: String, permission: String, resource: String) {
        if method.contains("ConfigServiceV2.") {
            let verb = method.split(separator: ".").last.map(String.init) ?? method
            let noun = verb.hasSuffix("Sink") ? "sinks" : verb.hasSuffix("Exclusion") ? "exclusions" : "buckets"
            let action = verb.hasPrefix("Delete") ? "delete" : verb.hasPrefix("Create") ? "create" : "update"
            return ("logging.googleapis.com", "logging.\(noun).\(action)", noun == "sinks" ? "logging_sink" : "logging_\(noun.dropLast())")
        }
        // `v1.compute.instances.start` → `compute.instances.start`; the gRPC spelling
        // (`google.cloud.compute.v1.ForwardingRules.Insert`) the same; insert and patch are create and update.
        let parts = method.split(separator: ".").map(String.init)
        let verb = (parts.last ?? method).lowercased()
        var collection = parts.count >= 2 ? parts[parts.count - 2] : ""
        if let first = collection.first, first.isUppercase { collection = first.lowercased() + collection.dropFirst() }
        let action = ["insert": "create", "patch": "update"][verb] ?? verb
        if method.hasPrefix("google.iam") {
            return ("iam.googleapis.com", verb.hasSuffix("serviceaccountkey") ? "iam.serviceAccountKeys.create" : "iam.serviceAccounts.\(action)", "service_account")
        }
        if method.hasPrefix("storage.") { return ("storage.googleapis.com", method, "gcs_bucket") }
        let resource = ["packetMirrorings": "gce_packet_mirroring", "instances": "gce_instance", "firewalls": "gce_firewall_rule",
                        "disks": "gce_disk", "forwardingRules": "gce_forwarding_rule"][collection] ?? "gce_project"
        return ("compute.googleapis.com", "compute.\(collection).\(action)", resource)
    }

    public static func path(_ kind: String, _ name: String, project: String = project, region: String = region) -> String {
        "projects/\(project)/regions/\(region)/\(kind)/\(name)"
    }

    public static func url(_ path: String) -> String { "https://www.googleapis.com/compute/v1/" + path }

    /// One LogEntry. `operation` is (id, first, last) for long-running operations.
    public static func entry(method: String, resourceName: String, request: [String: Any]? = nil, principal: String = "alice@example.com",
                             at time: String = "2026-11-03T09:00:00Z", status: (Int, String)? = nil,
                             operation: (String, Bool, Bool)? = nil, project: String = project, log: String = "activity") -> [String: Any] {
        let kind = describe(method)
        var proto: [String: Any] = [
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "authenticationInfo": ["principalEmail": principal],
            "requestMetadata": ["callerIp": "203.0.113.20", "callerSuppliedUserAgent": "google-cloud-sdk gcloud/489.0.0"],
            "serviceName": kind.service, "methodName": method, "resourceName": resourceName,
            "authorizationInfo": [["permission": kind.permission, "granted": status == nil, "resource": resourceName]],
            "resourceLocation": ["currentLocations": [region]],
        ]
        if let request { proto["request"] = request }
        if let status { proto["status"] = ["code": status.0, "message": status.1] }
        var entry: [String: Any] = [
            "protoPayload": proto, "insertId": "-\(String(format: "%08x", next()))", "timestamp": time,
            "resource": ["type": kind.resource, "labels": ["project_id": project, "region": region]],
            "severity": status == nil ? "NOTICE" : "ERROR",
            "logName": "projects/\(project)/logs/cloudaudit.googleapis.com%2F\(log)", "receiveTimestamp": time,
        ]
        if let operation {
            var op: [String: Any] = ["id": operation.0, "producer": "compute.googleapis.com"]
            if operation.1 { op["first"] = true }
            if operation.2 { op["last"] = true }
            entry["operation"] = op
        }
        return entry
    }

    /// A packet mirroring insert as Compute logs it: a `first` entry with the request and a `last` entry.
    public static func insert(_ name: String, collector: String, subnets: [String] = [], instances: [String] = [], tags: [String] = [],
                              filter: [String: Any]? = nil, enable: String? = nil, principal: String = "alice@example.com",
                              at time: String = "2026-11-03T09:00:00Z", done: String = "2026-11-03T09:00:20Z",
                              method: String = "v1.compute.packetMirrorings.insert", project: String = project, priority: Int? = 1000) -> [[String: Any]] {
        var request: [String: Any] = [
            "@type": "type.googleapis.com/compute.packetMirrorings.insert", "name": name,
            "network": ["url": url("projects/\(project)/global/networks/prod-vpc")],
            "collectorIlb": ["url": url(collector)],
            "mirroredResources": ["subnetworks": subnets.map { ["url": url($0)] }, "instances": instances.map { ["url": url($0)] }, "tags": tags],
        ]
        if let priority { request["priority"] = priority }
        if let filter { request["filter"] = filter }
        if let enable { request["enable"] = enable }
        let resource = path("packetMirrorings", name, project: project)
        let op = "operation-\(next())-5f1e"
        return [entry(method: method, resourceName: resource, request: request, principal: principal, at: time, operation: (op, true, false), project: project),
                entry(method: method, resourceName: resource, principal: principal, at: done, operation: (op, false, true), project: project)]
    }

    public static func patch(_ name: String, request: [String: Any], principal: String = "alice@example.com", at time: String,
                             method: String = "beta.compute.packetMirrorings.patch", project: String = project) -> [[String: Any]] {
        let resource = path("packetMirrorings", name, project: project)
        let op = "operation-\(next())-patch"
        var body = request
        body["@type"] = "type.googleapis.com/compute.packetMirrorings.patch"
        return [entry(method: method, resourceName: resource, request: body, principal: principal, at: time, operation: (op, true, false), project: project),
                entry(method: method, resourceName: resource, principal: principal, at: time, operation: (op, false, true), project: project)]
    }

    public static func delete(_ name: String, principal: String = "alice@example.com", at time: String,
                              method: String = "v1.compute.packetMirrorings.delete", project: String = project) -> [[String: Any]] {
        let resource = path("packetMirrorings", name, project: project)
        let op = "operation-\(next())-delete"
        return [entry(method: method, resourceName: resource, request: ["@type": "type.googleapis.com/compute.packetMirrorings.delete"],
                      principal: principal, at: time, operation: (op, true, false), project: project),
                entry(method: method, resourceName: resource, principal: principal, at: time, operation: (op, false, true), project: project)]
    }

    /// A Pub/Sub push envelope around an entry.
    public static func pubSub(_ entry: [String: Any]) -> [String: Any] {
        let data = Data(CloudTrailRecords.json(entry).utf8).base64EncodedString()
        return ["message": ["data": data, "messageId": "\(next())", "publishTime": entry["timestamp"] ?? "", "attributes": ["logging.googleapis.com/timestamp": entry["timestamp"] ?? ""]],
                "subscription": "projects/\(project)/subscriptions/mirrorwatch-push"]
    }
}
