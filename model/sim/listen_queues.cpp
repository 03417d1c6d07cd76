#include "sim/listen_queues.h"

#include <algorithm>

namespace tcpviz {

std::uint32_t maxAckBacklog(std::uint32_t backlog, const Sysctls& sysctls) {
    return std::min(backlog, sysctls.somaxconn);
}

std::string_view synVerdictName(SynVerdict v) {
    switch (v) {
    case SynVerdict::Queue:
        return "queue";
    case SynVerdict::Cookie:
        return "cookie";
    case SynVerdict::DropSynQueueFull:
        return "drop-syn-queue-full";
    case SynVerdict::DropAcceptQueueFull:
        return "drop-accept-queue-full";
    case SynVerdict::DropMaxSynBacklog:
        return "drop-max-syn-backlog";
    }
    return "queue";
}

SynVerdict synVerdict(const ListenQueues& queues, const Sysctls& sysctls) {
    bool cookie = false;
    if (sysctls.tcpSyncookies == 2 || queues.synQueueFull()) {
        if (sysctls.tcpSyncookies == 0) {
            return SynVerdict::DropSynQueueFull;
        }
        cookie = true;
    }
    if (queues.acceptQueueFull()) {
        return SynVerdict::DropAcceptQueueFull;
    }
    if (cookie) {
        return SynVerdict::Cookie;
    }
    // Signed, as in the kernel: a queue longer than the sysctl makes it negative.
    const auto max = static_cast<std::int64_t>(sysctls.tcpMaxSynBacklog);
    if (sysctls.tcpSyncookies == 0 &&
        max - static_cast<std::int64_t>(queues.synQueue) < (max >> 2)) {
        return SynVerdict::DropMaxSynBacklog;
    }
    return SynVerdict::Queue;
}

FinalAckVerdict finalAckVerdict(const ListenQueues& queues, const Sysctls& sysctls) {
    if (!queues.acceptQueueFull()) {
        return FinalAckVerdict::Accept;
    }
    return sysctls.tcpAbortOnOverflow != 0 ? FinalAckVerdict::Reset : FinalAckVerdict::Ignore;
}

} // namespace tcpviz
