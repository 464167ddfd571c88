import ArgumentParser
import Foundation
import Mirrorwatch
import MirrorwatchSigma

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules (id, severity, platforms, what each needs and cannot see); export Sigma rules for SIEMs.",
        discussion: "--sigma DIR writes one Sigma rule per file for the single-event parts of the logic; with --policy the approved "
            + "destinations become allow-list filters.")

    @Option(name: .long, help: "Write Sigma rules (YAML, one per file) into this directory.")
    var sigma: String?

    @Option(name: .long, help: "Policy whose approved destinations become the Sigma rules' allow-lists.")
    var policy: String?

    /// The day these Sigma rules were written (Sigma's `date`), kept fixed so exports are stable.
    static let sigmaDate = "2026-11-29"

    func run() async throws {
        guard let sigma else {
            var out = ""
            for rule in RuleCatalog.all {
                out += "\(rule.id)\n  \(rule.summary)\n  base severity: \(rule.baseSeverity.name); platforms: \(rule.platforms.map(\.rawValue).joined(separator: ", "))\n"
                out += "  needs: \(rule.needs)\n  cannot see: \(rule.blindSpots)\n"
            }
            FileHandleOutput.standardOutput(out)
            return
        }
        let loaded: Policy
        do {
            loaded = try policy.map { try PolicyLoader.load(path: $0) } ?? Policy()
        } catch {
            FileHandleOutput.standardError("mirrorwatch: \(error)")
            throw ExitCode(2)
        }
        do {
            try FileManager.default.createDirectory(atPath: sigma, withIntermediateDirectories: true)
        } catch {
            FileHandleOutput.standardError("mirrorwatch: cannot create \(sigma): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let rules = SigmaExport.rules(policy: loaded)
        for rule in rules {
            try FileHandleOutput.write(rule.yaml(date: Self.sigmaDate), to: (sigma as NSString).appendingPathComponent(rule.name + ".yml"))
        }
        FileHandleOutput.standardError("mirrorwatch: wrote \(rules.count) Sigma rules to \(sigma)")
    }
}
