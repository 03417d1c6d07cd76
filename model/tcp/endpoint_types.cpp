#include "tcp/endpoint_types.h"

#include <array>

namespace tcpviz {

std::string_view sideName(Side s) {
    return s == Side::Client ? "client" : "server";
}

namespace {
constexpr std::array<std::string_view, 12> kCallNames{
    "listen", "connect",       "send",          "close",          "shutdown", "abort",
    "recv",   "shutdown-read", "shutdown-both", "close-linger-0", "accept",   "close-listener"};
}

std::string_view userCallName(UserCall c) {
    return kCallNames.at(static_cast<std::size_t>(c));
}

std::optional<UserCall> parseUserCall(std::string_view text) {
    for (std::size_t i = 0; i < kCallNames.size(); ++i) {
        if (kCallNames.at(i) == text) {
            return static_cast<UserCall>(i);
        }
    }
    return std::nullopt;
}

std::string_view socketErrorName(SocketError e) {
    static constexpr std::array<std::string_view, 4> kNames{"ECONNREFUSED", "ECONNRESET",
                                                            "ETIMEDOUT", "EPIPE"};
    return kNames.at(static_cast<std::size_t>(e));
}

std::string_view socketErrorText(SocketError e) {
    static constexpr std::array<std::string_view, 4> kTexts{
        "Connection refused", "Connection reset by peer", "Connection timed out", "Broken pipe"};
    return kTexts.at(static_cast<std::size_t>(e));
}

std::string_view errorCallName(ErrorCall c) {
    static constexpr std::array<std::string_view, 3> kNames{"connect", "recv", "send"};
    return kNames.at(static_cast<std::size_t>(c));
}

std::string_view timerKindName(TimerKind t) {
    static constexpr std::array<std::string_view, 5> kNames{
        "retransmission", "time-wait", "user-timeout", "delayed-ack", "fin-wait-2"};
    return kNames.at(static_cast<std::size_t>(t));
}

} // namespace tcpviz
