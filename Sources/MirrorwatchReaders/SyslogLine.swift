import Foundation
import MirrorwatchModel

/// One syslog line taken apart: RFC 5424 (`<189>1 2026-11-03T10:00:00.123Z host app pid msgid [sd] msg`)
/// and RFC 3164 (`<189>Nov  3 10:00:00 host tag: msg`), with what relays and devices add around
/// them: a relay's own timestamp and host before the `<PRI>`, a sequence number (`000123: `), the
/// device's clock (`*Nov  3 10:00:00.123 UTC: `, `Nov  3 2026 10:00:00 UTC: `).
struct SyslogLine {
    var time: Date?
    var host: String?
    var app: String?
    /// RFC 5424 MSGID (Junos puts the event name there: `UI_CMDLINE_READ_LINE`).
    var messageId: String?
    /// The process id (`mgd[4242]:`, RFC 5424 PROCID): one CLI session of a user.
    var processId: String?
    /// RFC 5424 structured data parameters (`username="alice"`), by name.
    var parameters: [String: String] = [:]
    var message: Substring

    /// One UTC Gregorian calendar for every line (building one per call is costly).
    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]

    /// Parses `text`; `year` fills in RFC 3164 timestamps that have none.
    static func parse(_ text: Substring, year: Int) -> SyslogLine {
        var rest = text
        // A relay's prefix before the PRI: `2026-11-03T10:00:00+00:00 relay1 <189>...`.
        if let pri = rest.firstIndex(of: "<"), pri != rest.startIndex, rest.distance(from: rest.startIndex, to: pri) < 80,
           rest[rest.startIndex].isNumber || rest[rest.startIndex].isLetter {
            rest = rest[pri...]
        }
        var line = SyslogLine(message: rest)
        if rest.first == "<", let close = rest.firstIndex(of: ">"), rest.distance(from: rest.startIndex, to: close) <= 4 {
            rest = rest[rest.index(after: close)...]
        }
        if rest.hasPrefix(": ") { rest = rest.dropFirst(2) }  // NX-OS: `<189>: 2023 Apr 12 ...`
        if rest.hasPrefix("1 ") {
            // RFC 5424: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
            var fields = rest.dropFirst(2).split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6 else { line.message = rest; return line }
            line.time = fields[0] == "-" ? nil : Timestamp.parse(String(fields[0]))
            line.host = fields[1] == "-" ? nil : String(fields[1])
            line.app = fields[2] == "-" ? nil : String(fields[2])
            line.messageId = fields[4] == "-" ? nil : String(fields[4])
            line.processId = fields[3] == "-" ? nil : String(fields[3])
            var tail = fields.removeLast()
            if tail.hasPrefix("[") {
                let (parameters, after) = structuredData(tail)
                line.parameters = parameters
                tail = after
            } else if tail.hasPrefix("- ") || tail == "-" {
                tail = tail.dropFirst(min(2, tail.count))
            }
            if tail.hasPrefix("\u{FEFF}") { tail = tail.dropFirst() }
            line.message = tail
            return line
        }
        // RFC 3164: a timestamp, then (usually) the host.
        if let (time, after) = bsdTime(rest, year: year) {
            line.time = time
            rest = after.drop(while: { $0 == " " })
            if let space = rest.firstIndex(of: " "), !rest[..<space].hasSuffix(":"), !rest[..<space].hasPrefix("%") {
                line.host = String(rest[..<space])
                rest = rest[rest.index(after: space)...]
            }
        } else if let space = rest.firstIndex(of: " "), let time = Timestamp.parse(String(rest[..<space])) {
            // ISO timestamp without RFC 5424 version (rsyslog's default file format).
            line.time = time
            rest = rest[rest.index(after: space)...]
            if let next = rest.firstIndex(of: " ") { line.host = String(rest[..<next]); rest = rest[rest.index(after: next)...] }
        }
        // Device additions: `000123: ` sequence numbers and the device's own clock.
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].allSatisfy(\.isNumber), !rest[..<colon].isEmpty {
            rest = rest[rest.index(after: colon)...].drop(while: { $0 == " " })
        }
        if rest.first == "*" || rest.first == "." { rest = rest.dropFirst() }
        if let (time, after) = bsdTime(rest, year: year) {
            if line.time == nil { line.time = time }
            let trimmed = after.drop(while: { $0 == " " })
            if trimmed.first == ":" {
                rest = trimmed.dropFirst().drop(while: { $0 == " " })
            } else if let space = trimmed.firstIndex(of: " "), !trimmed[..<space].hasSuffix(":"), !trimmed[..<space].hasPrefix("%") {
                // A second header (`relay1 Nov  3 10:00:00 core-sw1 mgd[77]: ...`): the inner host is the device.
                line.host = String(trimmed[..<space])
                rest = trimmed[trimmed.index(after: space)...]
            } else {
                rest = trimmed
            }
        }
        if let colon = rest.firstIndex(of: ":"), rest[..<colon].contains("[") || rest[..<colon].allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) {
            let tag = rest[..<colon]
            line.app = String(tag.prefix(while: { $0 != "[" }))
            if let open = tag.firstIndex(of: "["), let close = tag.firstIndex(of: "]"), open < close {
                line.processId = String(tag[tag.index(after: open)..<close])
            }
        }
        line.message = rest
        return line
    }

    /// The user of a Junos `UI_*` event: the structured-data `username`, else `User 'bob'` in the text.
    var junosUser: String? {
        if let user = parameters["username"] { return user }
        guard let start = message.range(of: "User '")?.upperBound, let end = message[start...].firstIndex(of: "'") else { return nil }
        return String(message[start..<end])
    }

    /// `Nov  3 10:00:00`, `Nov  3 10:00:00.123`, `Nov  3 2026 10:00:00` at the start of `text`.
    static func bsdTime(_ text: Substring, year: Int) -> (Date, Substring)? {
        // NX-OS writes the year first: `2023 Apr 12 19:00:24 ...`.
        let leading = text.drop(while: { $0 == " " })
        if leading.count > 5, leading.prefix(4).allSatisfy(\.isNumber), leading.dropFirst(4).first == " ", let y = Int(leading.prefix(4)),
           let (date, after) = bsdTime(leading.dropFirst(5), year: y) {
            return (date, after)
        }
        let words = text.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true)
        guard words.count >= 3, let month = months[words[0].prefix(3).lowercased()], let day = Int(words[1]) else { return nil }
        var timeWord = words[2]
        var y = year
        var used = 3
        if timeWord.count == 4, let explicit = Int(timeWord), words.count >= 4 { y = explicit; timeWord = words[3]; used = 4 }
        let clock = timeWord.split(separator: ".").first ?? timeWord
        let parts = clock.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var components = DateComponents()
        components.year = y; components.month = month; components.day = day
        components.hour = parts[0]; components.minute = parts[1]; components.second = parts[2]
        guard let date = utcCalendar.date(from: components) else { return nil }
        // The rest after the words used (and a zone word such as UTC).
        var after = text
        for _ in 0..<used {
            after = after.drop(while: { $0 == " " })
            after = after.drop(while: { $0 != " " })
        }
        let zone = after.drop(while: { $0 == " " }).prefix(while: { $0 != " " && $0 != ":" })
        if ["UTC", "GMT", "Z"].contains(String(zone)) { after = after.drop(while: { $0 == " " }).dropFirst(zone.count) }
        return (date, after)
    }

    /// `[id a="1" b="2"][id2 ...] rest` → parameters and the rest.
    static func structuredData(_ text: Substring) -> ([String: String], Substring) {
        var parameters: [String: String] = [:]
        var i = text.startIndex
        while i < text.endIndex, text[i] == "[" {
            guard let close = closing(text, from: i) else { break }
            let element = text[text.index(after: i)..<close]
            var j = element.firstIndex(of: " ") ?? element.endIndex
            while j < element.endIndex {
                j = element[j...].firstIndex(where: { $0 != " " }) ?? element.endIndex
                guard let eq = element[j...].firstIndex(of: "="), element.index(after: eq) < element.endIndex,
                      element[element.index(after: eq)] == "\"" else { break }
                let name = String(element[j..<eq])
                var value = ""
                var k = element.index(eq, offsetBy: 2)
                while k < element.endIndex, element[k] != "\"" {
                    if element[k] == "\\", element.index(after: k) < element.endIndex { k = element.index(after: k) }
                    value.append(element[k])
                    k = element.index(after: k)
                }
                parameters[name] = value
                j = k < element.endIndex ? element.index(after: k) : element.endIndex
            }
            i = text.index(after: close)
        }
        return (parameters, text[i...].drop(while: { $0 == " " }))
    }

    /// The `]` closing the element at `start`, skipping quoted values.
    static func closing(_ text: Substring, from start: Substring.Index) -> Substring.Index? {
        var quoted = false
        var i = text.index(after: start)
        while i < text.endIndex {
            let c = text[i]
            if c == "\\" { i = text.index(after: i); if i < text.endIndex { i = text.index(after: i) }; continue }
            if c == "\"" { quoted.toggle() } else if c == "]", !quoted { return i }
            i = text.index(after: i)
        }
        return nil
    }
}
