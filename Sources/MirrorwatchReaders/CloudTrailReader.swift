import Foundation
import MirrorwatchJSON
import MirrorwatchModel

/// Reads AWS CloudTrail in every shape it is stored in: S3 objects (`{"Records":[...]}`),
/// JSON lines (`jq -c`, Athena and CloudTrail Lake exports, where `requestParameters` may be
/// a JSON string and keys may be lower-case), EventBridge envelopes (`detail-type: AWS API
/// Call via CloudTrail`) and plain JSON arrays.
///
/// Record boundaries and `eventName` are found at the byte level; only the records that
/// write Traffic Mirroring configuration are fully decoded.
public struct CloudTrailReader: Sendable {
    /// Watched top-level keys: the event name decides relevance; account, region and time (in
    /// CloudTrail, Lake and EventBridge spellings) feed coverage.
    private static let keys = ["eventName", "eventname", "detail-type", "recipientAccountId", "recipientaccountid", "account",
                               "awsRegion", "awsregion", "region", "eventTime", "eventtime", "time", "eventSource", "eventsource"]
    /// Services whose records carry `us-east-1` wherever they are called from: they say nothing of
    /// which regions a trail covers.
    private static let globalSources = ByteStringSet(["iam.amazonaws.com", "sts.amazonaws.com", "signin.amazonaws.com", "organizations.amazonaws.com",
                                        "route53.amazonaws.com", "cloudfront.amazonaws.com", "globalaccelerator.amazonaws.com", "support.amazonaws.com",
                                        "health.amazonaws.com", "budgets.amazonaws.com", "ce.amazonaws.com", "account.amazonaws.com",
                                        "sso.amazonaws.com", "shield.amazonaws.com", "waf.amazonaws.com"])
    /// Members no CloudTrail reader uses, not decoded in relevant records (the session token of every
    /// `AssumeRole` response is the longest string in it).
    static let unusedMembers = ["sessionToken", "tlsDetails", "resources", "sessionCredentialFromConsole", "eventCategory", "managementEvent",
                                "requestID", "eventVersion", "eventType", "readOnly", "sharedEventID",
                                // Parts of an `AssumeRole` response no reader uses (the key id and the session ARN are read).
                                "roleSessionName", "durationSeconds", "expiration", "assumedRoleId", "packedPolicySize"]
    private let scanner = LogRecordScanner(splitter: JSONRecordSplitter(watchedKeys: CloudTrailReader.keys), lossMarkers: ["TrafficMirror"],
                                           unused: CloudTrailReader.unusedMembers)
    private static let mirrorBytes = Array("TrafficMirror".utf8)
    private static let contextBytes = contextNameList.map { Array($0.utf8) }
    /// Names of the other records decoded: logging changes (coverage), sign-ins and role assumptions
    /// (identity), VPC endpoints (whose service a Gateway Load Balancer endpoint target sends to),
    /// load balancer changes (who receives what a Network Load Balancer target is sent), endpoint
    /// service changes (which load balancers a Gateway Load Balancer endpoint target reaches) and
    /// launched instances (where a new load balancer member sits).
    private static let contextNameList = AWSLoggingChanges.names.names + AWSAuthEvents.names.names + AWSEndpointFacts.names.names
        + AWSBalancerChanges.names.names + AWSInstanceFacts.names.names + AWSEndpointServiceChanges.names.names
    private static let contextNames = ByteStringSet(contextNameList)

    public init() {}

    static let format = InputFormat(kind: .cloudtrail, recognizes: { head in
        let keys: Set<String> = ["Records", "eventVersion", "eventTime", "eventName", "eventSource", "awsRegion", "userIdentity",
                                 "eventID", "eventversion", "eventtime", "eventname", "eventsource", "useridentity", "detail-type"]
        if let key = head.firstKey, keys.contains(key) { return true }
        // Event selectors (`{"Field": "eventSource", ...}`) name the field too: records also carry a time.
        return (head.hasKey("eventSource") && head.hasKey("eventTime")) || (head.hasKey("eventsource") && head.hasKey("eventtime"))
    }, stream: { input, _ in CloudTrailReader().read(input) })

