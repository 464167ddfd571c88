import ArgumentParser
import Mirrorwatch

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "List the rules, with severity and what each needs.")

    func run() throws {
        var out = ""
        for rule in RuleCatalog.all {
            out += "\(rule.id)\n  \(rule.summary)\n  base severity: \(rule.baseSeverity.name); needs: \(rule.needs)\n"
        }
        FileHandleOutput.standardOutput(out)
    }
}
