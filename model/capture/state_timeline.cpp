#include "capture/state_timeline.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace tcpviz {

namespace {

void apply(StateTimeline::SideCounts& counts, std::int8_t from, std::int8_t to, Side side) {
    auto& c = counts.at(static_cast<std::size_t>(side));
    if (from >= 0) {
        --c.at(static_cast<std::size_t>(from));
    }
    if (to >= 0) {
        ++c.at(static_cast<std::size_t>(to));
    }
}

/// Sorts each bucket of `keys` (with `payload` alongside) stably by `less`; bucket
/// b ends at ends[b].
template <typename Key, typename Payload, typename Less>
void sortBuckets(std::vector<Key>& keys, std::vector<Payload>& payload,
                 const std::vector<std::uint32_t>& ends, Less less) {
    std::vector<std::pair<Key, Payload>> scratch;
    std::size_t begin = 0;
    for (const std::uint32_t e : ends) {
        if (e - begin <= 32) {
            // A few changes: an insertion sort, in place.
            for (std::size_t i = begin + 1; i < e; ++i) {
                const Key k = keys[i];
                const Payload p = payload[i];
                std::size_t j = i;
                for (; j > begin && less(k, keys[j - 1]); --j) {
                    keys[j] = keys[j - 1];
                    payload[j] = payload[j - 1];
                }
                keys[j] = k;
                payload[j] = p;
            }
        } else {
            scratch.clear();
            for (std::size_t i = begin; i < e; ++i) {
                scratch.emplace_back(keys[i], payload[i]);
            }
            std::stable_sort(scratch.begin(), scratch.end(), [&less](const auto& a, const auto& b) {
                return less(a.first, b.first);
            });
            for (std::size_t i = begin; i < e; ++i) {
                keys[i] = scratch[i - begin].first;
                payload[i] = scratch[i - begin].second;
            }
        }
        begin = e;
    }
}

/// How many connections ahead the passes over them ask for the memory they read:
/// each ConnectionSummary is an allocation of its own, which the processor cannot
/// guess, and the passes would otherwise wait for memory at every connection.
constexpr std::size_t kAhead = 8;

void prefetch(const ConnectionSummary& c) {
    __builtin_prefetch(&c.firstTimeNs);
    __builtin_prefetch(&c.tracker); // the initial and final states
    // The inline changes (a spilled list's are elsewhere: rare), without reading the
    // list itself now.
    const auto* changes = reinterpret_cast<const char*>(&c.changes);
    for (std::size_t at = 0; at < sizeof(StateChangeList); at += 64) {
        __builtin_prefetch(changes + at);
    }
}

std::int8_t stateIndex(State s) {
    return static_cast<std::int8_t>(static_cast<std::size_t>(s));
}

} // namespace

StateTimeline::StateTimeline(const ConnectionList& connections) {
    build(connections, nullptr, Rule{});
}

StateTimeline::StateTimeline(const ConnectionList& connections, const std::vector<bool>& keep) {
    build(connections, &keep, Rule{});
}

StateTimeline::StateTimeline(const ConnectionList& connections, const std::vector<bool>& keep,
                             const Rule& rule) {
    build(connections, &keep, rule);
}

