import Benchmark
import Foundation
import Mirrorwatch

/// A CloudTrail S3 object: the first object of a corpus written by make-corpus.py (`CORPUS`
/// names its folder), else a 25 MB object of synthetic records with one mirroring write in ten thousand.
func sampleObject() -> (path: String, bytes: Int) {
    if let corpus = ProcessInfo.processInfo.environment["CORPUS"],
       let first = try? FileManager.default.contentsOfDirectory(atPath: corpus).filter({ $0.hasSuffix(".json") }).sorted().first {
        let path = corpus + "/" + first
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int
        return (path, size ?? 0)
    }
    let noise = #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/App/i-1","accountId":"111122223333"},"eventTime":"2026-11-03T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.1.2.3","userAgent":"aws-sdk-go/1.44.0","requestParameters":{"bucketName":"app-data","key":"objects/2026/11/03/part-0001.parquet"},"responseElements":null,"eventID":"0b1c2d3e-0000-4000-8000-000000000001","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
    let mirror = #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bench","accountId":"111122223333","userName":"bench"},"eventTime":"2026-11-03T10:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateTrafficMirrorSession","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.18.4","requestParameters":{"CreateTrafficMirrorSessionRequest":{"NetworkInterfaceId":"eni-1","TrafficMirrorTargetId":"tmt-1","TrafficMirrorFilterId":"tmf-1","SessionNumber":1}},"responseElements":{"CreateTrafficMirrorSessionResponse":{"trafficMirrorSession":{"trafficMirrorSessionId":"tms-1"}}},"eventID":"MIRROR","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
    var text = #"{"Records":["#
    var n = 0
    while text.utf8.count < 25 << 20 {
        n += 1
        text += (n % 10_000 == 0 ? mirror.replacingOccurrences(of: "MIRROR", with: "m-\(n)") : noise) + ","
    }
    text.removeLast()
    text += "]}"
    let path = NSTemporaryDirectory() + "mirrorwatch-benchmark-object.json"
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { fatalError("cannot write \(path)") }
    return (path, text.utf8.count)
}

let benchmarks: @Sendable () -> Void = {
    let (path, size) = sampleObject()
    let loaded = InputSource.load(path)
    let label = "\(size >> 20) MB object"

    Benchmark("CloudTrailReader, \(label)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(5), maxIterations: 50)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(CloudTrailReader().read(loaded).changes.count)
        }
    }

    Benchmark("JSONRecordSplitter only, \(label)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 50)) { benchmark in
        let splitter = JSONRecordSplitter(watchedKeys: ["eventName"])
        for _ in benchmark.scaledIterations {
            var records = 0
            loaded.bytes.withUnsafeBytes { splitter.split($0, onRecord: { _ in records += 1 }, onError: { _ in }) }
            blackHole(records)
        }
    }

    // One CloudTrail role assumption (the most numerous record that matters), read the two ways the
    // reader can: decoded into a tree, or indexed on a tape and read for the fields sign-ins need.
    let assumeRole = Array(#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:alice","arn":"arn:aws:sts::111122223333:assumed-role/Admin/alice","accountId":"111122223333","accessKeyId":"ASIAEXAMPLEALICE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/Admin","accountId":"111122223333","userName":"Admin"},"attributes":{"creationDate":"2026-11-03T09:00:00Z","mfaAuthenticated":"true"}}},"eventTime":"2026-11-03T10:00:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6","requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/NetworkAdmin","roleSessionName":"alice","durationSeconds":3600},"responseElements":{"credentials":{"accessKeyId":"ASIAEXAMPLEISSUED","sessionToken":"\#(String(repeating: "IQoJb3JpZ2luX2VjEA", count: 44))","expiration":"Nov 3, 2026, 11:00:00 AM"},"assumedRoleUser":{"assumedRoleId":"AROAEXAMPLE2:alice","arn":"arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice"}},"requestID":"0b1c2d3e-0000-4000-8000-000000000002","eventID":"0b1c2d3e-0000-4000-8000-000000000003","readOnly":true,"resources":[{"accountId":"111122223333","type":"AWS::IAM::Role","ARN":"arn:aws:iam::111122223333:role/NetworkAdmin"}],"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"sts.us-east-1.amazonaws.com"}}"#.utf8)
    let fields = ["eventTime", "sourceIPAddress", "userAgent", "recipientAccountId", "awsRegion", "errorCode"]
    let skipped = ByteStringSet(["sessionToken", "tlsDetails", "resources", "eventCategory", "managementEvent", "requestID", "eventVersion", "eventType",
                                 "readOnly", "roleSessionName", "durationSeconds", "expiration", "assumedRoleId"])

    Benchmark("Role assumption, decoded tree (JSONParser), 1000 records",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 200)) { benchmark in
        for _ in benchmark.scaledIterations {
            var found = 0
            assumeRole.withUnsafeBytes { raw in
                for _ in 0..<1000 {
                    guard let record = try? JSONParser.parse(raw, skipping: skipped) else { continue }
                    for name in fields where record.member(ignoringCase: name)?.text != nil { found += 1 }
                    if record.at("userIdentity", "sessionContext", "attributes", "mfaAuthenticated")?.bool == true { found += 1 }
                    if record.at("responseElements", "credentials", "accessKeyId")?.text != nil { found += 1 }
                }
            }
            blackHole(found)
        }
    }

    Benchmark("Role assumption, tape (JSONTape), 1000 records",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 200)) { benchmark in
        var tape = JSONTape()
        for _ in benchmark.scaledIterations {
            var found = 0
            assumeRole.withUnsafeBytes { raw in
                for _ in 0..<1000 {
                    guard tape.index(raw) else { continue }
                    found += tape.withRoot(of: raw) { record in
                        var n = 0
                        for name in fields where record.member(ignoringCase: name)?.text != nil { n += 1 }
                        if record.at("userIdentity", "sessionContext", "attributes", "mfaAuthenticated")?.bool == true { n += 1 }
                        if record.at("responseElements", "credentials", "accessKeyId")?.text != nil { n += 1 }
                        return n
                    } ?? 0
                }
            }
            blackHole(found)
        }
    }

    Benchmark("Load from disk (page cache), \(label)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 50)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(InputSource.load(path).bytes.count) }
    }
}
