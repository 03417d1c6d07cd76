#include "tcp/profile.h"

namespace tcpviz {

std::string_view profileName(Profile p) {
    return p == Profile::Linux ? "linux" : "rfc9293";
}

std::optional<Profile> parseProfile(std::string_view text) {
    if (text == "rfc9293" || text == "rfc") {
        return Profile::Rfc9293;
    }
    if (text == "linux") {
        return Profile::Linux;
    }
    return std::nullopt;
}

TimerSpec defaultTimers(Profile profile) {
    TimerSpec t;
    t.rtoUs = 1'000'000;
    t.synRetries = 6;
    t.synackRetries = 5;
    t.dataRetries = 15;
    t.finTimeoutUs = 60'000'000;
    t.delayedAckUs = 40'000;
    // RFC 9293 keeps RFC 793's "arbitrarily defined" MSL of 2 minutes; Linux
    // hard-codes a 60 s TIME-WAIT (TCP_TIMEWAIT_LEN), i.e. an effective MSL of 30 s.
    t.mslUs = profile == Profile::Linux ? 30'000'000 : 120'000'000;
    return t;
}

} // namespace tcpviz