void StateTimeline::build(const ConnectionList& connections, const std::vector<bool>* keep,
                          const Rule& rule) {
    // The index a state is counted under, -1 when the rule does not count it.
    const auto counted = [&rule](State s, Side side) -> std::int8_t {
        if (rule.socketsOnly &&
            (s == State::Closed || (side == Side::Server && s == State::Listen))) {
            return -1;
        }
        return stateIndex(s);
    };
    const auto kept = [keep](std::size_t i) {
        return keep == nullptr || i >= keep->size() || (*keep)[i];
    };
    // Every change of a count, in the order the connections list them, then the
    // listeners': the order that changes at one time keep.
    const auto forEach = [&](auto&& f) {
        const auto change = [&f](std::int64_t t, std::int8_t from, std::int8_t to, Side side) {
            if (from != to) {
                f(t, from, to, side);
            }
        };
        for (std::size_t i = 0; i < connections.size(); ++i) {
            if (i + kAhead < connections.size()) {
                prefetch(connections[i + kAhead]);
            }
            if (!kept(i)) {
                continue;
            }
            const ConnectionSummary& c = connections[i];
            for (const Side s : {Side::Client, Side::Server}) {
                change(c.firstTimeNs, -1, counted(c.initialState(s), s), s);
            }
            for (const auto& ch : c.changes) {
                change(ch.timeNs, counted(ch.from, ch.side), counted(ch.to, ch.side), ch.side);
            }
            if (c.summarised) {
                // Only the end is known: jump from the initial to the final state at the
                // last packet.
                for (const Side s : {Side::Client, Side::Server}) {
                    change(c.lastTimeNs, counted(c.initialState(s), s), counted(c.finalState(s), s),
                           s);
                }
            }
        }
        for (const auto& [timeNs, delta] : rule.listeners) {
            const std::int8_t listen = stateIndex(State::Listen);
            change(timeNs, delta > 0 ? -1 : listen, delta > 0 ? listen : -1, Side::Server);
        }
    };
    bool any = false;
    const auto widen = [this, &any](std::int64_t first, std::int64_t last) {
        m_startNs = any ? std::min(m_startNs, first) : first;
        m_endNs = any ? std::max(m_endNs, last) : last;
        any = true;
    };
    std::size_t most = 0; // changes, before those that change nothing are left out
    for (std::size_t i = 0; i < connections.size(); ++i) {
        if (kept(i)) {
            const ConnectionSummary& c = connections[i];
            most += 2 + c.changes.size() + (c.summarised ? 2 : 0);
            widen(c.firstTimeNs, c.lastTimeNs);
        }
    }
    for (const auto& listener : rule.listeners) {
        ++most;
        widen(listener.first, listener.first);
    }
    if (most == 0) {
        return;
    }
    // The changes' own range (a packet's time may lie before its connection's first).
    std::size_t n = 0;
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    forEach([&](std::int64_t t, std::int8_t, std::int8_t, Side) {
        ++n;
        lo = std::min(lo, t);
        hi = std::max(hi, t);
    });
    if (n == 0) {
        return;
    }
    // Sorted by time with a bucket sort, stable: buckets a power of two of
    // nanoseconds wide (a shift per change), about four changes each, filled in the
    // changes' order and sorted by time in place. Only a time and a code per change
    // are held meanwhile: 5 bytes (the time within its bucket, the side in its top
    // bit) unless the buckets are wider than 2^31 ns (a sparse capture of weeks).
    const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    unsigned shift = 0;
    while (shift < 63 && (span >> shift) >= std::max<std::size_t>(1, n / 4)) {
        ++shift;
    }
    const auto offsetOf = [lo](std::int64_t t) {
        return static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(lo);
    };
    std::vector<std::uint32_t> end(static_cast<std::size_t>(span >> shift) + 1, 0);
    forEach([&](std::int64_t t, std::int8_t, std::int8_t, Side) { ++end[offsetOf(t) >> shift]; });
    std::uint32_t total = 0;
    for (auto& e : end) {
        total += e;
        e = total - e; // the bucket's start; the scatter below moves it to its end
    }
    const auto code = [](std::int8_t from, std::int8_t to) {
        return static_cast<std::uint8_t>((from + 1) | ((to + 1) << 4));
    };
    const auto decode = [](std::uint8_t c, bool server, auto&& f) {
        f(static_cast<std::int8_t>((c & 0xf) - 1), static_cast<std::int8_t>((c >> 4) - 1),
          server ? Side::Server : Side::Client);
    };
    m_blocks.reserve(n / kBlock + 1);
    if (shift <= 31) {
        constexpr std::uint32_t kWithin = ~kSideBit;
        std::vector<std::uint32_t> within(n); // time - its bucket's start | side bit
        std::vector<std::uint8_t> codes(n);
        forEach([&](std::int64_t t, std::int8_t from, std::int8_t to, Side side) {
            const std::uint64_t offset = offsetOf(t);
            const std::uint32_t at = end[offset >> shift]++;
            within[at] = static_cast<std::uint32_t>(offset & ((std::uint64_t{1} << shift) - 1)) |
                         (side == Side::Server ? kSideBit : 0);
            codes[at] = code(from, to);
        });
        sortBuckets(within, codes, end,
                    [](std::uint32_t a, std::uint32_t b) { return (a & kWithin) < (b & kWithin); });
        // The compact form is made in place: the codes are already its codes, and each
        // time within its bucket becomes the step from the change before.
        m_codes = std::move(codes);
        m_steps = std::move(within);
        std::size_t i = 0;
        for (std::size_t b = 0; b < end.size(); ++b) {
            const std::int64_t start = lo + static_cast<std::int64_t>(std::uint64_t{b} << shift);
            for (; i < end[b]; ++i) {
                const std::uint32_t w = m_steps[i];
                const std::int64_t t = start + (w & kWithin);
                m_steps[i] = stepTo(i, t) | (w & kSideBit);
                decode(m_codes[i], (w & kSideBit) != 0,
                       [this](std::int8_t from, std::int8_t to, Side side) {
                           apply(m_now, from, to, side);
                       });
            }
        }
        return;
    }
    m_steps.reserve(n);
    m_codes.reserve(n);
    std::vector<std::int64_t> times(n);
    std::vector<std::uint16_t> codes(n); // the change's code, its side in bit 8
    forEach([&](std::int64_t t, std::int8_t from, std::int8_t to, Side side) {
        const std::uint32_t at = end[offsetOf(t) >> shift]++;
        times[at] = t;
        codes[at] = static_cast<std::uint16_t>(code(from, to) | (side == Side::Server ? 0x100 : 0));
    });
    sortBuckets(times, codes, end, std::less<>());
    for (std::size_t i = 0; i < n; ++i) {
        decode(
            static_cast<std::uint8_t>(codes[i] & 0xff), (codes[i] & 0x100) != 0,
            [&](std::int8_t from, std::int8_t to, Side side) { append(times[i], from, to, side); });
    }
}