    public func read(_ input: some ByteWindows) -> ReadResult {
        var tape = JSONTape()
        // Read once here, not per record (each read of a static is a call to check it is made).
        let globalSources = Self.globalSources, contextNames = Self.contextNames
        return scanner.scan(input, format: "cloudtrail", isRelevant: { Self.isRelevant($0, $1, contextNames: contextNames) }, tally: { span, buffer, tallier in
            let f = span.fields
            let source = f[12] ?? f[13]
            let global = source.map { globalSources.contains($0, in: buffer) } ?? false
            tallier.note(account: f[3] ?? f[4] ?? f[5], region: global ? nil : f[6] ?? f[7] ?? f[8], time: f[9] ?? f[10] ?? f[11], in: buffer)
        }, coverage: (.aws, .controlPlane), handleBytes: { span, buffer, evidence, result in
            Self.tapeRecord(span, buffer, tape: &tape, evidence: evidence, into: &result)
        }) { value, evidence, result in
            guard let event = CloudTrailEvent(value) else { return }
            if let logging = AWSLoggingChanges.change(from: event, evidence: evidence) {
                result.report.relevant += 1
                result.loggingChanges.append(logging)
                return
            }
            if let auth = AWSAuthEvents.event(from: event, evidence: evidence) {
                result.report.relevant += 1
                result.authEvents.append(auth)
                return
            }
            if let endpoint = AWSEndpointFacts.fact(from: event, evidence: evidence) {
                result.report.relevant += 1
                result.assets.append(endpoint)
                return
            }
            let launched = AWSInstanceFacts.facts(from: event, evidence: evidence)
            if !launched.isEmpty {
                result.report.relevant += 1
                result.assets += launched
                return
            }
            if AWSBalancerChanges.applies(to: event) {
                guard let balancer = AWSBalancerChanges.change(from: event, evidence: evidence) else {
                    result.report.problem(evidence.position, "\(event.eventName) record without a valid eventTime or without the target group or listener it acts on")
                    return
                }
                result.report.relevant += 1
                result.balancerChanges.append(balancer)
                return
            }
            var problem: String?
            let served = AWSEndpointServiceChanges.changes(from: event, evidence: evidence, problem: &problem)
            if let problem { result.report.problem(evidence.position, problem) }
            if !served.isEmpty {
                result.report.relevant += 1
                result.balancerChanges += served
                return
            }
            guard AWSMirrorOperations.writes[event.eventName] != nil else { return }
            result.report.relevant += 1
            switch AWSChangeMapper.change(from: event, evidence: evidence) {
            case .success(let change): result.changes.append(change)
            case .failure(let reason): result.report.problem(evidence.position, reason.text)
            }
        }
    }

    /// Sign-ins and role assumptions (the most numerous records decoded), logging changes and launched
    /// instances (the largest), read from a tape of their bytes (`JSONTape`) instead of a decoded tree:
    /// the same `AuthEvent`, `LoggingChange` or `AssetFact`s, a fraction of the work. Returns false,
    /// leaving the record to the full decoding (which reports problems), for anything else: another
    /// event, an EventBridge envelope, members stored as JSON text, a record the tape does not accept,
    /// or a sign-in that makes no event (no time, for one).
    private static func tapeRecord(_ span: JSONRecordSpan, _ buffer: UnsafeRawBufferPointer, tape: inout JSONTape, evidence: Evidence,
                                   into result: inout ReadResult) -> Bool {
        guard let name = span.fields[0], span.fields[2] == nil else { return false }
        let record = UnsafeRawBufferPointer(rebasing: buffer[span.start..<span.end])
        if authNames.contains(name, in: buffer) {
            guard let event = tapeAuthEvent(record, tape: &tape, evidence: evidence) else { return false }
            result.report.relevant += 1
            result.authEvents.append(event)
            return true
        }
        if loggingNames.contains(name, in: buffer) {
            guard let change = tapeLoggingChange(record, tape: &tape, evidence: evidence) else { return false }
            if let change {
                result.report.relevant += 1
                result.loggingChanges.append(change)
            }
            return true
        }
        guard launchNames.contains(name, in: buffer), let launched = tapeLaunchFacts(record, tape: &tape, evidence: evidence) else { return false }
        if !launched.isEmpty {
            result.report.relevant += 1
            result.assets += launched
        }
        return true
    }

    /// The sign-in or role assumption in `record` read from the tape, or nil when the tape does not
    /// take the record (see `tapeRecord`).
    static func tapeAuthEvent(_ record: UnsafeRawBufferPointer, tape: inout JSONTape, evidence: Evidence) -> AuthEvent? {
        read(record, tape: &tape) { root, eventName, structured in
            AWSAuthEvents.event(record: root, named: eventName, structured: structured, evidence: evidence)
        } ?? nil
    }

