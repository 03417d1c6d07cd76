#include "capture/flow_table.h"

#include <cstring>

namespace tcpviz {

FlowTable::FlowTable(std::size_t expectedFlows) {
    std::size_t capacity = 64;
    while (capacity < expectedFlows * 2) {
        capacity *= 2;
    }
    m_slots.resize(capacity);
    m_mask = capacity - 1;
}

void FlowTable::reassign(std::uint32_t hash, std::uint32_t from, std::uint32_t to) {
    for (std::size_t i = hash & m_mask; m_slots[i].stored != 0; i = (i + 1) & m_mask) {
        if (m_slots[i].stored == from + 1) {
            m_slots[i].stored = to + 1;
            return;
        }
    }
}

void FlowTable::erase(std::uint32_t hash, std::uint32_t connection) {
    std::size_t i = hash & m_mask;
    while (m_slots[i].stored != 0 && m_slots[i].stored != connection + 1) {
        i = (i + 1) & m_mask;
    }
    if (m_slots[i].stored == 0) {
        return;
    }
    // Backward-shift deletion: later entries of the probe run move into the hole
    // unless their home slot lies cyclically in (hole, entry], so that every
    // remaining entry stays reachable from its home without tombstones.
    for (std::size_t j = (i + 1) & m_mask; m_slots[j].stored != 0; j = (j + 1) & m_mask) {
        const std::size_t home = m_slots[j].hash & m_mask;
        const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            m_slots[i] = m_slots[j];
            i = j;
        }
    }
    m_slots[i] = Entry{};
    --m_size;
}

void FlowTable::grow() {
    std::vector<Entry> old = std::move(m_slots);
    m_slots.assign(old.size() * 2, Entry{});
    m_mask = m_slots.size() - 1;
    for (const auto& e : old) {
        if (e.stored != 0) {
            std::size_t i = e.hash & m_mask;
            while (m_slots[i].stored != 0) {
                i = (i + 1) & m_mask;
            }
            m_slots[i] = e;
        }
    }
}

} // namespace tcpviz
