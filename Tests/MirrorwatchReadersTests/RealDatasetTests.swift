import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// Real public CloudTrail (../shared/datasets, when present): the readers must agree with reality.
@Suite(.enabled(if: RepositoryPaths.datasets != nil, "../shared/datasets not present"))
struct RealDatasetTests {
    func readAll(_ relative: String) -> [ReadResult] {
        let (files, _) = InputSource.expand([RepositoryPaths.datasets! + "/" + relative])
        return files.filter { !$0.contains("LICENSE") && !$0.hasSuffix(".md") }.map { InputReader.read(InputSource.load($0)) }
    }

    @Test func grimoireChainIsAFullMirroringSetup() throws {
        let results = readAll("aws/elastic-grimoire-chain")
        let changes = results.flatMap(\.changes)
        #expect(results.allSatisfy { $0.report.skipped == 0 })
        let ops = Set(changes.map(\.operation))
        #expect(ops.isSuperset(of: ["CreateTrafficMirrorTarget", "CreateTrafficMirrorFilter", "CreateTrafficMirrorFilterRule", "CreateTrafficMirrorSession"]))
        let session = try #require(changes.first { $0.operation == "CreateTrafficMirrorSession" && $0.outcome.succeeded })
        #expect(session.spec.targetRef?.hasPrefix("tmt-") == true)
        #expect(session.spec.sources.first?.id.hasPrefix("eni-") == true)
    }

    @Test func pantherSamplesAreRead() {
        let results = readAll("aws/panther-mirroring")
        #expect(results.allSatisfy { $0.report.skipped == 0 })
        #expect(!results.flatMap(\.changes).isEmpty)
    }

    @Test func attackSimulationsWithoutMirroringYieldNoChanges() {
        let results = readAll("aws/invictus-ir-2023") + readAll("aws/stratus-red-team-detonations")
        #expect(results.reduce(0) { $0 + $1.report.records } > 1000)
        #expect(results.allSatisfy { $0.report.skipped == 0 })
        #expect(results.flatMap(\.changes).isEmpty)
        // The instances they launch (`RunInstances`) are known with their interface, subnet and address.
        let launched = results.flatMap(\.assets).first { $0.instanceId == "i-0dbc91f429e48eeed" }
        #expect(launched?.id == "eni-076fa9fb98a2500a7" && launched?.privateIP == "10.0.1.10" && launched?.subnetId == "subnet-0ed352584ab4aa265",
                "\(String(describing: launched))")
    }
}
