#include "capture/pipelined_reader.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace tcpviz {

namespace {

/// Packets per hand-over: large enough that locking is rare (once per 1024
/// packets), small enough that both threads start at once and that the batches
/// in flight (kQueued + 2 of 1024 packets of 168 bytes: 1.7 MB) stay a small
/// part of the peak memory (4096 cost 7 MB of the 100 MiB budget).
constexpr std::size_t kBatch = 1024;
/// Full batches waiting at most: the reader blocks beyond this (bounded memory).
constexpr std::size_t kQueued = 8;

using Batch = std::vector<DecodedPacket>;

/// The queue between the two threads, with spare batches recycled so that the
/// steady state allocates nothing.
class Handoff {
public:
    /// Reader side: queues `batch` (waiting while the queue is full) and gives back
    /// an empty one to fill next.
    Batch push(Batch batch) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_full.size() < kQueued; });
        m_full.push_back(std::move(batch));
        Batch next;
        if (!m_spare.empty()) {
            next = std::move(m_spare.back());
            m_spare.pop_back();
        }
        lock.unlock();
        m_changed.notify_all();
        next.clear();
        next.reserve(kBatch);
        return next;
    }

    void finish() {
        {
            const std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_changed.notify_all();
    }

    /// Consumer side: the next full batch, or false once the reader has finished
    /// and everything was taken.
    bool pop(Batch& out) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return !m_full.empty() || m_done; });
        if (m_full.empty()) {
            return false;
        }
        out = std::move(m_full.front());
        m_full.pop_front();
        lock.unlock();
        m_changed.notify_all();
        return true;
    }

    void recycle(Batch batch) {
        const std::lock_guard lock(m_mutex);
        m_spare.push_back(std::move(batch));
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Batch> m_full;
    std::vector<Batch> m_spare;
    bool m_done = false;
};

} // namespace

Status readCapturePipelined(const std::string& path, const ReadOptions& options,
                            const std::function<void(const DecodedPacket&)>& onPacket,
                            CaptureInfo& info) {
    Handoff handoff;
    Status status;
    std::thread reader([&] {
        Batch batch;
        batch.reserve(kBatch);
        status = readCapture(
            path, options,
            [&](const DecodedPacket& p) {
                batch.push_back(p);
                if (batch.size() == kBatch) {
                    batch = handoff.push(std::move(batch));
                }
            },
            info);
        if (!batch.empty()) {
            (void)handoff.push(std::move(batch));
        }
        handoff.finish();
    });
    Batch batch;
    while (handoff.pop(batch)) {
        for (const DecodedPacket& p : batch) {
            onPacket(p);
        }
        handoff.recycle(std::move(batch));
    }
    reader.join();
    return status;
}

} // namespace tcpviz
