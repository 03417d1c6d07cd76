// Scenario files are written by hand, often by lecturers who are not C++
// programmers: every mistake must come back as "file:line:column: error: ..."
// with a hint, never as a crash or a silently ignored key. yaml-cpp reports
// positions through Node::Mark(); its exceptions are caught here and turned
// into Error values (Result<Scenario>).
#include "scenario/scenario.h"
#include "tcp/segment.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace tcpviz {

namespace {

/// Thrown inside the parser only; parseScenarioText turns it into a value.
struct Failure {
    SourceLocation where;
    std::string message;
};

SourceLocation locationOf(const YAML::Mark& m) {
    if (m.is_null() || m.line < 0) {
        return {};
    }
    return {m.line + 1, m.column + 1};
}

SourceLocation locationOf(const YAML::Node& n) {
    return locationOf(n.Mark());
}

[[noreturn]] void fail(const YAML::Node& at, std::string message) {
    throw Failure{locationOf(at), std::move(message)};
}

std::string quoted(std::string_view s) {
    return "`" + std::string(s) + "`";
}

std::string joined(const std::vector<std::string_view>& items) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) {
            out += ", ";
        }
        out += i;
    }
    return out;
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

/// " (did you mean `x`?)" when a known word is close to the typo.
std::string suggestion(std::string_view word, const std::vector<std::string_view>& known) {
    auto lowered = [](std::string_view in) {
        std::string out(in);
        std::transform(out.begin(), out.end(), out.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return out;
    };
    const std::string lower = lowered(word);
    std::string_view best;
    std::size_t bestDistance = std::numeric_limits<std::size_t>::max();
    for (const auto& k : known) {
        const std::size_t d = editDistance(lower, lowered(k));
        if (d < bestDistance) {
            bestDistance = d;
            best = k;
        }
    }
    if (!best.empty() && bestDistance <= std::max<std::size_t>(2, best.size() / 3)) {
        return " (did you mean " + quoted(best) + "?)";
    }
    return {};
}

std::string kindOf(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Scalar:
        return "a value";
    default:
        return "nothing";
    }
}

void requireMap(const YAML::Node& n, std::string_view what) {
    if (!n.IsMap()) {
        fail(n, std::string(what) + " must be a mapping such as {key: value}, not " + kindOf(n));
    }
}

void requireSequence(const YAML::Node& n, std::string_view what) {
    if (!n.IsSequence()) {
        fail(n, std::string(what) + " must be a list, not " + kindOf(n));
    }
}

std::string scalar(const YAML::Node& n, std::string_view what) {
    if (!n.IsScalar()) {
        fail(n, std::string(what) + " must be a single value, not " + kindOf(n));
    }
    return n.Scalar();
}

/// Walks a mapping, rejecting keys that are not in `allowed` (typos) and
/// duplicate keys (yaml-cpp would silently keep one of them).
template <typename F>
void forEachKey(const YAML::Node& map, std::string_view context,
                const std::vector<std::string_view>& allowed, F&& handle) {
    requireMap(map, context);
    std::set<std::string> seen;
    for (const auto& kv : map) {
        const YAML::Node& keyNode = kv.first;
        const std::string key = scalar(keyNode, "a key");
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            fail(keyNode, "unknown key " + quoted(key) + " in " + std::string(context) +
                              suggestion(key, allowed) + "; expected one of " + joined(allowed));
        }
        if (!seen.insert(key).second) {
            fail(keyNode, "duplicate key " + quoted(key) + " in " + std::string(context));
        }
        handle(key, kv.second, keyNode);
    }
}

std::int64_t parseDuration(const YAML::Node& n, std::string_view what) {
    const std::string text = scalar(n, what);
    std::size_t i = 0;
    while (i < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[i])) != 0 || text[i] == '.')) {
        ++i;
    }
    std::string number = text.substr(0, i);
    std::string unit = text.substr(i);
    unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
    const std::string hint = "; write a number with a unit: us, ms, s or min (e.g. 200ms)";
    if (number.empty() || std::count(number.begin(), number.end(), '.') > 1 ||
        number.front() == '.' || number.back() == '.') {
        fail(n, "bad duration " + quoted(text) + " for " + std::string(what) + hint);
    }
    double scale = 0;
    if (unit == "us" || unit == "\xC2\xB5s") {
        scale = 1;
    } else if (unit == "ms") {
        scale = 1e3;
    } else if (unit == "s") {
        scale = 1e6;
    } else if (unit == "min") {
        scale = 60e6;
    } else if (unit.empty()) {
        fail(n, "bad duration " + quoted(text) + " for " + std::string(what) + ": missing unit" +
                    hint);
    } else {
        fail(n, "bad duration " + quoted(text) + " for " + std::string(what) + ": unknown unit " +
                    quoted(unit) + hint);
    }
    double mantissa = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), mantissa);
    if (ec == std::errc::result_out_of_range) {
        fail(n, "duration " + quoted(text) + " for " + std::string(what) +
                    " has too many digits to represent");
    }
    if (ec != std::errc{} || ptr != number.data() + number.size()) {
        fail(n, "bad duration " + quoted(text) + " for " + std::string(what) + hint);
    }
    const double value = mantissa * scale;
    if (value > 1e15) {
        fail(n, "duration " + quoted(text) + " for " + std::string(what) + " is too long");
    }
    return static_cast<std::int64_t>(std::llround(value));
}

std::uint64_t parseUnsigned(const YAML::Node& n, std::string_view what, std::uint64_t max) {
    const std::string text = scalar(n, what);
    std::uint64_t value = 0;
    int base = 10;
    std::string_view digits = text;
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        digits.remove_prefix(2);
    }
    const auto* end = digits.data() + digits.size();
    const auto [ptr, ec] = std::from_chars(digits.data(), end, value, base);
    if (digits.empty() || ec != std::errc{} || ptr != end) {
        fail(n, "bad number " + quoted(text) + " for " + std::string(what) +
                    "; expected a whole number from 0 to " + std::to_string(max));
    }
    if (value > max) {
        fail(n, std::string(what) + " " + quoted(text) + " is too large; the maximum is " +
                    std::to_string(max));
    }
    return value;
}

