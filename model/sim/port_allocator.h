#pragma once

#include <cstdint>
#include <functional>
#include <optional>

namespace tcpviz {

/// What holds a local port towards the one server of a simulation.
enum class PortUse : std::uint8_t {
    Free,             ///< nobody, or a socket that is CLOSED
    Busy,             ///< a live connection (or a TIME-WAIT that may not be reused)
    TimeWaitReusable, ///< a TIME-WAIT socket that tcp_tw_reuse lets a new connection take
};

/// The ephemeral port choice of connect() on one client host towards one server
/// address (Linux __inet_hash_connect, deterministic):
/// * ports come from net.ipv4.ip_local_port_range [low, high];
/// * the scan starts at an offset rounded down to an even distance from `low`
///   and walks every second port (the same parity), then the other parity, so
///   that connect() leaves half the range to bind(); the kernel's random start
///   (a hash of the addresses plus a perturbation table) is replaced by 0, and
///   after each success the start moves on by the number of ports tried + 2, as
///   the kernel moves table_perturb;
/// * the first port in that order that is free, or whose TIME-WAIT socket may be
///   reused (check_established -> tcp_twsk_unique), is taken; a TIME-WAIT port
///   is therefore taken even when a free port comes later in the scan;
/// * none: connect() fails with EADDRNOTAVAIL.
class PortAllocator {
public:
    PortAllocator(std::uint16_t low, std::uint16_t high);

    /// The port for the next connect(); `use` tells how a port is held now.
    [[nodiscard]] std::optional<std::uint16_t>
    allocate(const std::function<PortUse(std::uint16_t)>& use);

    [[nodiscard]] std::uint32_t rangeSize() const { return m_remaining; }

private:
    std::uint16_t m_low;
    std::uint32_t m_remaining; ///< ports in the range
    std::uint32_t m_perturb = 0;
};

} // namespace tcpviz