std::uint32_t StateTimeline::stepTo(std::size_t i, std::int64_t timeNs) {
    std::uint32_t step = 0;
    if (i % kBlock == 0) {
        m_blocks.push_back({timeNs, m_now});
    } else {
        const std::uint64_t gap =
            static_cast<std::uint64_t>(timeNs) - static_cast<std::uint64_t>(m_lastNs);
        if (timeNs >= m_lastNs && gap < kFar) {
            step = static_cast<std::uint32_t>(gap);
        } else {
            step = kFar;
            m_far.emplace_back(static_cast<std::uint32_t>(i), timeNs);
        }
    }
    m_lastNs = timeNs;
    return step;
}

void StateTimeline::append(std::int64_t timeNs, std::int8_t from, std::int8_t to, Side side) {
    m_steps.push_back(stepTo(m_codes.size(), timeNs) | (side == Side::Server ? kSideBit : 0));
    m_codes.push_back(static_cast<std::uint8_t>((from + 1) | ((to + 1) << 4)));
    apply(m_now, from, to, side);
}

std::int64_t StateTimeline::timeOf(std::size_t i, std::int64_t previousNs) const {
    if (i % kBlock == 0) {
        return m_blocks[i / kBlock].timeNs;
    }
    const std::uint32_t gap = m_steps[i] & ~kSideBit;
    if (gap != kFar) {
        return previousNs + gap;
    }
    const auto far = std::lower_bound(m_far.begin(), m_far.end(), i,
                                      [](const auto& f, std::size_t at) { return f.first < at; });
    return far->second;
}

void StateTimeline::applyChange(std::size_t i, SideCounts& counts) const {
    const std::uint8_t code = m_codes[i];
    apply(counts, static_cast<std::int8_t>((code & 0xf) - 1),
          static_cast<std::int8_t>((code >> 4) - 1),
          (m_steps[i] & kSideBit) != 0 ? Side::Server : Side::Client);
}

