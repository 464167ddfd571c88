import Foundation
import Mirrorwatch
import MirrorwatchReport
import MirrorwatchTestSupport
import Testing

/// The HTML report opened in a real browser: headless Chromium (Debian's `chromium` package).
/// `.ci/run` installs it; without it these tests fail with the command to install it.
@Suite struct BrowserTests {
    /// Runs headless Chromium on `url` with `arguments`; returns standard output.
    static func chromium(_ arguments: [String], url: String) throws -> String {
        try HeadlessChromium.run(arguments, url: url)
    }

    static func writeReport() async throws -> (TemporaryDirectory, String) {
        let report = try await ExampleReport.build()
        let dir = TemporaryDirectory()
        let path = dir.write("report.html", AuditHTML.render(report))
        return (dir, path)
    }

    @Test func chromiumRendersEverySection() async throws {
        let (dir, path) = try await Self.writeReport()
        let dom = try Self.chromium(["--dump-dom", "--virtual-time-budget=2000"], url: "file://" + path)
        #expect(dom.contains("Traffic mirroring evidence report"))
        #expect(dom.contains("<svg") && dom.contains("mirroring-graph"), "the graph is rendered inline")
        #expect(dom.contains("class=\"destination unapproved\""))
        #expect(dom.contains("id=\"coverage-matrix\"") && dom.contains("id=\"access-table\""))
        #expect(dom.contains("DeployRole"))
        _ = dir
    }

    /// `scan --format html`: every finding on one page, hostile text shown as text, in a browser.
    @Test func chromiumRendersTheFindingsPage() async throws {
        var findings = try await ExampleReport.build().findings
        #expect(findings.count > 10)
        findings[0].title = "<script>document.title='owned'</script><img src=x onerror=alert(1)>"
        let dir = TemporaryDirectory()
        let path = dir.write("findings.html", FindingsHTML.render(findings, generated: Date(timeIntervalSince1970: 0)))
        let dom = try Self.chromium(["--dump-dom", "--virtual-time-budget=2000"], url: "file://" + path)
        #expect(dom.contains("<title>mirrorwatch findings</title>"), "no script ran")
        #expect(dom.contains("&lt;script&gt;document.title") && !dom.contains("<img src=\"x\""))
        #expect(dom.components(separatedBy: "<tr><td><span class=\"sev ").count - 1 == findings.count, "one row per finding")
        #expect(dom.contains("Benign if:") && dom.contains("Evidence ("))
        // Most severe first.
        let first = dom.range(of: "class=\"sev ").map { String(dom[$0.upperBound...].prefix(8)) } ?? ""
        #expect(first.hasPrefix(findings.map(\.severity).max()!.name))
    }

    @Test func screenshotShowsTheReport() async throws {
        let (dir, path) = try await Self.writeReport()
        let png = dir.path + "/report.png"
        _ = try Self.chromium(["--screenshot=\(png)", "--window-size=1280,2000"], url: "file://" + path)
        let data = try #require(FileManager.default.contents(atPath: png), "Chromium wrote no screenshot")
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        // IHDR: width and height, big-endian, at bytes 16..<24.
        let bytes = [UInt8](data)
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280 && height == 2000)
        #expect(data.count > 60_000, "a page with content, not a blank one (\(data.count) bytes)")
        if let keep = ProcessInfo.processInfo.environment["MIRRORWATCH_SCREENSHOT"] { try? data.write(to: URL(fileURLWithPath: keep)) }
    }
}
