/// Storage buckets that hold logs are known by their names (sink and trail destinations by
/// convention): `log`, `audit` or `trail` anywhere in the name. Deleting one, shortening its life or
/// changing who may touch it blinds the audit trail.
enum LogBucketNames {
    static let words = ["log", "audit", "trail"]

    /// Whether `bucket` is named like a bucket that holds logs.
    static func holdsLogs(_ bucket: String) -> Bool {
        let lowered = bucket.lowercased()
        return words.contains { lowered.contains($0) }
    }
}
