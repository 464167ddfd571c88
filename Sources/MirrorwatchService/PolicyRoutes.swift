import Foundation
import Hummingbird
import Mirrorwatch
import MirrorwatchStore

/// The policy through the API: the current version and its history (`GET /v1/policy`), and a new
/// version (`PUT /v1/policy`, admin, the policy file's YAML as the body). A new version is checked
/// as strictly as a policy file, recorded with who and when, and every replica re-reads and
/// re-evaluates with it.
struct PolicyRoutes: Sendable {
    let store: any ServiceStore
    let pipeline: FindingPipeline

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/policy") { _, context in try await current(context) }
        router.put("/v1/policy") { request, context in try await replace(request, context) }
    }

    private func current(_ context: ServiceRequestContext) async throws -> Response {
        _ = try context.require(.view)
        let history = try await store.policyHistory()
        var w = JSONWriter()
        w.beginObject()
        if let current = history.last {
            w.int("version", Int(current.version))
            w.string("sha256", current.sha256)
            w.string("text", current.text)
        } else {
            w.int("version", 0)
            w.string("text", "")
        }
        w.beginArray("history")
        for version in history {
            w.beginObject()
            w.int("version", Int(version.version))
            w.string("sha256", version.sha256)
            w.string("recorded_by", version.recordedBy)
            w.string("recorded_at", version.recordedAt)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return ServiceRoutes.json(w.output)
    }

    private func replace(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let caller = try context.require(.administer)
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let text = body.getString(at: body.readerIndex, length: body.readableBytes), !text.isEmpty else {
            throw HTTPError(.badRequest, message: "the body must be the policy file's YAML (UTF-8)")
        }
        do { _ = try PolicyLoader.parse(text, file: "request body") } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
        let version = try await store.recordPolicy(text: text, sha256: FindingPipeline.sha256(Array(text.utf8)), by: caller.name)
        try await pipeline.requestReevaluation(reason: "policy version \(version.version) from \(caller.name)")
        return ServiceRoutes.json("{\"version\":\(version.version),\"sha256\":\"\(version.sha256)\"}")
    }
}
