// Arbitrary text as a scenario file. The parser must answer every input with a
// Scenario or an error that names a line and column, never a crash or an exception; a
// scenario it accepts must then simulate (within bounds) without a crash.
#include "run_trace.h"
#include "scenario/scenario.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 64 * 1024) {
        return -1; // scenario files are hand-written: small
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const tcpviz::Result<tcpviz::Scenario> result = tcpviz::parseScenarioText(text, "fuzz.yaml");
    if (!result.has_value()) {
        if (result.error().message.empty() || result.error().line <= 0 ||
            result.error().column <= 0) {
            std::abort(); // an error must say what is wrong, and where
        }
        (void)result.error().toString();
        return 0;
    }
    const tcpviz::Simulator sim = tcpviz::fuzz::runBounded(*result);
    tcpviz::fuzz::consumeTrace(sim.trace());
    return 0;
}
