import Foundation
import Hummingbird
import Mirrorwatch
import MirrorwatchReport
import MirrorwatchStore

/// The HTTP API: health, ingest, findings with their lifecycle, status, audit log, metrics.
struct ServiceRoutes: Sendable {
    let store: any ServiceStore
    let pipeline: FindingPipeline
    let metrics: ServiceMetrics
    let configuration: ServiceConfiguration
    /// Ingests read and stored at once (`max_concurrent_ingest`); more wait their turn.
    let ingestGate: ConcurrencyGate

    init(store: any ServiceStore, pipeline: FindingPipeline, metrics: ServiceMetrics, configuration: ServiceConfiguration) {
        self.store = store
        self.pipeline = pipeline
        self.metrics = metrics
        self.configuration = configuration
        ingestGate = ConcurrencyGate(limit: configuration.maxConcurrentIngest)
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/health") { _, _ in Self.json(#"{"status":"ok"}"#) }
        router.post("/v1/ingest/:kind") { request, context in
            // Who and what are checked before a place is taken: a refused request holds none.
            let caller = try context.require(.ingest)
            let kind = context.parameters.get("kind") ?? ""
            guard Self.kinds.contains(kind) else {
                throw HTTPError(.notFound, message: "unknown input kind '\(kind)'; one of: \(Self.kinds.joined(separator: ", "))")
            }
            do {
                return try await ingestGate.run { try await ingest(request, caller: caller, kind: kind) }
            } catch is ConcurrencyGate.Busy {
                var headers: HTTPFields = [.contentType: "application/json"]
                headers[.retryAfter] = "5"
                return Response(status: .serviceUnavailable, headers: headers,
                                body: .init(byteBuffer: ByteBuffer(string: #"{"error":"too many batches are being stored; send again shortly"}"#)))
            }
        }
        router.get("/v1/findings") { request, context in try await findings(request, context) }
        router.get("/v1/findings/:id") { _, context in try await finding(context) }
        router.post("/v1/findings/:id/:action") { request, context in try await transition(request, context) }
        router.get("/v1/status") { _, context in try await status(context) }
        router.get("/v1/audit-log") { request, context in try await auditLog(request, context) }
        router.get("/metrics") { _, context in try await metricsText(context) }
        router.get("/v1/audit") { _, context in try await audit(context, html: false) }
        router.get("/v1/state") { _, context in try await audit(context, html: false, sections: [.graph]) }
        router.get("/v1/coverage") { _, context in try await audit(context, html: false, sections: [.coverage]) }
        router.get("/v1/exceptions") { _, context in try await exceptions(context) }
        router.post("/v1/exceptions") { request, context in try await createException(request, context) }
        router.get("/v1/audit.html") { _, context in try await audit(context, html: true) }
    }

    /// What an analyst may do to a finding (API and web UI), and the status it leads to.
    static let lifecycleActions: [String: FindingStatus] = ["acknowledge": .acknowledged, "resolve": .resolved, "reopen": .new]

    /// Input kinds a batch may be posted as (`auto`: sniffed like a file).
    static var kinds: [String] { ["auto"] + InputKind.allCases.map(\.rawValue) }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func ingest(_ request: Request, caller: Caller, kind: String) async throws -> Response {
        let body = try await request.body.collect(upTo: configuration.maxRequestBytes)
        let bytes = body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []
        guard !bytes.isEmpty else { throw HTTPError(.badRequest, message: "empty body") }
        let query = request.uri.queryParameters
        let source = try query.get("source").map { try Self.sourcePath($0) }
        let modified = query.get("modified")
        if let modified, Timestamp.parse(modified) == nil {
            throw HTTPError(.badRequest, message: "modified must be an ISO 8601 time (2026-11-04T10:00:00Z), not '\(modified)'")
        }
        let digest = FindingPipeline.sha256(bytes)
        // Durable first: the batch is acknowledged only once it is stored. The same bytes from the same
        // source again (a forwarder retrying after a lost answer) are stored once.
        let (id, inserted) = try await store.insertBatchUnlessPresent(NewBatch(kind: kind, bytes: bytes, receivedBy: caller.name, sha256: digest,
                                                                               source: source, modified: modified))
        guard inserted else { return Self.json("{\"batch\":\(id),\"duplicate\":true}") }
        let batch = StoredBatch(id: id, kind: kind, receivedAt: "", receivedBy: caller.name, bytes: bytes, sha256: digest, source: source, modified: modified)
        let result = FindingPipeline.read(batch, policy: await pipeline.policy, inflateLimit: configuration.maxInflatedBytes)
        await pipeline.add(result, batch: id, digest: digest, name: batch.name)
        metrics.accepted(kind: kind, records: result.report.records, bytes: bytes.count)
        var w = JSONWriter()
        w.beginObject()
        w.int("batch", Int(id))
        w.string("input", batch.name)
        w.string("format", result.report.format)
        w.int("records", result.report.records)
        w.int("used", result.report.relevant)
        w.int("skipped", result.report.skipped)
        w.beginArray("problems")
        for issue in result.report.issues.prefix(50) { w.string(nil, "\(issue.position): \(issue.reason)") }
        w.endArray()
        w.endObject()
        return Self.json(w.output, status: .accepted)
    }

    /// A sender's source path, as evidence will name it: relative, no `..`, printable (no control
    /// characters, and no bidirectional controls that would make it read otherwise in a report), at most 512 bytes.
    static func sourcePath(_ text: String) throws -> String {
        let parts = text.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty, text.utf8.count <= 512, !parts.contains(".."), text.unicodeScalars.allSatisfy(isPrintable) else {
            throw HTTPError(.badRequest, message: "source must be a relative path of printable characters without '..', at most 512 bytes")
        }
        return parts.joined(separator: "/")
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: false
        default: true
        }
    }

    private func findings(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.view)
        let query = request.uri.queryParameters
        var status: FindingStatus? = nil
        if let text = query.get("status") {
            guard let parsed = FindingStatus(rawValue: text) else {
                throw HTTPError(.badRequest, message: "status must be one of \(FindingStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = parsed
        }
        let page = try ListPaging.page(request, defaultLimit: 500)
        var since: Date?
        if let text = query.get("since") {
            guard let date = Timestamp.parse(text) else { throw HTTPError(.badRequest, message: "since must be an RFC 3339 time, e.g. 2026-11-30T07:00:00Z") }
            since = date
        }
        var after: Int64?
        if let text = query.get("after") {
            guard let number = Int64(text), number >= 0 else { throw HTTPError(.badRequest, message: "after must be a finding's seq (a whole number, 0 for the first)") }
            after = number
        }
        let found = try await store.findings(FindingFilter(status: status, severity: query.get("severity"), firstSeenSince: since, recordedAfter: after),
                                             page: page)
        var w = JSONWriter()
        w.beginObject()
        if let after {
            // Where the next poll starts: the last finding listed, else where this one started.
            w.int("cursor", Int(found.rows.last?.sequence ?? after))
        }
        w.int("count", found.total)
        w.int("offset", page.offset)
        w.int("limit", page.limit ?? found.rows.count)
        w.int("next_offset", found.nextOffset(after: page))
        w.beginArray("findings")
        for row in found.rows { Self.write(row, into: &w) }
        w.endArray()
        w.endObject()
        return Self.json(w.output)
    }

    static func write(_ row: StoredFinding, into w: inout JSONWriter) {
        w.beginObject()
        w.string("id", row.id)
        w.int("seq", Int(row.sequence))
        w.string("status", row.status.rawValue)
        w.string("status_by", row.statusBy)
        w.string("status_at", row.statusAt)
        w.string("first_seen", row.firstSeen)
        w.string("last_seen", row.lastSeen)
        w.raw("finding", row.json)
        w.endObject()
    }

    private func finding(_ context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.view)
        guard let id = context.parameters.get("id"), let row = try await store.finding(id: id) else { throw HTTPError(.notFound, message: "no such finding") }
        var w = JSONWriter()
        Self.write(row, into: &w)
        return Self.json(w.output)
    }

    /// `acknowledge`, `resolve` or `reopen`, with an optional `{"note": "..."}`; recorded in the audit log.
    private func transition(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let caller = try context.require(.triage)
        guard let id = context.parameters.get("id"), let action = context.parameters.get("action"), let target = Self.lifecycleActions[action] else {
            throw HTTPError(.notFound, message: "actions: acknowledge, resolve, reopen")
        }
        let body = try await request.body.collect(upTo: 64 << 10)
        var note = ""
        if body.readableBytes > 0 {
            let value: JSONValue
            do { value = try JSONParser.parse(body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []) } catch {
                throw HTTPError(.badRequest, message: "body: \(error.reason) at byte \(error.offset)")
            }
            note = value["note"]?.text ?? ""
        }
        guard try await store.setStatus(of: id, to: target, by: caller.name, note: note) else { throw HTTPError(.notFound, message: "no such finding") }
        return try await finding(context)
    }

    private func status(_ context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.view)
        var w = JSONWriter()
        w.beginObject()
        w.int("batches", try await store.batchCount())
        w.int("accepted_through", Int(await pipeline.acceptedThrough))
        w.int("evaluated_through", Int(await pipeline.evaluatedThrough))
        w.beginObject("findings")
        for (status, n) in try await store.findingCounts().sorted(by: { $0.key.rawValue < $1.key.rawValue }) { w.int(status.rawValue, n) }
        w.endObject()
        w.endObject()
        return Self.json(w.output)
    }

    /// The evidence report of the last evaluation (live state against the baseline, coverage, access,
    /// exceptions, every finding, inputs with their SHA-256): JSON, or the self-contained HTML page.
    /// `/v1/state` is its mirroring graph alone, `/v1/coverage` its coverage alone.
    private func audit(_ context: ServiceRequestContext, html: Bool, sections: Set<AuditReport.Section> = Set(AuditReport.Section.allCases)) async throws -> Response {
        _ = try context.require(.view)
        guard let result = await pipeline.lastResult else { throw HTTPError(.serviceUnavailable, message: "nothing evaluated yet") }
        let report = AuditReport(result: result, policy: await pipeline.policy, sections: sections, inputDigests: await pipeline.digests)
        guard html else { return Self.json(AuditJSON.render(report)) }
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        // The page has no script and inline styles only.
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: AuditHTML.render(report))))
    }

    /// Exceptions made in the service, with their status (active, expired, unused) after the last evaluation.
    private func exceptions(_ context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.view)
        let unused = Set(await pipeline.lastResult?.unusedExceptions.map(\.id) ?? [])
        var w = JSONWriter()
        w.beginArray()
        for e in try await store.exceptions() {
            w.beginObject()
            w.string("id", e.id)
            w.string("rule", e.rule)
            w.string("resource", e.resource)
            w.string("destination", e.destination)
            w.string("account", e.account)
            w.string("device", e.device)
            w.string("owner", e.owner)
            w.string("justification", e.justification)
            w.string("ticket", e.ticket)
            w.string("expires", e.expires)
            w.string("created_by", e.createdBy)
            w.string("created_at", e.createdAt)
            w.string("status", ServiceExceptions.status(of: e, unused: unused))
            w.endObject()
        }
        w.endArray()
        return Self.json(w.output)
    }

    /// A documented exception (`rule`, one of `resource`/`destination`/`account`/`device`, `owner`,
    /// `justification`, `expires` as YYYY-MM-DD, optional `ticket`); recorded in the audit log.
    private func createException(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let caller = try context.require(.triage)
        let body = try await request.body.collect(upTo: 64 << 10)
        let value: JSONValue
        do { value = try JSONParser.parse(body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []) } catch {
            throw HTTPError(.badRequest, message: "body: \(error.reason) at byte \(error.offset)")
        }
        var fields: [String: String] = [:]
        for (key, member) in value.members { if let text = member.text { fields[key] = text } }
        let stored: StoredException
        do { stored = try await ServiceExceptions.make(fields, by: caller, store: store, pipeline: pipeline) } catch let invalid as ServiceExceptions.Invalid {
            throw HTTPError(.badRequest, message: "\(invalid)")
        }
        return Self.json("{\"id\":\"\(stored.id)\"}", status: .created)
    }

    private static let totalCount = HTTPFields.Element.Name("X-Total-Count")!
    private static let link = HTTPFields.Element.Name("Link")!

    /// The audit log, oldest first, a page at a time: a JSON array, with the whole log's length in
    /// `X-Total-Count` and the next page in a `Link: <…>; rel="next"` header.
    private func auditLog(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.administer)
        let page = try ListPaging.page(request, defaultLimit: 1_000)
        let found = try await store.auditLog(page: page)
        var w = JSONWriter()
        w.beginArray()
        for entry in found.rows {
            w.beginObject()
            w.string("at", entry.at)
            w.string("actor", entry.actor)
            w.string("action", entry.action)
            w.string("subject", entry.subject)
            w.string("detail", entry.detail)
            w.endObject()
        }
        w.endArray()
        var response = Self.json(w.output)
        response.headers[Self.totalCount] = String(found.total)
        if let next = found.nextOffset(after: page) {
            response.headers[Self.link] = "</v1/audit-log?limit=\(page.limit ?? found.rows.count)&offset=\(next)>; rel=\"next\""
        }
        return response
    }

    private func metricsText(_ context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.view)
        var gauges: [(name: String, help: String, labels: String, value: Double)] = []
        for (status, n) in try await store.findingCounts().sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            gauges.append(("mirrorwatch_findings", "Findings in the store, by lifecycle status.", "status=\"\(status.rawValue)\"", Double(n)))
        }
        let lag = await pipeline.acceptedThrough - pipeline.evaluatedThrough
        gauges.append(("mirrorwatch_evaluation_lag_batches", "Accepted batches the findings do not reflect yet.", "", Double(lag)))
        gauges.append(("mirrorwatch_ingest_concurrent_max", "The most ingest requests read and stored at once since start (at most max_concurrent_ingest).", "",
                       Double(await ingestGate.mostAtOnce)))
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(string: metrics.render(gauges: gauges))))
    }
}