StateTimeline StateTimeline::fromSamples(std::span<const Sample> samples) {
    StateTimeline out;
    SideCounts now{};
    for (const Sample& sample : samples) {
        for (const Side side : {Side::Client, Side::Server}) {
            const auto k = static_cast<std::size_t>(side);
            for (std::size_t i = 0; i < kStateCount; ++i) {
                const auto state = static_cast<std::int8_t>(i);
                for (auto n = now[k][i]; n < sample.counts[k][i]; ++n) {
                    out.append(sample.timeNs, -1, state, side);
                }
                for (auto n = sample.counts[k][i]; n < now[k][i]; ++n) {
                    out.append(sample.timeNs, state, -1, side);
                }
            }
        }
        now = sample.counts;
    }
    if (!samples.empty()) {
        out.m_startNs = samples.front().timeNs;
        out.m_endNs = samples.back().timeNs;
    }
    return out;
}

StateTimeline::SideCounts StateTimeline::sideCountsAt(std::int64_t timeNs) const {
    // The last block starting at or before t; its changes at or before t apply.
    const auto after =
        std::upper_bound(m_blocks.begin(), m_blocks.end(), timeNs,
                         [](std::int64_t t, const Block& b) { return t < b.timeNs; });
    if (after == m_blocks.begin()) {
        return {}; // before the first change, or an empty timeline (a live capture before its first
                   // packet)
    }
    const auto b = static_cast<std::size_t>(after - m_blocks.begin()) - 1;
    SideCounts counts = m_blocks[b].before;
    const std::size_t end = std::min(m_codes.size(), (b + 1) * kBlock);
    std::int64_t t = 0;
    for (std::size_t i = b * kBlock; i < end; ++i) {
        t = timeOf(i, t);
        if (t > timeNs) {
            break;
        }
        applyChange(i, counts);
    }
    return counts;
}

std::vector<StateTimeline::SideCounts>
StateTimeline::sideCountsAtEach(std::span<const std::int64_t> timesNs) const {
    std::vector<SideCounts> out;
    out.reserve(timesNs.size());
    SideCounts counts{};
    const std::size_t n = m_codes.size();
    std::size_t next = 0; // first change not yet applied
    std::int64_t nextNs = n == 0 ? 0 : m_blocks.front().timeNs;
    for (const std::int64_t t : timesNs) {
        // Whole blocks before t: their counts are kept, nothing to apply.
        std::size_t block = next / kBlock + 1;
        if (block < m_blocks.size() && m_blocks[block].timeNs <= t) {
            while (block + 1 < m_blocks.size() && m_blocks[block + 1].timeNs <= t) {
                ++block;
            }
            counts = m_blocks[block].before;
            next = block * kBlock;
            nextNs = m_blocks[block].timeNs;
        }
        while (next < n && nextNs <= t) {
            const std::uint32_t step = m_steps[next];
            const std::uint8_t code = m_codes[next];
            auto& side = counts[(step & kSideBit) != 0 ? 1 : 0];
            if ((code & 0xf) != 0) {
                --side[(code & 0xf) - 1];
            }
            if ((code >> 4) != 0) {
                ++side[(code >> 4) - 1];
            }
            ++next;
            if (next < n) {
                nextNs = timeOf(next, nextNs);
            }
        }
        out.push_back(counts);
    }
    return out;
}

StateTimeline::Counts StateTimeline::countsAt(std::int64_t timeNs) const {
    const SideCounts sides = sideCountsAt(timeNs);
    Counts sum{};
    for (std::size_t i = 0; i < sum.size(); ++i) {
        sum.at(i) = sides[0].at(i) + sides[1].at(i);
    }
    return sum;
}

std::size_t StateTimeline::memoryBytes() const {
    return m_steps.capacity() * sizeof(std::uint32_t) + m_codes.capacity() +
           m_blocks.capacity() * sizeof(Block) + m_far.capacity() * sizeof(m_far.front());
}

} // namespace tcpviz
