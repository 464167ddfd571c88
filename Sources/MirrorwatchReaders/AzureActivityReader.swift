import MirrorwatchJSON
import MirrorwatchModel

/// Reads the Azure Activity Log as it is exported: Event Hub / Storage archives
/// (`{"records": [...]}`, upper-case `MICROSOFT.NETWORK/...` operation names, `requestbody` and
/// `responseBody` as JSON strings), JSON lines of those records, and the REST / portal shape
/// (`operationName.value`, `caller`, `claims`, `httpRequest`, `{"value": [...]}` pages).
///
/// Relevance is decided on the raw bytes (the record names `virtualNetworkTaps`,
/// `tapConfigurations`, diagnostic settings or a load balancer in its operation, or is a NIC or
/// scale-set write naming backend pools, in any case); only those records are decoded.
public enum AzureActivityReader {
    static let format = InputFormat(kind: .azureActivity, recognizes: { head in
        guard head.hasKey("operationName") else { return false }
        return head.hasKey("correlationId") || head.hasKey("resourceId") || head.hasKey("caller")
    }, stream: { input, _ in read(input) })

    private static let scanner = LogRecordScanner(
        splitter: JSONRecordSplitter(watchedKeys: ["operationName", "resourceId", "time", "eventTimestamp"], wrapperKeys: ["records", "value"], resyncMarker: "{\"time\""),
        lossMarkers: ["virtualNetworkTaps", "tapConfigurations", "backendAddressPools"])
    /// Words of the operations read (no slashes: exports may write them escaped, `\/`).
    private static let needles = [Array("virtualnetworktaps".utf8), Array("tapconfigurations".utf8), Array("diagnosticsettings".utf8),
                                  Array("loadbalancers".utf8)]
    /// NIC and scale-set writes: read when they name backend pools (below).
    private static let memberWrites = [Array("networkinterfaces".utf8), Array("virtualmachinescalesets".utf8)]
    private static let write = Array("write".utf8)
    /// A NIC or scale-set write matters when it names backend pools (`loadBalancerBackendAddressPools` in any case:
    /// ARM reads property names so), or when it failed (`Failure`, `Failed`, `failed`: the end of an
    /// operation whose first record joined some).
    private static let poolsNeedle = Array("backendaddresspools".utf8)
    private static let failureNeedles = [Array("Fail".utf8), Array("fail".utf8)]

    public static func read(_ input: some ByteWindows) -> ReadResult {
        scanner.scan(input, format: "azure-activity", isRelevant: { span, buffer in
            // Event Hub records carry the operation as a string at the top level: look only there.
            // The REST shape nests it (`operationName.value`): search the record.
            let record = span.start..<span.end
            let range = span.fields[0] ?? record
            if needles.contains(where: { ByteSearch.containsIgnoringCase($0, in: buffer, range: range) }) { return true }
            return memberWrites.contains(where: { ByteSearch.containsIgnoringCase($0, in: buffer, range: range) })
                && ByteSearch.containsIgnoringCase(write, in: buffer, range: range)
                && (failureNeedles.contains { ByteSearch.contains($0, in: buffer, range: record) }
                    || ByteSearch.containsIgnoringCase(poolsNeedle, in: buffer, range: record))
        }, tally: { span, buffer, tallier in
            let time = span.fields[2] ?? span.fields[3]
            // Every record names another resource: tally by the subscription's bytes, so records of
            // one subscription share a spelling; other shapes go through the general parser.
            if let resource = span.fields[1], let subscription = subscriptionRange(resource, in: buffer) {
                tallier.note(account: subscription, region: nil, time: time, in: buffer, account: { $0.lowercased() }, reading: 1)
            } else {
                tallier.note(account: span.fields[1], region: nil, time: time, in: buffer, account: { ResourceRef.owner(of: $0) }, reading: 2)
            }
        }, coverage: (.azure, .controlPlane), handle: AzureChangeMapper.map)
    }

    private static let subscriptionsPrefix = Array("/subscriptions/".utf8)

    /// The subscription of a resource id written `/subscriptions/S/...` (any case, slashes possibly
    /// escaped as `\/`): the bytes of `S`, or nil for any other shape.
    static func subscriptionRange(_ range: Range<Int>, in buffer: UnsafeRawBufferPointer) -> Range<Int>? {
        var i = range.lowerBound
        for expected in subscriptionsPrefix {
            guard i < range.upperBound else { return nil }
            var c = buffer[i]
            if expected == 0x2F, c == 0x5C, i + 1 < range.upperBound, buffer[i + 1] == 0x2F { i += 1; c = 0x2F }
            if c >= 0x41 && c <= 0x5A { c += 0x20 }
            guard c == expected else { return nil }
            i += 1
        }
        let start = i
        while i < range.upperBound, buffer[i] != 0x2F, buffer[i] != 0x5C { i += 1 }
        return i > start ? start..<i : nil
    }
}

