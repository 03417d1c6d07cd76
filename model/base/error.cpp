#include "base/error.h"

namespace tcpviz {

std::string Error::toString() const {
    if (line > 0) {
        return toString("error");
    }
    std::string out = file;
    if (!out.empty()) {
        out += ": ";
    }
    if (packet > 0) {
        out += "packet " + std::to_string(packet) + ": ";
    }
    return out + message;
}

std::string Error::toString(std::string_view severity) const {
    std::string out = file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0) {
            out += ':' + std::to_string(column);
        }
    }
    out += ": ";
    out += severity;
    out += ": ";
    return out + message;
}

} // namespace tcpviz
