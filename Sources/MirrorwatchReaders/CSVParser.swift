/// RFC 4180 CSV (and tab-separated) rows with the line each starts on. Quoted fields may hold
/// separators, doubled quotes and newlines; an unterminated quote is reported, not fatal.
public struct CSVParser {
    public struct Row: Sendable {
        public var fields: [String]
        public var line: Int
    }

    public struct Problem: Sendable {
        public var line: Int
        public var reason: String
    }

    /// Splits `bytes` into rows. The separator is `,` unless the first line has more tabs than commas.
    public static func parse(_ bytes: [UInt8]) -> (rows: [Row], problems: [Problem]) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let firstLineEnd = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        let commas = bytes[start..<firstLineEnd].filter { $0 == 0x2C }.count
        let tabs = bytes[start..<firstLineEnd].filter { $0 == 0x09 }.count
        let separator: UInt8 = tabs > commas ? 0x09 : 0x2C
        var rows: [Row] = []
        var problems: [Problem] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var rowLine = 1
        var inQuotes = false
        var quoteLine = 0
        var i = start
        func endField() { fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        func endRow() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(fields: fields, line: rowLine)) }
            fields.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == 0x22 {
                    if i + 1 < bytes.count, bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    inQuotes = false
                } else {
                    if c == 0x0A { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case 0x22 where field.isEmpty:
                inQuotes = true
                quoteLine = line
            case separator:
                endField()
            case 0x0D:
                break
            case 0x0A:
                endRow()
                line += 1
                rowLine = line
            default:
                field.append(c)
            }
            i += 1
        }
        if inQuotes {
            problems.append(Problem(line: quoteLine, reason: "quoted field opened here is never closed; the row is skipped"))
            fields.removeAll()
            field.removeAll()
        } else if !field.isEmpty || !fields.isEmpty {
            endRow()
        }
        return (rows, problems)
    }
}
