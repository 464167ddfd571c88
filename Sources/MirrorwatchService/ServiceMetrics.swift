import Foundation

/// Counters for `/metrics`, in the Prometheus text exposition format.
public final class ServiceMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [String: Int] = [:]
    private var records: [String: Int] = [:]
    private var bytes = 0
    private var unauthorizedRequests = 0
    private var evaluations = 0
    private var lastEvaluationSeconds = 0.0
    private var deliveries: [String: Int] = [:]
    private var deliveryFailures: [String: Int] = [:]
    private var syslogDropped: [String: Int] = [:]

    public init() {}

    func accepted(kind: String, records count: Int, bytes size: Int) {
        lock.lock(); defer { lock.unlock() }
        batches[kind, default: 0] += 1
        records[kind, default: 0] += count
        bytes += size
    }

    func delivered(sink: String) { lock.lock(); deliveries[sink, default: 0] += 1; lock.unlock() }

    func deliveryFailed(sink: String) { lock.lock(); deliveryFailures[sink, default: 0] += 1; lock.unlock() }

    func syslogDropped(lines count: Int, reason: String) { lock.lock(); syslogDropped[reason, default: 0] += count; lock.unlock() }

    func unauthorized() { lock.lock(); unauthorizedRequests += 1; lock.unlock() }

    func evaluated(seconds: Double) { lock.lock(); evaluations += 1; lastEvaluationSeconds = seconds; lock.unlock() }

    /// The exposition text; `gauges` are values read at scrape time (findings per status, lag).
    func render(gauges: [(name: String, help: String, labels: String, value: Double)]) -> String {
        lock.lock(); defer { lock.unlock() }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) { out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
        family("mirrorwatch_ingest_batches_total", "counter", "Batches accepted, by input kind.")
        for (kind, n) in batches.sorted(by: { $0.key < $1.key }) { out += "mirrorwatch_ingest_batches_total{kind=\"\(kind)\"} \(n)\n" }
        family("mirrorwatch_ingest_records_total", "counter", "Records read from accepted batches, by input kind.")
        for (kind, n) in records.sorted(by: { $0.key < $1.key }) { out += "mirrorwatch_ingest_records_total{kind=\"\(kind)\"} \(n)\n" }
        family("mirrorwatch_ingest_bytes_total", "counter", "Request bytes accepted.")
        out += "mirrorwatch_ingest_bytes_total \(bytes)\n"
        family("mirrorwatch_http_unauthorized_total", "counter", "Requests refused for a missing or unknown token.")
        out += "mirrorwatch_http_unauthorized_total \(unauthorizedRequests)\n"
        family("mirrorwatch_evaluations_total", "counter", "Evaluations of the rules over the accepted batches.")
        out += "mirrorwatch_evaluations_total \(evaluations)\n"
        family("mirrorwatch_evaluation_seconds", "gauge", "Duration of the last evaluation.")
        out += "mirrorwatch_evaluation_seconds \(lastEvaluationSeconds)\n"
        family("mirrorwatch_sink_deliveries_total", "counter", "Findings delivered, by sink.")
        for (sink, n) in deliveries.sorted(by: { $0.key < $1.key }) { out += "mirrorwatch_sink_deliveries_total{sink=\"\(sink)\"} \(n)\n" }
        family("mirrorwatch_sink_failures_total", "counter", "Failed delivery attempts (retried), by sink.")
        for (sink, n) in deliveryFailures.sorted(by: { $0.key < $1.key }) { out += "mirrorwatch_sink_failures_total{sink=\"\(sink)\"} \(n)\n" }
        family("mirrorwatch_syslog_dropped_lines_total", "counter", "Syslog messages not kept: the queue was full while storing fell behind, or a frame was over the size limit (its connection closed).")
        for (reason, n) in syslogDropped.sorted(by: { $0.key < $1.key }) { out += "mirrorwatch_syslog_dropped_lines_total{reason=\"\(reason)\"} \(n)\n" }
        var named = Set<String>()
        for gauge in gauges {
            if named.insert(gauge.name).inserted { family(gauge.name, "gauge", gauge.help) }
            out += "\(gauge.name)\(gauge.labels.isEmpty ? "" : "{\(gauge.labels)}") \(gauge.value)\n"
        }
        return out
    }
}
