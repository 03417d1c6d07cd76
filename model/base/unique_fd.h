#pragma once
// A file descriptor closed when it goes out of scope: sockets, netlink, files.
#include <unistd.h>
#include <utility>

namespace tcpviz {

struct UniqueFd {
    int fd = -1;

    UniqueFd() = default;
    explicit UniqueFd(int f)
        : fd(f) {}
    ~UniqueFd() { close(); }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    UniqueFd(UniqueFd&& other) noexcept
        : fd(std::exchange(other.fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) {
            close();
            fd = std::exchange(other.fd, -1);
        }
        return *this;
    }

    [[nodiscard]] int get() const { return fd; }
    [[nodiscard]] bool valid() const { return fd >= 0; }
    void close() {
        if (fd >= 0) {
            ::close(fd);
        }
        fd = -1;
    }
};

} // namespace tcpviz
