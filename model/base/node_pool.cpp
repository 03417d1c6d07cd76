#include "base/node_pool.h"

#include <algorithm>
#include <cstdint>
#include <sys/mman.h>

namespace tcpviz {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
/// The first chunk: a few nodes from the ordinary heap.
constexpr std::size_t kFirstChunk = std::size_t{16} << 10;
/// Chunks stop doubling here (a 100,000-connection analysis takes about ten).
constexpr std::size_t kLargestChunk = std::size_t{16} * kHugePage;
constexpr std::size_t kAlign = alignof(std::max_align_t);

/// `bytes` (a multiple of kHugePage) mapped at a kHugePage boundary, or nullptr.
void* mapAligned(std::size_t bytes) {
    void* raw = ::mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        return nullptr;
    }
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::size_t head = ((start + kHugePage - 1) & ~(kHugePage - 1)) - start;
    // Give back the parts before and after the aligned range.
    auto* base = static_cast<std::byte*>(raw);
    if (head > 0) {
        ::munmap(base, head);
    }
    if (kHugePage > head) {
        ::munmap(base + head + bytes, kHugePage - head);
    }
    return base + head;
}

} // namespace

NodePool::~NodePool() {
    for (const Chunk& c : m_chunks) {
        if (c.mapped) {
            ::munmap(c.base, c.bytes);
        } else {
            ::operator delete(c.base);
        }
    }
}

void* NodePool::allocate(std::size_t bytes) {
    if (!kPooled) {
        return ::operator new(bytes);
    }
    if (m_nodeSize == 0) {
        m_nodeSize = std::max((bytes + kAlign - 1) / kAlign * kAlign, sizeof(void*));
    }
    if (bytes > m_nodeSize || (bytes + kAlign - 1) / kAlign * kAlign != m_nodeSize) {
        return ::operator new(bytes); // not a node
    }
    if (m_free != nullptr) {
        void* node = m_free;
        m_free = *static_cast<void**>(node);
        return node;
    }
    if (static_cast<std::size_t>(m_end - m_next) < m_nodeSize) {
        grow();
    }
    void* node = m_next;
    m_next += m_nodeSize;
    return node;
}

void NodePool::deallocate(void* node, std::size_t bytes) noexcept {
    if (node == nullptr) {
        return;
    }
    if (!kPooled || (bytes + kAlign - 1) / kAlign * kAlign != m_nodeSize) {
        ::operator delete(node);
        return;
    }
    *static_cast<void**>(node) = m_free;
    m_free = node;
}

void NodePool::grow() {
    std::size_t bytes = m_chunks.empty() ? kFirstChunk : std::min(m_reserved, kLargestChunk);
    bytes = std::max(bytes, m_nodeSize);
    Chunk chunk;
    if (bytes >= kHugePage) {
        bytes = (bytes + kHugePage - 1) / kHugePage * kHugePage;
        chunk.base = mapAligned(bytes);
        chunk.mapped = chunk.base != nullptr;
        if (chunk.mapped) {
            // Advice only: where the kernel has no transparent huge pages the
            // chunk is still good memory.
            if (::madvise(chunk.base, bytes, MADV_HUGEPAGE) == 0) {
                m_hugePageBytes += bytes;
            }
        }
    }
    if (chunk.base == nullptr) {
        chunk.base = ::operator new(bytes); // throws std::bad_alloc as the heap does
    }
    chunk.bytes = bytes;
    m_chunks.push_back(chunk);
    m_reserved += bytes;
    m_next = static_cast<std::byte*>(chunk.base);
    m_end = m_next + bytes;
}

} // namespace tcpviz
