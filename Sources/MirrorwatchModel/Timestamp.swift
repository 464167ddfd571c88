import Foundation

/// RFC 3339 / ISO 8601 times without DateFormatter (which is slow and locale-sensitive).
public enum Timestamp {
    /// Parses `2024-10-14T09:10:41Z`, fractions, `+02:00` offsets, a space instead of `T`,
    /// and a bare date. Times without a zone are read in `defaultZone` (UTC unless given).
    public static func parse(_ text: String, defaultZone: TimeZone? = nil) -> Date? {
        // Read in place (a copy of the bytes was an allocation per time parsed, and times are parsed
        // for every record decoded).
        var text = text
        return text.withUTF8 { parse(utf8: $0, defaultZone: defaultZone) }
    }

    /// As `parse(_:defaultZone:)`, from the UTF-8 bytes of the text.
    public static func parse(utf8 all: UnsafeBufferPointer<UInt8>, defaultZone: TimeZone? = nil) -> Date? {
        var end = all.count
        while end > 0, all[end - 1] == 0x20 { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: all[0..<end])
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<width {
                let b = bytes[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
                i += 1
            }
            return value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset: Int? = nil
        if i < bytes.count {
            guard bytes[i] == 0x54 || bytes[i] == 0x74 || bytes[i] == 0x20 else { return nil }
            i += 1
            guard let h = number(2), expect(0x3A), let m = number(2) else { return nil }
            hour = h; minute = m
            if expect(0x3A) { guard let s = number(2) else { return nil }; second = s }
            if i < bytes.count, bytes[i] == 0x2E || bytes[i] == 0x2C {
                i += 1
                var scale = 0.1
                while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                    fraction += Double(bytes[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
            }
            if i < bytes.count, bytes[i] == 0x20 { i += 1 }
            if i < bytes.count {
                let sign = bytes[i]
                if sign == 0x5A || sign == 0x7A { offset = 0; i += 1 }
                else if sign == 0x2B || sign == 0x2D {
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = expect(0x3A)
                    let om = number(2) ?? 0
                    offset = (oh * 3600 + om * 60) * (sign == 0x2D ? -1 : 1)
                } else if all.count >= 3, [Array("UTC".utf8), Array("GMT".utf8)].contains(Array(all[(all.count - 3)...])) {
                    offset = 0; i = bytes.count
                } else { return nil }
            }
            guard i == bytes.count, hour < 24, minute < 60, second < 61 else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = Double(days * 86400 + hour * 3600 + minute * 60 + second) + fraction
        if let offset { return Date(timeIntervalSince1970: local - Double(offset)) }
        let zone = defaultZone ?? TimeZone(identifier: "UTC")!
        let guess = Date(timeIntervalSince1970: local)
        let zoneOffset = zone.secondsFromGMT(for: guess)
        return Date(timeIntervalSince1970: local - Double(zoneOffset))
    }

    /// Formats as RFC 3339 UTC with second precision: `2024-10-14T09:10:41Z`.
    public static func format(_ date: Date) -> String {
        let total = Int(floor(date.timeIntervalSince1970))
        let days = Int(floor(Double(total) / 86400))
        let secs = total - days * 86400
        let (y, m, d) = civilFromDays(days)
        // Years of four digits written digit by digit (every finding has a time: `String(format:)` was a
        // visible share of writing them); other years as `%04d` writes them.
        guard (0...9999).contains(y) else {
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, secs / 3600, (secs / 60) % 60, secs % 60)
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            var i = 0
            func put(_ value: Int, digits: Int) {
                var divisor = digits == 4 ? 1000 : 10
                while divisor > 0 {
                    out[i] = UInt8(48 + (value / divisor) % 10)
                    i += 1
                    divisor /= 10
                }
            }
            func put(_ byte: UInt8) { out[i] = byte; i += 1 }
            put(y, digits: 4); put(0x2D); put(m, digits: 2); put(0x2D); put(d, digits: 2); put(0x54)
            put(secs / 3600, digits: 2); put(0x3A); put((secs / 60) % 60, digits: 2); put(0x3A); put(secs % 60, digits: 2); put(0x5A)
            return i
        }
    }

    /// `2024-10-14 09:10` for tables.
    public static func short(_ date: Date) -> String {
        let full = format(date)
        return String(full.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// Days in `month` of `year` (Gregorian: leap years every fourth, not centuries unless the fourth).
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

/// Durations as written in policy files: `90s`, `30m`, `24h`, `7d`, or combinations like `1h30m`.
public enum DurationText {
    public static func parse(_ text: String) -> TimeInterval? {
        var total = 0.0
        var digits = ""
        var sawUnit = false
        for c in text.trimmingCharacters(in: .whitespaces) {
            if c.isNumber { digits.append(c); continue }
            guard let n = Double(digits) else { return nil }
            switch c {
            case "s": total += n
            case "m": total += n * 60
            case "h": total += n * 3600
            case "d": total += n * 86400
            case "w": total += n * 604800
            default: return nil
            }
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit else { return nil }
        return total
    }

    /// `1h`, `30m`, `2d 3h` for messages.
    public static func format(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + (s % 60 > 0 ? " \(s % 60)s" : "") }
        if s < 86400 { return "\(s / 3600)h" + ((s % 3600) / 60 > 0 ? " \((s % 3600) / 60)m" : "") }
        return "\(s / 86400)d" + ((s % 86400) / 3600 > 0 ? " \((s % 86400) / 3600)h" : "")
    }
}

extension Timestamp {
    /// A date a file path names (`rancid/2026-11-05/core-sw1.cfg`, `relay-2026-11-03.log`,
    /// `core-sw1.20261105T0600`): it survives copies and checkouts, unlike the file's time. The last
    /// date in the path counts (the file's own name is more specific than its folders'): a dashed
    /// date with an optional time (`2026-11-05`, `2026-11-05T06:00`, `2026-11-05_0600:30`), else a
    /// compact stamp (`20261105T0600`). Read byte by byte (a regular expression here was compiled
    /// anew for every input read).
    public static func inPath(_ path: String) -> Date? {
        let bytes = Array(path.utf8)
        if let range = PathDate.last(in: bytes, PathDate.dashed) {
            var text = String(decoding: bytes[range], as: UTF8.self).replacingOccurrences(of: "_", with: "T")
            if text.count == 15, !text.contains(":") { text = String(text.prefix(13)) + ":" + String(text.suffix(2)) }
            if let date = parse(text) { return date }
        }
        if let range = PathDate.last(in: bytes, PathDate.compact) {
            let t = String(decoding: bytes[range], as: UTF8.self)
            let iso = "\(t.prefix(4))-\(t.dropFirst(4).prefix(2))-\(t.dropFirst(6).prefix(2))T\(t.dropFirst(9).prefix(2)):\(t.suffix(2)):00Z"
            if let date = parse(iso) { return date }
        }
        return nil
    }
}

/// The date shapes `Timestamp.inPath` looks for, each a function from a start to the end of the
/// longest match there (as the regular expressions `\d{4}-\d{2}-\d{2}([T_ ]\d{2}:?\d{2}(:?\d{2})?)?`
/// and `\d{8}T\d{4}` match), or nil.
enum PathDate {
    typealias Shape = ([UInt8], Int) -> Int?

    /// The last of the matches found scanning forward, each search starting past the last match.
    static func last(in bytes: [UInt8], _ shape: Shape) -> Range<Int>? {
        var found: Range<Int>?
        var i = 0
        while i < bytes.count {
            if let end = shape(bytes, i) {
                found = i..<end
                i = end
            } else {
                i += 1
            }
        }
        return found
    }

    static func dashed(_ b: [UInt8], _ i: Int) -> Int? {
        guard digits(b, i, 4), byte(b, i + 4, 0x2D), digits(b, i + 5, 2), byte(b, i + 7, 0x2D), digits(b, i + 8, 2) else { return nil }
        let date = i + 10
        // `[T_ ]\d{2}` then `:?\d{2}`: the time is all there or not at all.
        guard date < b.count, b[date] == 0x54 || b[date] == 0x5F || b[date] == 0x20, digits(b, date + 1, 2),
              let minutes = pair(b, date + 3) else { return date }
        return pair(b, minutes) ?? minutes
    }

    static func compact(_ b: [UInt8], _ i: Int) -> Int? {
        digits(b, i, 8) && byte(b, i + 8, 0x54) && digits(b, i + 9, 4) ? i + 13 : nil
    }

    /// `:?\d{2}` at `i`: where it ends, or nil.
    private static func pair(_ b: [UInt8], _ i: Int) -> Int? {
        if byte(b, i, 0x3A) { return digits(b, i + 1, 2) ? i + 3 : nil }
        return digits(b, i, 2) ? i + 2 : nil
    }

    private static func digits(_ b: [UInt8], _ i: Int, _ count: Int) -> Bool {
        guard i + count <= b.count else { return false }
        return b[i..<i + count].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func byte(_ b: [UInt8], _ i: Int, _ value: UInt8) -> Bool { i < b.count && b[i] == value }
}