    /// The logging change in `record` read from the tape (nil inside: none, as for a bucket that holds
    /// no logs), or nil when the tape does not take the record (see `tapeRecord`).
    static func tapeLoggingChange(_ record: UnsafeRawBufferPointer, tape: inout JSONTape, evidence: Evidence) -> LoggingChange?? {
        read(record, tape: &tape) { root, eventName, structured in
            AWSLoggingChanges.change(record: root, named: eventName, structured: structured, evidence: evidence)
        }
    }

    /// The instances a `RunInstances` in `record` launched, read from the tape, or nil when the tape
    /// does not take the record (see `tapeRecord`).
    static func tapeLaunchFacts(_ record: UnsafeRawBufferPointer, tape: inout JSONTape, evidence: Evidence) -> [AssetFact]? {
        read(record, tape: &tape) { root, eventName, structured in
            AWSInstanceFacts.facts(record: root, named: eventName, structured: structured, evidence: evidence)
        }
    }

    /// What `body` reads from `record` on the tape (its root, its event name, and the reader of
    /// members that may be stored as JSON text), or nil when the tape does not take the record, it
    /// is an EventBridge envelope or has no event name, or a member `body` read holds JSON text
    /// (Lake, Athena: the full path decodes those).
    private static func read<Read>(_ record: UnsafeRawBufferPointer, tape: inout JSONTape,
                                   _ body: (JSONTape.Node, String, (JSONTape.Node?) -> JSONTape.Node?) -> Read) -> Read? {
        guard tape.index(record) else { return nil }
        return tape.withRoot(of: record) { root -> Read? in
            guard root.member(ignoringCase: "detail-type") == nil, let eventName = root.member(ignoringCase: "eventName")?.text else { return nil }
            var embedded = false
            let read = body(root, eventName) { member in
                if member?.holdsEmbeddedJSON == true { embedded = true }
                return member
            }
            return embedded ? nil : read
        } ?? nil
    }

    private static let authNames = ByteStringSet(AWSAuthEvents.names.names)
    private static let launchNames = ByteStringSet(AWSInstanceFacts.names.names)
    private static let loggingNames = ByteStringSet(AWSLoggingChanges.names.names)

    @inline(__always)
    static func isRelevant(_ span: JSONRecordSpan, _ buffer: UnsafeRawBufferPointer, contextNames: ByteStringSet) -> Bool {
        if let name = span.fields[0] ?? span.fields[1] {
            return AWSMirrorOperations.mayBeWrite(buffer, name)
                || (contextNames.contains(name, in: buffer) && AWSLoggingChanges.mayConcernLogging(buffer, name: name, record: span.start..<span.end)
                    && AWSInstanceFacts.mayHaveLaunched(buffer, name: name, record: span.start..<span.end))
        }
        // An EventBridge envelope (its event name is inside `detail`), or a record whose event name
        // the splitter did not capture (a stray byte after its colon, or a key spelled in another case
        // such as `EventName`): decoded when its bytes name a mirroring call or another call this
        // reader decodes (logging, sign-ins and role assumptions, endpoints, load balancers, launches).
        // A broken one is then reported as malformed, with its position, and one whose key is only
        // spelled otherwise is read as the decoded path reads keys (ignoring case), instead of either
        // passing for a record that says nothing.
        let range = span.start..<span.end
        return ByteSearch.contains(mirrorBytes, in: buffer, range: range) || contextBytes.contains { ByteSearch.contains($0, in: buffer, range: range) }
    }
}

/// A decoded CloudTrail record, unwrapped from EventBridge and with string-encoded members parsed.
struct CloudTrailEvent {
    var record: JSONValue
    var eventName: String

    init?(_ value: JSONValue) {
        var record = value
        if value.member(ignoringCase: "detail-type") != nil, let detail = value["detail"] { record = detail }
        guard let name = record.member(ignoringCase: "eventName")?.text else { return nil }
        self.record = record
        self.eventName = name
    }

    /// A member that may be stored as an object or as a JSON string (Athena, Lake exports).
    func structured(_ key: String) -> JSONValue? {
        record.member(ignoringCase: key)?.unwrappingEmbeddedJSON
    }
}

/// A set of CloudTrail event names.
struct CloudTrailEventNames: Sendable {
    let names: [String]

    init(_ names: [String]) { self.names = names }

    func contains(_ name: String) -> Bool { names.contains(name) }
}
