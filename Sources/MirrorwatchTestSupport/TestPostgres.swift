import Foundation

/// A real PostgreSQL server for the tests that need one: `.ci/run` starts Debian's server and sets
/// `MIRRORWATCH_TEST_POSTGRES_URL` (and `MIRRORWATCH_REQUIRE_POSTGRES=1`, so that a missing server
/// fails the run instead of skipping those tests). Each test gets a database of its own.
public enum TestPostgres {
    /// The server's URL (a role allowed to create databases), when one is available.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment["MIRRORWATCH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when the run must have a server (CI).
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["MIRRORWATCH_REQUIRE_POSTGRES"] == "1" }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates an empty database on the server (with `psql`) and returns its URL.
    public static func freshDatabase() throws -> String {
        guard let server = serverURL, var components = URLComponents(string: server) else {
            throw Unavailable(description: "MIRRORWATCH_TEST_POSTGRES_URL is not set")
        }
        let name = "mirrorwatch_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", server, "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE DATABASE \(name)"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw Unavailable(description: "psql could not create a database: \(message)")
        }
        components.path = "/" + name
        return components.string!
    }
}
