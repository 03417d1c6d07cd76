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
