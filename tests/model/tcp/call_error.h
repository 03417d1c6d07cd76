#pragma once

#include "base/error.h"

#include <string>

namespace tcpviz {

/// The message of a refused user call, or "" when the call succeeded: what the
/// endpoint tests compare with the RFC's error texts (callerror::).
[[nodiscard]] inline std::string callError(const Status& status) {
    return status ? std::string() : status.error().message;
}

} // namespace tcpviz
