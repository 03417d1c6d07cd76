#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace tcpviz {

/// What went wrong and where: the one error value of the model. Every model
/// function that can fail returns a `Result<T>` (or `Status`) carrying either its
/// value or an Error; the app turns the Error into a message box, a status line
/// or a line on stderr. Per-packet problems that do not stop a read are not
/// Errors: they are listed in CaptureInfo::errors and reading goes on.
struct Error {
    std::string file;         ///< the file (or capture interface) it is about; empty if none
    int line = 0;             ///< 1-based line in a text file; 0 when not known
    int column = 0;           ///< 1-based column; 0 when not known
    std::uint64_t packet = 0; ///< 1-based frame number; 0 when not about one packet
    std::string message;
    /// Stopped on request (a caller's cancel flag), not failed: nothing to report,
    /// and no partial value is handed on as if it were whole.
    bool cancelled = false;

    /// "FILE:LINE:COLUMN: error: MESSAGE" for a position in a text file (as
    /// compilers write it), "FILE: packet N: MESSAGE" for a packet, otherwise
    /// "FILE: MESSAGE" (or MESSAGE alone when no file is known).
    [[nodiscard]] std::string toString() const;
    /// A position in a text file with another severity: "FILE:LINE:COLUMN: warning: …".
    [[nodiscard]] std::string toString(std::string_view severity) const;
};

/// A value or the Error that kept it from being made.
template <typename T> using Result = tl::expected<T, Error>;
/// Success or an Error, for functions with nothing to return.
using Status = tl::expected<void, Error>;

/// The failure branch of a Result/Status about `file`.
[[nodiscard]] inline tl::unexpected<Error> fail(std::string file, std::string message) {
    Error e;
    e.file = std::move(file);
    e.message = std::move(message);
    return tl::unexpected<Error>(std::move(e));
}

/// The branch of a Result/Status whose work on `file` was cancelled (Error::cancelled).
[[nodiscard]] inline tl::unexpected<Error> cancelledError(std::string file) {
    Error e;
    e.file = std::move(file);
    e.message = "cancelled";
    e.cancelled = true;
    return tl::unexpected<Error>(std::move(e));
}

/// The failure branch of a Result/Status with a ready Error.
[[nodiscard]] inline tl::unexpected<Error> fail(Error error) {
    return tl::unexpected<Error>(std::move(error));
}

} // namespace tcpviz
