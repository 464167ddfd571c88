import Foundation
import MirrorwatchModel

/// Reads device configuration snapshots as RANCID, Oxidized or `show running-config` save them:
/// Cisco IOS / IOS-XE, NX-OS and Arista EOS running-configs, Junos in `set` or curly-brace form.
/// The mirroring sessions in them are the device's live state (a configuration is complete, so an
/// approved session missing from it is gone). Other vendors are recognised and reported, not read.
public enum DeviceConfigReader {
    static let format = InputFormat(kind: .deviceConfig, recognizes: { head in
        guard let first = head.bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
              first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return false }
        let starts = ["hostname ", "set ", "version ", "!", "#", "system {"].contains { prefix in
            head.bytes.count >= prefix.utf8.count && zip(head.bytes, prefix.utf8).allSatisfy { $0 == $1 }
        }
        if starts, head.contains("hostname ") || head.contains("host-name ") { return true }  // `system {` then `host-name` for Junos
        return head.contains("RANCID-CONTENT-TYPE") || head.contains("\nhostname ") || head.contains("set system host-name")
            || head.contains("\nsystem {") || head.contains("!Command: show running-config") || head.contains("\nversion ")
            || head.contains("Building configuration")
    }, read: { input, _ in read(input) })

    /// The configuration dialects mirrorwatch reads, and what it recognises but does not.
    enum Dialect: Equatable {
        case ios, nxos, eos, junos
        case unsupported(String)

        var platform: Platform? {
            switch self {
            case .ios: .ciscoIOS
            case .nxos: .ciscoNXOS
            case .eos: .aristaEOS
            case .junos: .junos
            case .unsupported: nil
            }
        }
    }

    public static func read(_ input: LoadedInput) -> ReadResult {
        var result = ReadResult(report: InputReport(input: input.name, format: "device-config"))
        result.report.bytes = input.bytes.count
        let text = String(decoding: input.bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        result.report.records = lines.count
        let dialect = detect(lines)
        guard let platform = dialect.platform else {
            if case .unsupported(let vendor) = dialect {
                result.report.problem("line 1", "\(vendor) configuration: mirroring is not read for this vendor", skipping: 0)
            }
            return result
        }
        let device = hostname(lines, dialect: dialect) ?? fileStem(input.name)
        let sessions: [ObservedSession]
        if dialect == .junos {
            var config = JunosMirroringConfig(device: device)
            let statements = lines.contains { $0.hasPrefix("set ") } && !lines.contains { $0.trimmingCharacters(in: .whitespaces).hasSuffix("{") }
                ? lines.enumerated().compactMap { $0.element.hasPrefix("set ") ? (JunosConfigText.words($0.element.dropFirst(4)), $0.offset + 1) : nil }
                : JunosConfigText.setStatements(Substring(text))
            for statement in statements { config.feed(statement.words, line: statement.line) }
            sessions = config.observed(platform: platform, input: input.name)
            result.access = DeviceLocalAccounts.junos(statements, device: device, input: input.name)
        } else {
            var config = CiscoMonitorConfig(device: device)
            for (index, line) in lines.enumerated() { config.feed(line, number: index + 1) }
            sessions = config.observed(platform: platform, input: input.name)
            result.access = DeviceLocalAccounts.cisco(lines, device: device, platform: platform, input: input.name)
        }
        result.sessions = sessions
        result.report.relevant = sessions.count
        result.sessionLists.append(SessionList(platform: platform, scope: Scope(device: device)))
        return result
    }

    static func detect(_ lines: [Substring]) -> Dialect {
        for line in lines.prefix(40) where line.contains("RANCID-CONTENT-TYPE:") {
            let type = line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            switch type {
            case "cisco", "cisco-ios", "ios": return .ios
            case "cisco-nx", "nxos": return .nxos
            case "arista", "eos": return .eos
            case "juniper", "junos": return .junos
            default: return .unsupported(type)
            }
        }
        if lines.contains(where: { $0.hasPrefix("set system ") || $0.hasPrefix("system {") || $0.hasPrefix("set interfaces ") }) { return .junos }
        if lines.contains(where: { $0.hasPrefix("!Command: show running-config") || $0.hasPrefix("feature ") }) { return .nxos }
        if lines.contains(where: { $0.hasPrefix("! device: ") || $0.hasPrefix("daemon TerminAttr") || $0.hasPrefix("management api http-commands") }) { return .eos }
        if lines.contains(where: { $0.hasPrefix("hostname ") || $0.hasPrefix("Building configuration") || $0.hasPrefix("version 1") }) { return .ios }
        return .unsupported("unknown")
    }

    static func hostname(_ lines: [Substring], dialect: Dialect) -> String? {
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if dialect == .junos {
                if trimmed.hasPrefix("set system host-name ") { return String(trimmed.dropFirst("set system host-name ".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\";")) }
                if trimmed.hasPrefix("host-name ") { return String(trimmed.dropFirst("host-name ".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\";")) }
            } else if line.hasPrefix("hostname ") {
                return String(line.dropFirst("hostname ".count)).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    static func fileStem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.split(separator: ".").first.map(String.init) ?? name
    }
}