/// One Activity Log record of a virtual network TAP write → a `MirrorChange`.
enum AzureChangeMapper {
    /// Canonical operation names, by lower-cased name.
    static let operations: [String: (name: String, action: ChangeAction, kind: MirrorResourceKind)] = [
        "microsoft.network/virtualnetworktaps/write": ("Microsoft.Network/virtualNetworkTaps/write", .create, .tap),
        "microsoft.network/virtualnetworktaps/delete": ("Microsoft.Network/virtualNetworkTaps/delete", .delete, .tap),
        "microsoft.network/networkinterfaces/tapconfigurations/write": ("Microsoft.Network/networkInterfaces/tapConfigurations/write", .create, .tapConfiguration),
        "microsoft.network/networkinterfaces/tapconfigurations/delete": ("Microsoft.Network/networkInterfaces/tapConfigurations/delete", .delete, .tapConfiguration),
    ]

    static func map(_ record: JSONValue, evidence: Evidence, into result: inout ReadResult) {
        let operationName = record.member(ignoringCase: "operationName")
        guard let raw = operationName?.text ?? operationName?.member(ignoringCase: "value")?.text else { return }
        if raw.lowercased().hasPrefix("microsoft.insights/diagnosticsettings/") {
            loggingChange(record, operation: raw, evidence: evidence, into: &result)
            return
        }
        if AzureBalancerChanges.operations[raw.lowercased()] != nil {
            let changes = AzureBalancerChanges.changes(record, operation: raw, evidence: evidence)
            if !changes.isEmpty {
                result.report.relevant += 1
                result.balancerChanges += changes
            }
            return
        }
        guard let operation = operations[raw.lowercased()] else { return }
        result.report.relevant += 1
        guard let timeText = record.member(anyOf: "time", "eventTimestamp")?.text, let time = Timestamp.parse(timeText) else {
            result.report.problem(evidence.position, "\(operation.name) record has no valid time"); return
        }
        guard let resourceId = record.member(ignoringCase: "resourceId")?.text.map(ResourceRef.normalize) else {
            result.report.problem(evidence.position, "\(operation.name) record has no resourceId"); return
        }
        let properties = record.member(ignoringCase: "properties")
        let status = Self.status(record)
        let final = status.hasPrefix("fail") || status.hasPrefix("succe")
        let outcome = Self.outcome(record, status: status)
        let subscription = ResourceRef.owner(of: resourceId) ?? record.member(ignoringCase: "subscriptionId")?.text
        var spec = MirrorSpec()
        if operation.action != .delete {
            let body = properties?.member(ignoringCase: "requestbody")?.unwrappingEmbeddedJSON
            let response = properties?.member(ignoringCase: "responseBody")?.unwrappingEmbeddedJSON
            let fields = body?.member(ignoringCase: "properties") ?? response?.member(ignoringCase: "properties")
            if let fields {
                spec = operation.kind == .tap ? AzureTapSpec.tap(fields) : AzureTapSpec.tapConfiguration(fields, id: resourceId)
            } else if operation.kind == .tapConfiguration {
                spec = AzureTapSpec.tapConfiguration(.null, id: resourceId)
            }
        }
        let correlation = record.member(ignoringCase: "correlationId")?.text
        var change = MirrorChange(
            platform: .azure, scope: Scope(account: subscription), time: time, actor: actor(record), operation: operation.name,
            action: operation.action, outcome: outcome, resourceKind: operation.kind, resourceId: resourceId, spec: spec,
            eventId: record.member(ignoringCase: "eventDataId")?.text ?? correlation.map { "\($0)|\(operation.name)|\(resourceId)|\(status)|\(timeText)" },
            evidence: evidence)
        change.operationKey = correlation.map { "azure|\($0)|\(operation.name)|\(resourceId)" }
        change.outcomeIsFinal = final
        // A PUT creates or updates. 201 Created settles it; 200 OK and 202 Accepted do not (an
        // asynchronous create may end with OK), so the replayed state decides.
        change.isUpsert = operation.action == .create && properties?.member(ignoringCase: "statusCode")?.text?.lowercased() != "created"
        result.changes.append(change)
    }

    /// `Microsoft.Insights/diagnosticSettings/delete|write`: the export of logs (to a workspace,
    /// storage or Event Hub) removed or changed. Only the final record of the operation is used.
    static func loggingChange(_ record: JSONValue, operation raw: String, evidence: Evidence, into result: inout ReadResult) {
        let status = Self.status(record)
        guard status.hasPrefix("succe") || status.hasPrefix("fail"),
              let time = record.member(anyOf: "time", "eventTimestamp")?.text.flatMap({ Timestamp.parse($0) }) else { return }
        let deleting = raw.lowercased().hasSuffix("/delete")
        let resource = record.member(ignoringCase: "resourceId")?.text.map(ResourceRef.normalize)
        result.report.relevant += 1
        var change = LoggingChange(
            platform: .azure, scope: Scope(account: resource.flatMap(ResourceRef.owner) ?? record.member(ignoringCase: "subscriptionId")?.text),
            time: time, actor: actor(record), operation: deleting ? "Microsoft.Insights/diagnosticSettings/delete" : "Microsoft.Insights/diagnosticSettings/write",
            resource: resource, effect: deleting ? .stops : .narrows,
            outcome: outcome(record, status: status),
            detail: deleting ? "deletes a diagnostic setting (the export of activity or resource logs)" : "changes a diagnostic setting (what is exported, and where)",
            evidence: evidence)
        change.eventId = record.member(ignoringCase: "eventDataId")?.text
            ?? record.member(ignoringCase: "correlationId")?.text.map { "\($0)|\(status)|\(resource ?? "")" }
        result.loggingChanges.append(change)
    }

