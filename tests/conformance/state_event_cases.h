#pragma once
// Short scripted cases, one state × event of RFC 9293 section 3.10 each, where
// Linux is known or suspected to answer otherwise than the RFC's text (RFC 5961
// challenge ACKs, resets of orphaned sockets, TIME-WAIT's answers, ...). Each is
// a complete `profile: linux` scenario played in the roles it lists.

#include <cstdint>
#include <string>
#include <vector>

namespace tcpviz::conformance {

struct StateEventCase {
    std::string name;
    std::string text;           ///< the scenario
    bool kernelClient = true;   ///< play it with the kernel as the client
    bool kernelServer = false;  ///< and as the server
    std::int64_t observeUs = 0; ///< 0: the harness's default window
};

[[nodiscard]] std::vector<StateEventCase> stateEventCases();

} // namespace tcpviz::conformance
