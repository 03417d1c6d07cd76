#include "base/error.h"

namespace tcpviz {

std::string Error::toString() const {
    std::string out = file;
    if (line > 0) {
        out += ':' + std::to_string(line);
        if (column > 0) {
            out += ':' + std::to_string(column);
        }
        out += ": error: ";
        return out + message;
    }
    if (!out.empty()) {
        out += ": ";
    }
    if (packet > 0) {
        out += "packet " + std::to_string(packet) + ": ";
    }
    return out + message;
}

} // namespace tcpviz