    /// `resultType` (Event Hub) or `status.value` (REST), lower-cased: start, accept, success, failure and their REST spellings.
    static func status(_ record: JSONValue) -> String {
        let field = record.member(ignoringCase: "status")
        return (record.member(ignoringCase: "resultType")?.text ?? field?.text ?? field?.member(ignoringCase: "value")?.text ?? "").lowercased()
    }

    static func outcome(_ record: JSONValue, status: String) -> Outcome {
        guard status.hasPrefix("fail") else { return .success }
        let properties = record.member(ignoringCase: "properties")
        return Outcome(succeeded: false, errorCode: errorCode(record, properties), errorMessage: errorMessage(properties))
    }

    static func actor(_ record: JSONValue) -> Actor? {
        let claims = record.member(ignoringCase: "claims") ?? record.at("identity", "claims")
        func claim(_ names: String...) -> String? {
            for name in names { if let v = claims?.member(ignoringCase: name)?.text { return v } }
            return nil
        }
        let upn = claim("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn", "unique_name",
                        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name")
        let appId = claim("appid", "azp")
        let caller = record.member(ignoringCase: "caller")?.text
        guard let name = caller ?? upn ?? appId else { return nil }
        let isApp = upn == nil && appId != nil
        let ip = record.member(ignoringCase: "callerIpAddress")?.text ?? record.at("httpRequest", "clientIpAddress")?.text ?? claim("ipaddr")
        // Authentication methods ("pwd,mfa", "rsa,mfa"): say MFA only for a user token that lists methods.
        let methods = claim("http://schemas.microsoft.com/claims/authnmethodsreferences", "amr")?.lowercased()
        let mfa = isApp ? nil : methods.map { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "mfa" } }
        return Actor(name: name, type: isApp ? "servicePrincipal" : "user",
                     accountId: claim("http://schemas.microsoft.com/identity/claims/tenantid", "tid"), sourceIP: ip, mfa: mfa)
    }

    static func errorCode(_ record: JSONValue, _ properties: JSONValue?) -> String {
        if let message = properties?.member(ignoringCase: "statusMessage")?.unwrappingEmbeddedJSON,
           let code = message.at("error", "code")?.text {
            return code
        }
        return properties?.member(ignoringCase: "statusCode")?.text ?? record.at("subStatus", "value")?.text
            ?? record.member(ignoringCase: "resultSignature")?.text ?? "Failed"
    }

    static func errorMessage(_ properties: JSONValue?) -> String? {
        properties?.member(ignoringCase: "statusMessage")?.unwrappingEmbeddedJSON.at("error", "message")?.text
    }
}

/// What a TAP or a TAP configuration says, in an Activity Log body or an `az` resource.
enum AzureTapSpec {
    /// A virtual network TAP: where it sends (a NIC IP configuration or a load balancer frontend).
    static func tap(_ fields: JSONValue) -> MirrorSpec {
        var spec = MirrorSpec()
        if let id = fields.at("destinationNetworkInterfaceIPConfiguration", "id")?.text.map(ResourceRef.normalize) {
            spec.destination = Endpoint(kind: .nicIPConfig, id: id, owner: ResourceRef.owner(of: id))
        } else if let id = fields.at("destinationLoadBalancerFrontEndIPConfiguration", "id")?.text.map(ResourceRef.normalize) {
            spec.destination = Endpoint(kind: .lbFrontend, id: id, owner: ResourceRef.owner(of: id))
        }
        return spec
    }

    /// A TAP configuration on a NIC: the NIC (from the configuration's own id) is the source.
    static func tapConfiguration(_ fields: JSONValue, id: String) -> MirrorSpec {
        var spec = MirrorSpec()
        if let nic = nicId(ofTapConfiguration: id) { spec.sources = [Endpoint(kind: .nic, id: nic, owner: ResourceRef.owner(of: nic))] }
        spec.targetRef = fields.at("virtualNetworkTap", "id")?.text.map(ResourceRef.normalize)
        return spec
    }

    /// `/subscriptions/s/.../networkinterfaces/nic1/tapconfigurations/tc1` → `.../networkinterfaces/nic1`.
    static func nicId(ofTapConfiguration id: String) -> String? {
        guard let range = id.range(of: "/tapconfigurations/", options: [.caseInsensitive, .backwards]) else { return nil }
        return String(id[..<range.lowerBound])
    }
}