std::uint32_t parseU32(const YAML::Node& n, std::string_view what) {
    return static_cast<std::uint32_t>(parseUnsigned(n, what, 0xFFFF'FFFFULL));
}

int parseCount(const YAML::Node& n, std::string_view what) {
    return static_cast<int>(parseUnsigned(n, what, 1000));
}

bool parseBool(const YAML::Node& n, std::string_view what) {
    const std::string text = scalar(n, what);
    if (text == "true" || text == "yes" || text == "on") {
        return true;
    }
    if (text == "false" || text == "no" || text == "off") {
        return false;
    }
    fail(n, "bad value " + quoted(text) + " for " + std::string(what) + "; expected true or false");
}

Side parseSide(const YAML::Node& n, std::string_view what) {
    const std::string text = scalar(n, what);
    if (text == "client") {
        return Side::Client;
    }
    if (text == "server") {
        return Side::Server;
    }
    fail(n, "unknown endpoint " + quoted(text) + " for " + std::string(what) +
                suggestion(text, {"client", "server"}) + "; expected client or server");
}

std::uint8_t parseFlagsNode(const YAML::Node& n, std::string_view what) {
    const std::string text = scalar(n, what);
    const auto flags = parseFlags(text);
    if (!flags) {
        fail(n, "bad flags " + quoted(text) + " for " + std::string(what) +
                    "; write control bits comma-separated, from SYN, FIN, RST, PSH, URG, ACK, "
                    "ECE, CWR (e.g. \"SYN,ACK\")");
    }
    return *flags;
}

/// YAML's folded style (`>-`) joins lines with a space, which is right for
/// English and wrong for Chinese: drop a space that sits between two non-ASCII
/// characters, so "连接。\n    服务器" reads "连接。服务器".
std::string unfoldCjk(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool between = text[i] == ' ' && i > 0 && i + 1 < text.size() &&
                             static_cast<unsigned char>(text[i - 1]) >= 0x80 &&
                             static_cast<unsigned char>(text[i + 1]) >= 0xC0;
        if (!between) {
            out.push_back(text[i]);
        }
    }
    return out;
}

LocalizedText parseLocalized(const YAML::Node& n, std::string_view what) {
    LocalizedText out;
    if (n.IsScalar()) {
        out.en = n.Scalar();
        return out;
    }
    forEachKey(n, what, {"en", "zh"}, [&](const std::string& key, const YAML::Node& v, auto&) {
        const std::string text = scalar(v, std::string(what) + "." + key);
        (key == "en" ? out.en : out.zh) = key == "zh" ? unfoldCjk(text) : text;
    });
    if (out.en.empty()) {
        fail(n, std::string(what) + " needs an English text (`en`)");
    }
    return out;
}

/// "192.168.0.2:52528" or "[2001:db8::1]:80"; port 0 is no port to connect to.
SocketAddress parseAddress(const YAML::Node& n, const std::string& text) {
    const std::string hint = "; expected IPv4 \"192.168.0.2:52528\" or IPv6 \"[2001:db8::1]:80\"";
    AddressSyntaxError why;
    auto address = parseSocketAddress(text, &why);
    if (address && address->port != 0) {
        return *address;
    }
    if (address) {
        why.kind = AddressSyntaxError::Kind::BadPort;
        why.port = std::string_view(text).substr(text.rfind(':') + 1);
    }
    switch (why.kind) {
    case AddressSyntaxError::Kind::Malformed:
        fail(n, "bad address " + quoted(text) + hint);
    case AddressSyntaxError::Kind::MissingPort:
        fail(n, "bad address " + quoted(text) + ": missing port" + hint);
    case AddressSyntaxError::Kind::BadHost:
        fail(n, "bad address " + quoted(text) + ": " + quoted(why.host) + " is not an IPv" +
                    (why.v6 ? "6" : "4") + " address" + hint);
    case AddressSyntaxError::Kind::BadPort:
        break;
    }
    fail(n, "bad address " + quoted(text) + ": port " + quoted(why.port) +
                " is not a number from 1 to 65535");
}

EndpointSpec parseEndpoint(const YAML::Node& n, std::string_view side) {
    EndpointSpec spec;
    forEachKey(n, side,
               {"address", "isn", "role", "reads", "window", "delays_acks", "backlog", "reuseaddr",
                "fast_open", "quick_ack"},
               [&](const std::string& key, const YAML::Node& v, const YAML::Node& keyNode) {
                   if ((key == "backlog" || key == "reuseaddr") && side != "server") {
                       fail(keyNode, quoted(key) +
                                         " belongs to the server (its listening "
                                         "socket), not to the " +
                                         std::string(side));
                   }
                   if (key == "backlog") {
                       spec.backlog =
                           static_cast<std::uint32_t>(parseUnsigned(v, "backlog", 0x7FFF'FFFFULL));
                   } else if (key == "reuseaddr") {
                       spec.reuseaddr = parseBool(v, "reuseaddr");
                   } else if (key == "address") {
                       spec.address = parseAddress(v, scalar(v, "address"));
                   } else if (key == "isn" && v.IsSequence()) {
                       // The ISN of each connection in turn: a lesson about a
                       // reconnect chooses where the new incarnation starts.
                       if (v.size() == 0) {
                           fail(v, "isn: the list needs at least one number");
                       }
                       spec.isn = parseU32(v[0], "isn");
                       for (std::size_t i = 1; i < v.size(); ++i) {
                           spec.laterIsns.push_back(parseU32(v[i], "isn"));
                       }
                   } else if (key == "isn") {
                       spec.isn = parseU32(v, "isn");
                   } else if (key == "reads") {
                       if (v.IsScalar() && v.Scalar() == "manual") {
                           spec.reads = false;
                           spec.manualReads = true;
                       } else if (v.IsScalar() && v.Scalar() != "true" && v.Scalar() != "false") {
                           const std::string& text = v.Scalar();
                           fail(v, "bad `reads` " + quoted(text) +
                                       suggestion(text, {"true", "false", "manual"}) +
                                       "; expected true (reads what arrives at once), false "
                                       "(never reads) or manual (reads at `recv` steps)");
                       } else {
                           spec.reads = parseBool(v, "reads");
                       }
                   } else if (key == "window") {
                       spec.window = parseU32(v, "window");
                   } else if (key == "delays_acks") {
                       spec.delaysAcks = parseBool(v, "delays_acks");
                   } else if (key == "fast_open") {
                       spec.fastOpen = parseBool(v, "fast_open");
                   } else if (key == "quick_ack") {
                       spec.quickAck = parseBool(v, "quick_ack");
                   } else {
                       const std::string role = scalar(v, "role");
                       if (role == "scripted") {
                           spec.scripted = true;
                       } else if (role != "tcp") {
                           fail(v, "unknown role " + quoted(role) +
                                       suggestion(role, {"scripted", "tcp"}) +
                                       "; expected tcp (the default) or scripted");
                       }
                   }
               });
    // Without an address the simulator picks its default one (defaultAddress()).
    return spec;
}

NetworkSpec parseNetwork(const YAML::Node& n) {
    NetworkSpec net;
    bool haveLatency = false;
    bool haveDirection = false;
    forEachKey(n, "network", {"latency", "client_to_server", "server_to_client"},
               [&](const std::string& key, const YAML::Node& v, auto&) {
                   const std::int64_t us = parseDuration(v, key);
                   if (key == "latency") {
                       net.clientToServerUs = us;
                       net.serverToClientUs = us;
                       haveLatency = true;
                   } else if (key == "client_to_server") {
                       net.clientToServerUs = us;
                       haveDirection = true;
                   } else {
                       net.serverToClientUs = us;
                       haveDirection = true;
                   }
               });
    if (haveLatency && haveDirection) {
        fail(n, "network: give either `latency` or `client_to_server`/`server_to_client`, "
                "not both");
    }
    return net;
}

void parseTimers(const YAML::Node& n, TimerSpec& t, Profile profile, const std::string& file,
                 std::vector<Error>& warnings) {
    forEachKey(n, "timers",
               {"msl", "rto", "syn_retries", "synack_retries", "data_retries", "fin_timeout",
                "delayed_ack", "user_timeout"},
               [&](const std::string& key, const YAML::Node& v, const YAML::Node& keyNode) {
                   if (key == "msl") {
                       t.mslUs = parseDuration(v, key);
                       if (profile == Profile::Linux) {
                           // The linux endpoint ignores the MSL: say so instead of
                           // silently teaching a TIME-WAIT the kernel never has.
                           Error w;
                           w.file = file;
                           w.line = locationOf(keyNode).line;
                           w.column = locationOf(keyNode).column;
                           w.message = "`msl` has no effect in a linux scenario: Linux's "
                                       "TIME-WAIT lasts a fixed 60 s (TCP_TIMEWAIT_LEN), "
                                       "whatever the MSL; use profile: rfc9293 for a "
                                       "TIME-WAIT of 2 x msl";
                           warnings.push_back(std::move(w));
                       }
                   } else if (key == "rto") {
                       t.rtoUs = parseDuration(v, key);
                       if (t.rtoUs <= 0) {
                           fail(v, "rto must be longer than 0");
                       }
                   } else if (key == "syn_retries") {
                       t.synRetries = parseCount(v, key);
                   } else if (key == "synack_retries") {
                       t.synackRetries = parseCount(v, key);
                   } else if (key == "data_retries") {
                       t.dataRetries = parseCount(v, key);
                   } else if (key == "fin_timeout") {
                       t.finTimeoutUs = parseDuration(v, key);
                   } else if (key == "delayed_ack") {
                       t.delayedAckUs = parseDuration(v, key);
                   } else {
                       t.userTimeoutUs = parseDuration(v, key);
                   }
               });
}

const std::vector<std::string_view> kActionNames{
    "listen", "connect", "send", "recv", "close", "shutdown", "abort", "accept", "close-listener"};
constexpr std::array<Action, 9> kActionOfName{
    Action::Listen,   Action::Connect, Action::Send,   Action::Recv,         Action::Close,
    Action::Shutdown, Action::Abort,   Action::Accept, Action::CloseListener};

Action parseAction(const YAML::Node& n) {
    const std::string text = scalar(n, "an action");
    for (std::size_t i = 0; i < kActionNames.size(); ++i) {
        if (text == kActionNames[i]) {
            return kActionOfName.at(i);
        }
    }
    fail(n, "unknown action " + quoted(text) + suggestion(text, kActionNames) +
                "; expected one of " + joined(kActionNames));
}

void parseWhen(const YAML::Node& n, Trigger& trigger) {
    const std::string text = scalar(n, "when");
    std::istringstream words(text);
    std::string side;
    std::string state;
    std::string extra;
    words >> side >> state >> extra;
    if (state.empty() || !extra.empty()) {
        fail(n, "bad `when` " + quoted(text) +
                    "; write an endpoint and a state, e.g. `when: client ESTABLISHED`");
    }
    if (side == "client") {
        trigger.whenSide = Side::Client;
    } else if (side == "server") {
        trigger.whenSide = Side::Server;
    } else {
        fail(n, "unknown endpoint " + quoted(side) + " in `when`" +
                    suggestion(side, {"client", "server"}) + "; expected client or server");
    }
    const auto s = parseState(state);
    if (!s) {
        std::vector<std::string_view> names;
        names.reserve(kAllStates.size());
        for (State st : kAllStates) {
            names.push_back(stateName(st));
        }
        fail(n, "unknown state " + quoted(state) + " in `when`" + suggestion(state, names) +
                    "; expected one of " + joined(names) +
                    " (Linux spellings such as SYN_RECV or FIN_WAIT1 work too)");
    }
    trigger.whenState = *s;
}

InjectSpec parseInject(const YAML::Node& n) {
    InjectSpec spec;
    bool haveTo = false;
    bool haveFlags = false;
    forEachKey(n, "inject", {"to", "flags", "seq", "ack", "len", "window"},
               [&](const std::string& key, const YAML::Node& v, auto&) {
                   if (key == "to") {
                       spec.to = parseSide(v, "inject.to");
                       haveTo = true;
                   } else if (key == "flags") {
                       spec.flags = parseFlagsNode(v, "inject.flags");
                       haveFlags = true;
                   } else if (key == "seq") {
                       spec.seq = parseU32(v, "inject.seq");
                   } else if (key == "ack") {
                       spec.ack = parseU32(v, "inject.ack");
                   } else if (key == "len") {
                       spec.len = parseU32(v, "inject.len");
                   } else {
                       spec.window = parseU32(v, "inject.window");
                   }
               });
    if (!haveTo) {
        fail(n, "missing endpoint: `inject` needs `to: client` or `to: server`");
    }
    if (!haveFlags) {
        fail(n, "`inject` needs `flags`, e.g. flags: \"RST\"");
    }
    return spec;
}

Step parseStep(const YAML::Node& n) {
    Step step;
    step.where = locationOf(n);
    int actors = 0;
    std::optional<YAML::Node> bytesNode;
    std::optional<YAML::Node> howNode;
    std::optional<YAML::Node> lingerNode;
    std::optional<YAML::Node> backlogNode;
    forEachKey(n, "a step",
               {"at", "when", "after", "client", "server", "inject", "bytes", "how", "linger",
                "backlog", "note"},
               [&](const std::string& key, const YAML::Node& v, const YAML::Node& keyNode) {
                   if (key == "at") {
                       step.trigger.atUs = parseDuration(v, "at");
                   } else if (key == "when") {
                       parseWhen(v, step.trigger);
                   } else if (key == "after") {
                       step.trigger.afterUs = parseDuration(v, "after");
                   } else if (key == "client" || key == "server") {
                       ++actors;
                       if (actors > 1) {
                           fail(keyNode, "a step has one actor: give only one of `client`, "
                                         "`server` or `inject` (write two steps instead)");
                       }
                       step.endpoint = key == "client" ? Side::Client : Side::Server;
                       step.action = parseAction(v);
                   } else if (key == "inject") {
                       ++actors;
                       if (actors > 1) {
                           fail(keyNode, "a step has one actor: give only one of `client`, "
                                         "`server` or `inject` (write two steps instead)");
                       }
                       step.action = Action::Inject;
                       step.inject = parseInject(v);
                       step.endpoint = peer(step.inject.to);
                   } else if (key == "bytes") {
                       step.bytes = parseU32(v, "bytes");
                       bytesNode = v;
                   } else if (key == "how") {
                       const std::string how = scalar(v, "how");
                       if (how == "write") {
                           step.how = ShutdownHow::Write;
                       } else if (how == "read") {
                           step.how = ShutdownHow::Read;
                       } else if (how == "both") {
                           step.how = ShutdownHow::Both;
                       } else {
                           fail(v, "unknown `how` " + quoted(how) +
                                       suggestion(how, {"write", "read", "both"}) +
                                       "; expected write (SHUT_WR, the default), read (SHUT_RD) "
                                       "or both (SHUT_RDWR)");
                       }
                       howNode = keyNode;
                   } else if (key == "linger") {
                       if (parseU32(v, "linger") != 0) {
                           fail(v, "`linger` takes only 0 (SO_LINGER {1, 0}: close() sends RST); "
                                   "a lingering close() that waits is not modelled");
                       }
                       step.lingerZero = true;
                       lingerNode = keyNode;
                   } else if (key == "backlog") {
                       step.backlog =
                           static_cast<std::uint32_t>(parseUnsigned(v, "backlog", 0x7FFF'FFFFULL));
                       backlogNode = keyNode;
                   } else {
                       step.note = parseLocalized(v, "note");
                   }
               });
    if (actors == 0) {
        fail(n, "missing endpoint: a step needs `client: ACTION`, `server: ACTION` or "
                "`inject: {...}`");
    }
    if (step.trigger.atUs && step.trigger.whenSide) {
        fail(n, "a step runs either `at` a time or `when` an endpoint enters a state, not both");
    }
    if (!step.trigger.atUs && !step.trigger.whenSide) {
        fail(n, "a step needs `at: TIME` or `when: ENDPOINT STATE` (e.g. `at: 0ms`)");
    }
    if (step.action == Action::Send && !bytesNode) {
        fail(n, "`send` needs `bytes: N`, the number of bytes the application writes");
    }
    if (step.action == Action::Send && step.bytes == 0) {
        fail(*bytesNode, "`send` needs at least one byte");
    }
    if (step.action == Action::Connect && bytesNode && step.bytes == 0) {
        fail(*bytesNode, "`connect` with `bytes` needs at least one byte (data on the SYN)");
    }
    if (step.action == Action::Recv && bytesNode && step.bytes == 0) {
        fail(*bytesNode, "`recv` with `bytes` needs at least one byte (leave `bytes` out to "
                         "read all there is)");
    }
    if (step.action != Action::Send && step.action != Action::Connect &&
        step.action != Action::Recv && bytesNode) {
        fail(*bytesNode, "`bytes` belongs to a `send` step (or a `connect` that sends data on "
                         "its SYN, or a `recv` that reads at most that many)");
    }
    if (howNode && step.action != Action::Shutdown) {
        fail(*howNode, "`how` belongs to a `shutdown` step (how: read, write or both)");
    }
    if (lingerNode && step.action != Action::Close) {
        fail(*lingerNode, "`linger` belongs to a `close` step (linger: 0 is close() after "
                          "SO_LINGER {1, 0})");
    }
    if (backlogNode && step.action != Action::Listen) {
        fail(*backlogNode, "`backlog` belongs to a `listen` step (listen()'s backlog)");
    }
    return step;
}

Fault parseFault(const YAML::Node& n) {
    requireMap(n, "a fault");
    if (n.size() != 1) {
        fail(n, "a fault is one of `drop: {...}`, `delay: {...}` or `duplicate: {...}`");
    }
    Fault fault;
    fault.where = locationOf(n);
    const auto kv = n.begin();
    const std::string kind = scalar(kv->first, "a fault kind");
    if (kind == "drop") {
        fault.kind = FaultKind::Drop;
    } else if (kind == "delay") {
        fault.kind = FaultKind::Delay;
    } else if (kind == "duplicate") {
        fault.kind = FaultKind::Duplicate;
    } else {
        fail(kv->first, "unknown fault " + quoted(kind) +
                            suggestion(kind, {"drop", "delay", "duplicate"}) +
                            "; expected drop, delay or duplicate");
    }
    const YAML::Node body = kv->second;
    std::vector<std::string_view> allowed{"from", "flags", "nth", "every", "since"};
    if (fault.kind == FaultKind::Delay) {
        allowed.emplace_back("by");
    }
    if (fault.kind == FaultKind::Duplicate) {
        allowed.emplace_back("after");
    }
    bool haveFrom = false;
    bool haveFlags = false;
    bool haveBy = false;
    forEachKey(body, kind, allowed, [&](const std::string& key, const YAML::Node& v, auto&) {
        if (key == "from") {
            fault.from = parseSide(v, kind + ".from");
            haveFrom = true;
        } else if (key == "flags") {
            fault.flags = parseFlagsNode(v, kind + ".flags");
            haveFlags = true;
        } else if (key == "nth") {
            const auto nth = parseU32(v, "nth");
            if (nth == 0) {
                fail(v, "`nth` counts from 1 (the first matching segment)");
            }
            fault.nth = nth;
        } else if (key == "every") {
            fault.every = parseBool(v, "every");
        } else if (key == "since") {
            fault.sentAtOrAfterUs = parseDuration(v, "since");
        } else if (key == "by") {
            fault.byUs = parseDuration(v, "by");
            haveBy = true;
        } else {
            fault.afterUs = parseDuration(v, "after");
        }
    });
    if (!haveFrom) {
        fail(body, "missing endpoint: " + kind + " needs `from: client` or `from: server`");
    }
    if (!haveFlags) {
        fail(body, kind + " needs `flags`, e.g. flags: \"SYN\" (matched exactly)");
    }
    if (fault.kind == FaultKind::Delay && !haveBy) {
        fail(body, "delay needs `by: DURATION`, the extra latency");
    }
    if (fault.every && fault.nth) {
        fail(body, kind + ": give `nth: N` or `every: true`, not both");
    }
    if (!fault.every && !fault.nth) {
        fault.nth = 1;
    }
    return fault;
}

std::vector<State> parseStateList(const YAML::Node& n, std::string_view what) {
    requireSequence(n, what);
    std::vector<State> out;
    for (const auto& item : n) {
        const std::string text = scalar(item, what);
        const auto s = parseState(text);
        if (!s) {
            fail(item, "unknown state " + quoted(text) + " in " + std::string(what));
        }
        out.push_back(*s);
    }
    return out;
}

Expectation parseExpect(const YAML::Node& n) {
    Expectation e;
    forEachKey(n, "expect", {"client", "server", "segments", "arcs"},
               [&](const std::string& key, const YAML::Node& v, auto&) {
                   if (key == "client") {
                       e.client = parseStateList(v, "expect.client");
                   } else if (key == "server") {
                       e.server = parseStateList(v, "expect.server");
                   } else if (key == "arcs") {
                       requireSequence(v, "expect.arcs");
                       std::vector<std::string_view> keys;
                       for (const Arc& a : arcCatalog()) {
                           keys.push_back(a.key);
                       }
                       for (const auto& item : v) {
                           const std::string text = scalar(item, "expect.arcs");
                           const auto id = findArc(text);
                           if (!id) {
                               fail(item, "unknown arc " + quoted(text) + suggestion(text, keys) +
                                              " in expect.arcs; arcs are named by their ids, "
                                              "e.g. rcv-syn or fin-wait-1-fin-ack");
                           }
                           e.arcs.push_back(*id);
                       }
                   } else {
                       requireSequence(v, "expect.segments");
                       for (const auto& item : v) {
                           e.segments.push_back(
                               flagsToString(parseFlagsNode(item, "expect.segments")));
                       }
                   }
               });
    return e;
}

// ---------------------------------------------------------------- many connections

/// Parses a piece of the text of `outer` with `parse`, reporting any mistake at
/// `outer` (a node made from a piece of text has no position of its own).
template <typename F> auto atNode(const YAML::Node& outer, F&& parse) {
    try {
        return parse();
    } catch (Failure& f) {
        f.where = locationOf(outer);
        throw;
    }
}

/// A sysctl written as /proc shows it (`1`) or, for the few booleans, true/false.
int parseSysctlChoice(const YAML::Node& n, std::string_view what, int max) {
    const std::string text = scalar(n, what);
    if (max == 1 && (text == "true" || text == "false")) {
        return text == "true" ? 1 : 0;
    }
    const auto v = parseUnsigned(n, what, static_cast<std::uint64_t>(max));
    return static_cast<int>(v);
}

/// A time sysctl: a plain number in the unit /proc uses (`unit` microseconds),
/// or a duration with its own unit.
std::int64_t parseSysctlTime(const YAML::Node& n, std::string_view what, std::int64_t unit) {
    const std::string text = scalar(n, what);
    if (!text.empty() && std::all_of(text.begin(), text.end(),
                                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
        return static_cast<std::int64_t>(parseUnsigned(n, what, 1'000'000'000ULL)) * unit;
    }
    return parseDuration(n, what);
}

void parseSysctls(const YAML::Node& n, Sysctls& s, TimerSpec& t) {
    forEachKey(
        n, "sysctls",
        {"tcp_syncookies", "tcp_max_syn_backlog", "somaxconn", "tcp_abort_on_overflow",
         "tcp_tw_reuse", "tcp_tw_reuse_delay", "tcp_timestamps", "ip_local_port_range",
         "tcp_fin_timeout", "tcp_synack_retries", "tcp_syn_retries", "tcp_retries2"},
        [&](const std::string& key, const YAML::Node& v, auto&) {
            if (key == "tcp_syncookies") {
                s.tcpSyncookies = parseSysctlChoice(v, key, 2);
            } else if (key == "tcp_max_syn_backlog") {
                s.tcpMaxSynBacklog =
                    static_cast<std::uint32_t>(parseUnsigned(v, key, 0x7FFF'FFFFULL));
            } else if (key == "somaxconn") {
                s.somaxconn = static_cast<std::uint32_t>(parseUnsigned(v, key, 0x7FFF'FFFFULL));
            } else if (key == "tcp_abort_on_overflow") {
                s.tcpAbortOnOverflow = parseSysctlChoice(v, key, 1);
            } else if (key == "tcp_tw_reuse") {
                s.tcpTwReuse = parseSysctlChoice(v, key, 2);
            } else if (key == "tcp_tw_reuse_delay") {
                s.tcpTwReuseDelayUs = parseSysctlTime(v, key, 1'000); // ms in /proc
            } else if (key == "tcp_timestamps") {
                s.tcpTimestamps = parseSysctlChoice(v, key, 2) != 0;
            } else if (key == "ip_local_port_range") {
                // "32768 60999" as /proc shows it, or [32768, 60999].
                std::vector<std::uint64_t> ports;
                if (v.IsSequence()) {
                    for (const auto& item : v) {
                        ports.push_back(parseUnsigned(item, key, 65535));
                    }
                } else {
                    std::istringstream words(scalar(v, key));
                    std::string word;
                    while (words >> word) {
                        const YAML::Node w(word);
                        ports.push_back(atNode(v, [&] { return parseUnsigned(w, key, 65535); }));
                    }
                }
                if (ports.size() != 2 || ports[0] == 0 || ports[0] > ports[1]) {
                    fail(v, "ip_local_port_range needs two ports, the first from 1 up to the "
                            "second, e.g. \"32768 60999\" or [32768, 60999]");
                }
                s.portLow = static_cast<std::uint16_t>(ports[0]);
                s.portHigh = static_cast<std::uint16_t>(ports[1]);
            } else if (key == "tcp_fin_timeout") {
                t.finTimeoutUs = parseSysctlTime(v, key, 1'000'000); // seconds in /proc
            } else if (key == "tcp_synack_retries") {
                t.synackRetries = parseCount(v, key);
            } else if (key == "tcp_syn_retries") {
                t.synRetries = parseCount(v, key);
            } else {
                t.dataRetries = parseCount(v, key);
            }
        });
}

const std::vector<std::string_view> kBehaviourNames{"syn-only", "connect-close", "connect-hold"};

/// "10.0.0.0/24" (its usable addresses, network and broadcast left out from /30
/// down) or one address.
void parseFrom(const YAML::Node& n, LoadSpec& spec) {
    const std::string text = scalar(n, "from");
    const auto slash = text.find('/');
    const std::string host = text.substr(0, slash);
    const auto ip = parseIpAddress(host);
    if (!ip) {
        fail(n, "bad address " + quoted(text) +
                    " for `from`; expected an address (\"10.0.0.7\") or a CIDR block "
                    "(\"10.0.0.0/24\", \"2001:db8::/112\")");
    }
    spec.base = *ip;
    spec.hosts = 1;
    if (slash == std::string::npos) {
        return;
    }
    const int bits = ip->v6 ? 128 : 32;
    const YAML::Node prefixNode(text.substr(slash + 1));
    const auto prefix = static_cast<int>(
        atNode(n, [&] { return parseUnsigned(prefixNode, "the prefix length", 128); }));
    if (prefix > bits || text.substr(slash + 1).empty()) {
        fail(n, "bad prefix length in " + quoted(text) + "; expected 0 to " + std::to_string(bits));
    }
    const int hostBits = std::min(bits - prefix, 31);
    // The block's first address: the written one with its host bits cleared.
    for (int b = bits - 1, cleared = 0; cleared < bits - prefix; --b, ++cleared) {
        spec.base.bytes.at(static_cast<std::size_t>(b / 8)) &=
            static_cast<std::uint8_t>(~(1U << (7 - (b % 8))));
    }
    std::uint32_t hosts = 1U << hostBits;
    if (!ip->v6 && hostBits >= 2) {
        // no network and broadcast address
        hosts -= 2;
        spec.base.bytes[3] = static_cast<std::uint8_t>(spec.base.bytes[3] + 1);
    }
    spec.hosts = hosts;
}

double parseRate(const YAML::Node& n) {
    std::string text = scalar(n, "rate");
    if (text.ends_with("/s")) {
        text = text.substr(0, text.size() - 2);
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || !(value > 0) || value > 1e9) {
        fail(n, "bad rate " + quoted(n.Scalar()) +
                    "; write connections per second, e.g. 100/s (more than 0)");
    }
    return value;
}

LoadSpec parseLoad(const YAML::Node& n) {
    LoadSpec spec;
    spec.where = locationOf(n);
    spec.base = IpAddress{false, {198, 51, 100, 1}};
    bool haveBehaviour = false;
    bool haveBytes = false;
    forEachKey(n, "a load entry", {"at", "count", "rate", "from", "behaviour", "bytes"},
               [&](const std::string& key, const YAML::Node& v, auto&) {
                   if (key == "at") {
                       spec.atUs = parseDuration(v, "at");
                   } else if (key == "count") {
                       spec.count =
                           static_cast<std::uint32_t>(parseUnsigned(v, "count", 1'000'000));
                       if (spec.count == 0) {
                           fail(v, "`count` must be at least 1");
                       }
                   } else if (key == "rate") {
                       spec.rate = parseRate(v);
                   } else if (key == "from") {
                       parseFrom(v, spec);
                   } else if (key == "bytes") {
                       spec.bytes = parseU32(v, "bytes");
                       haveBytes = true;
                   } else {
                       const std::string text = scalar(v, "behaviour");
                       const auto it =
                           std::find(kBehaviourNames.begin(), kBehaviourNames.end(), text);
                       if (it == kBehaviourNames.end()) {
                           fail(v, "unknown behaviour " + quoted(text) +
                                       suggestion(text, kBehaviourNames) + "; expected one of " +
                                       joined(kBehaviourNames));
                       }
                       spec.behaviour = static_cast<LoadBehaviour>(it - kBehaviourNames.begin());
                       haveBehaviour = true;
                   }
               });
    if (!haveBehaviour) {
        fail(n, "a load entry needs `behaviour: " + joined(kBehaviourNames) + "`");
    }
    if (spec.behaviour == LoadBehaviour::SynOnly && haveBytes) {
        fail(n, "`bytes` makes no sense for syn-only clients: they never get to send");
    }
    if (spec.behaviour == LoadBehaviour::ConnectClose && !haveBytes) {
        spec.bytes = 100;
    }
    return spec;
}

/// `TIME` after a keyword: `after: 5s` as a mapping or "after 5s" as one value.
std::int64_t parseKeyedTime(const YAML::Node& n, std::string_view keyword, std::string_view what) {
    if (n.IsMap()) {
        std::int64_t us = 0;
        forEachKey(n, what, {keyword}, [&](const std::string&, const YAML::Node& v, auto&) {
            us = parseDuration(v, keyword);
        });
        return us;
    }
    const std::string text = scalar(n, what);
    const YAML::Node rest(text.substr(keyword.size() + 1));
    return atNode(n, [&] { return parseDuration(rest, keyword); });
}

AppSpec parseApp(const YAML::Node& n) {
    AppSpec app;
    forEachKey(
        n, "app", {"close", "accept"}, [&](const std::string& key, const YAML::Node& v, auto&) {
            const bool keyed = v.IsMap() || (v.IsScalar() && (v.Scalar().starts_with("after ") ||
                                                              v.Scalar().starts_with("every ")));
            if (key == "close") {
                if (keyed) {
                    app.close = AppSpec::Close::After;
                    app.closeAfterUs = parseKeyedTime(v, "after", "app.close");
                    return;
                }
                const std::string text = scalar(v, "app.close");
                if (text == "on-eof") {
                    app.close = AppSpec::Close::OnEof;
                } else if (text == "never") {
                    app.close = AppSpec::Close::Never;
                } else {
                    fail(v, "unknown close " + quoted(text) +
                                suggestion(text, {"on-eof", "never"}) +
                                "; expected on-eof, never or {after: TIME}");
                }
            } else {
                if (keyed) {
                    app.accept = AppSpec::Accept::Every;
                    app.acceptEveryUs = parseKeyedTime(v, "every", "app.accept");
                    return;
                }
                const std::string text = scalar(v, "app.accept");
                if (text == "at-once") {
                    app.accept = AppSpec::Accept::AtOnce;
                } else if (text == "never") {
                    app.accept = AppSpec::Accept::Never;
                } else {
                    fail(v, "unknown accept " + quoted(text) +
                                suggestion(text, {"at-once", "never"}) +
                                "; expected at-once, never or {every: TIME}");
                }
            }
        });
    return app;
}

} // namespace

std::optional<UserCall> userCallOf(const Step& step) {
    switch (step.action) {
    case Action::Listen:
        return UserCall::Listen;
    case Action::Connect:
        return UserCall::Connect;
    case Action::Send:
        return UserCall::Send;
    case Action::Close:
        return step.lingerZero ? UserCall::CloseLinger0 : UserCall::Close;
    case Action::Shutdown:
        return step.how == ShutdownHow::Read   ? UserCall::ShutdownRead
               : step.how == ShutdownHow::Both ? UserCall::ShutdownBoth
                                               : UserCall::Shutdown;
    case Action::Abort:
        return UserCall::Abort;
    case Action::Recv:
        return UserCall::Recv;
    case Action::Accept:
        return UserCall::Accept;
    case Action::CloseListener:
        return UserCall::CloseListener;
    case Action::Inject:
        return std::nullopt;
    }
    return std::nullopt;
}

std::string_view loadBehaviourName(LoadBehaviour b) {
    return kBehaviourNames.at(static_cast<std::size_t>(b));
}

namespace {

std::string stemOf(const std::string& name) {
    std::string stem = name;
    const auto slash = stem.find_last_of("/\\");
    if (slash != std::string::npos) {
        stem = stem.substr(slash + 1);
    }
    const auto dot = stem.rfind('.');
    if (dot != std::string::npos && dot > 0) {
        stem = stem.substr(0, dot);
    }
    return stem;
}

Scenario parseRoot(const YAML::Node& root, const std::string& name, std::vector<Error>& warnings) {
    if (!root.IsDefined() || root.IsNull()) {
        throw Failure{{1, 1},
                      "the scenario is empty; it needs at least `client`, `server` and "
                      "`steps`"};
    }
    requireMap(root, "a scenario");
    Scenario sc;
    sc.id = stemOf(name);
    sc.sourceFile = name;
    // The profile decides the timer defaults, so it is read before `timers`.
    if (const YAML::Node p = root["profile"]; p) {
        const std::string text = scalar(p, "profile");
        const auto profile = parseProfile(text);
        if (!profile) {
            fail(p, "unknown profile " + quoted(text) + suggestion(text, {"rfc9293", "linux"}) +
                        "; expected rfc9293 or linux");
        }
        sc.profile = *profile;
    }
    sc.timers = defaultTimers(sc.profile);
    bool haveSteps = false;
    std::optional<YAML::Node> sysctlsNode;
    std::optional<YAML::Node> appNode;
    forEachKey(root, "the scenario",
               {"id", "title", "description", "topic", "profile", "client", "server", "network",
                "timers", "steps", "faults", "expect", "sysctls", "load", "app"},
               [&](const std::string& key, const YAML::Node& v, auto&) {
                   if (key == "id") {
                       sc.id = scalar(v, "id");
                       if (sc.id.empty()) {
                           fail(v, "`id` must not be empty");
                       }
                   } else if (key == "title") {
                       sc.title = parseLocalized(v, "title");
                   } else if (key == "description") {
                       sc.description = parseLocalized(v, "description");
                   } else if (key == "topic") {
                       sc.topic = scalar(v, "topic");
                       const std::vector<std::string_view> topics(kScenarioTopics.begin(),
                                                                  kScenarioTopics.end());
                       if (std::find(topics.begin(), topics.end(), sc.topic) == topics.end()) {
                           fail(v, "unknown topic " + quoted(sc.topic) +
                                       suggestion(sc.topic, topics) + "; expected one of " +
                                       joined(topics));
                       }
                   } else if (key == "profile") {
                       // read above
                   } else if (key == "client") {
                       sc.client = parseEndpoint(v, "client");
                   } else if (key == "server") {
                       sc.server = parseEndpoint(v, "server");
                   } else if (key == "network") {
                       sc.network = parseNetwork(v);
                   } else if (key == "timers") {
                       parseTimers(v, sc.timers, sc.profile, name, warnings);
                   } else if (key == "steps") {
                       requireSequence(v, "steps");
                       for (const auto& s : v) {
                           sc.steps.push_back(parseStep(s));
                       }
                       haveSteps = true;
                   } else if (key == "sysctls") {
                       sysctlsNode = v;
                   } else if (key == "load") {
                       requireSequence(v, "load");
                       if (v.size() == 0) {
                           fail(v, "`load` needs at least one entry, e.g. - {count: 100, "
                                   "rate: 50/s, behaviour: connect-close}");
                       }
                       for (const auto& l : v) {
                           sc.load.push_back(parseLoad(l));
                       }
                   } else if (key == "app") {
                       sc.app = parseApp(v);
                       appNode = v;
                   } else if (key == "faults") {
                       requireSequence(v, "faults");
                       for (const auto& f : v) {
                           sc.faults.push_back(parseFault(f));
                       }
                   } else {
                       sc.expect = parseExpect(v);
                   }
               });
    // After `timers`, so that the Linux names win over the old ones when both are given.
    if (sysctlsNode) {
        parseSysctls(*sysctlsNode, sc.sysctls, sc.timers);
    }
    if (sc.load.empty()) {
        auto noEffect = [&](const YAML::Node& at, std::string_view what) {
            Error w;
            w.file = name;
            w.line = locationOf(at).line;
            w.column = locationOf(at).column;
            w.message = std::string(what) +
                        " has no effect without `load`: a scenario without generated "
                        "clients plays one connection";
            warnings.push_back(std::move(w));
        };
        if (appNode) {
            noEffect(*appNode, "`app`");
        }
        if (sc.server.backlog) {
            noEffect(root["server"], "`backlog`");
        }
    }
    if (!haveSteps) {
        fail(root, "missing `steps`: a scenario needs at least one step, e.g. "
                   "- {at: 0ms, server: listen}");
    }
    if (sc.title.empty()) {
        sc.title.en = sc.id;
    }
    for (const auto& step : sc.steps) {
        if (step.action == Action::Inject) {
            continue;
        }
        const EndpointSpec& actor = step.endpoint == Side::Client ? sc.client : sc.server;
        const std::string who(sideName(step.endpoint));
        if (actor.scripted) {
            throw Failure{step.where, "the " + who +
                                          " is scripted (no TCP logic); it can only act "
                                          "through `inject` steps"};
        }
        const bool newCall = step.action == Action::Recv || step.action == Action::Accept ||
                             step.action == Action::CloseListener || step.lingerZero ||
                             step.how != ShutdownHow::Write;
        if (newCall && sc.manyConnections()) {
            throw Failure{step.where, "`" + std::string(userCallName(*userCallOf(step))) +
                                          "` is not available in a multi-connection scenario "
                                          "(one with `load`); use `app` for the server's "
                                          "accept() and close()"};
        }
        if (step.action == Action::Listen && step.backlog && sc.manyConnections() &&
            step.endpoint == Side::Server) {
            // The host simulator reads the listener's backlog from `server.backlog`.
            if (sc.server.backlog && *sc.server.backlog != *step.backlog) {
                throw Failure{step.where, "`backlog: " + std::to_string(*step.backlog) +
                                              "` differs from `server.backlog: " +
                                              std::to_string(*sc.server.backlog) +
                                              "`; give it once"};
            }
            sc.server.backlog = step.backlog;
        }
        if (step.action == Action::Recv && !actor.manualReads) {
            throw Failure{step.where, "`recv` needs `reads: manual` on the " + who +
                                          " (without it the application reads whatever "
                                          "arrives at once)"};
        }
        if (step.action == Action::Accept || step.action == Action::CloseListener) {
            const bool listens = std::any_of(sc.steps.begin(), sc.steps.end(), [&](const Step& o) {
                return o.action == Action::Listen && o.endpoint == step.endpoint;
            });
            if (!listens) {
                throw Failure{step.where, "`" + std::string(userCallName(*userCallOf(step))) +
                                              "` needs a listening socket: the " + who +
                                              " has no `listen` step"};
            }
        }
    }
    return sc;
}

/// Offset of the first byte that is not part of well-formed UTF-8, or npos.
/// yaml-cpp passes such bytes through; the trace JSON writer then refuses them,
/// so a stray Latin-1 byte in a title would end `simulate --json` with an abort.
std::size_t firstInvalidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        std::size_t n = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xbf;
        if (b < 0x80) {
            ++i;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            n = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 2;
            lo = b == 0xe0 ? 0xa0 : 0x80; // no overlong forms
            hi = b == 0xed ? 0x9f : 0xbf; // no surrogates
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 3;
            lo = b == 0xf0 ? 0x90 : 0x80;
            hi = b == 0xf4 ? 0x8f : 0xbf;
        } else {
            return i;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= text.size()) {
                return i;
            }
            const auto c = static_cast<unsigned char>(text[i + k]);
            if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf)) {
                return i;
            }
        }
        i += n + 1;
    }
    return std::string_view::npos;
}

SourceLocation locationOfOffset(std::string_view text, std::size_t offset) {
    const std::string_view before = text.substr(0, offset);
    const auto lineStart = before.rfind('\n');
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    const auto column = lineStart == std::string_view::npos ? offset + 1 : offset - lineStart;
    return {static_cast<int>(line), static_cast<int>(column)};
}

} // namespace

Result<Scenario> parseScenarioText(std::string_view text, const std::string& name) {
    Error error;
    error.file = name.empty() ? std::string("<scenario>") : name;
    if (const auto bad = firstInvalidUtf8(text); bad != std::string_view::npos) {
        const SourceLocation at = locationOfOffset(text, bad);
        error.line = at.line;
        error.column = at.column;
        error.message = "not valid UTF-8 text: save the scenario file as UTF-8";
        return tcpviz::fail(std::move(error));
    }
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        std::vector<Error> warnings;
        Scenario sc = parseRoot(root, name, warnings);
        sc.warnings = std::move(warnings);
        return sc;
    } catch (const Failure& f) {
        error.line = f.where.line;
        error.column = f.where.column;
        error.message = f.message;
    } catch (const YAML::Exception& e) {
        const SourceLocation at = locationOf(e.mark);
        error.line = at.line;
        error.column = at.column;
        error.message = "YAML syntax: " + e.msg;
    }
    // No catch-all: any other exception is a bug in the parser, not a mistake in
    // the file, and must not be passed off as one (the fuzz target crashes on it).
    return tcpviz::fail(std::move(error));
}

Result<Scenario> parseScenarioFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return tcpviz::fail(path, "cannot open the scenario file");
    }
    std::ostringstream content;
    content << in.rdbuf();
    return parseScenarioText(content.str(), path);
}

} // namespace tcpviz
