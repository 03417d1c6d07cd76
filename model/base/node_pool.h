#pragma once
// Fixed-size nodes in large chunks, for containers of many large elements
// (the analysis keeps one ~840-byte ConnectionSummary per connection: 84 MB for
// 100,000 connections).
//
// Why: allocated one by one from the ordinary heap, that memory is first touched
// a 4 KiB page at a time, and on the 100,000-connection benchmark the page faults
// (24,000 of them) cost as much as decoding every packet. The pool takes memory
// in chunks that grow geometrically; chunks of 2 MiB and more are mapped aligned
// to 2 MiB and advised MADV_HUGEPAGE, so that the kernel backs them with huge
// pages where transparent huge pages are enabled ("always" or "madvise"), one
// fault per 2 MiB. Small analyses (a lesson's single connection) stay in small
// chunks from the ordinary heap and never pay for a huge page. Freed nodes are
// kept on a free list (live capture evicts and creates connections all the time)
// and the chunks go back to the system when the pool is destroyed.
//
// Under AddressSanitizer every node comes from operator new, so that the
// sanitizer still sees each one's bounds.
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace tcpviz {

/// Nodes of one size. Not thread-safe: one owner at a time (the container).
class NodePool {
public:
    NodePool() = default;
    NodePool(const NodePool&) = delete;
    NodePool& operator=(const NodePool&) = delete;
    ~NodePool();

    /// A node of `bytes` (every call must ask for the same size; another size is
    /// served by operator new and must be given back with the same size).
    [[nodiscard]] void* allocate(std::size_t bytes);
    void deallocate(void* node, std::size_t bytes) noexcept;

    /// Bytes taken from the system for chunks (for tests and figures).
    [[nodiscard]] std::size_t reservedBytes() const { return m_reserved; }
    /// Bytes of the chunks advised MADV_HUGEPAGE.
    [[nodiscard]] std::size_t hugePageBytes() const { return m_hugePageBytes; }

    /// Whether nodes come from chunks (false under AddressSanitizer).
    static constexpr bool kPooled =
#if defined(__SANITIZE_ADDRESS__)
        false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
        false;
#else
        true;
#endif
#else
        true;
#endif

private:
    struct Chunk {
        void* base = nullptr;
        std::size_t bytes = 0;
        bool mapped = false; ///< mmap (else operator new)
    };
    void grow();

    std::size_t m_nodeSize = 0; ///< fixed by the first allocate()
    std::vector<Chunk> m_chunks;
    std::byte* m_next = nullptr;
    std::byte* m_end = nullptr;
    void* m_free = nullptr; ///< freed nodes, each holding the next one's address
    std::size_t m_reserved = 0;
    std::size_t m_hugePageBytes = 0;
};

/// A std::allocator replacement that takes the container's element nodes from a
/// NodePool shared by the container's copies of it; every other allocation (a
/// deque's map of node pointers) goes to operator new. A copied container gets
/// a pool of its own.
template <class T, class Node = T> class PoolAllocator {
public:
    using value_type = T;
    using propagate_on_container_move_assignment = std::true_type;
    using propagate_on_container_copy_assignment = std::true_type;
    using propagate_on_container_swap = std::true_type;
    using is_always_equal = std::false_type;

    PoolAllocator()
        : m_pool(std::make_shared<NodePool>()) {}
    // Copies, never moves: a moved-from allocator must still equal its original
    // (the allocator requirements), and a container that gave its nodes away
    // keeps using it.
    PoolAllocator(const PoolAllocator&) noexcept = default;
    PoolAllocator& operator=(const PoolAllocator&) noexcept = default;
    ~PoolAllocator() = default;
    template <class U>
    // NOLINTNEXTLINE(google-explicit-constructor): allocators convert implicitly
    PoolAllocator(const PoolAllocator<U, Node>& other) noexcept
        : m_pool(other.pool()) {}

    [[nodiscard]] T* allocate(std::size_t n) {
        if constexpr (std::is_same_v<T, Node>) {
            return static_cast<T*>(m_pool->allocate(n * sizeof(T)));
        } else {
            return std::allocator<T>{}.allocate(n);
        }
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if constexpr (std::is_same_v<T, Node>) {
            m_pool->deallocate(p, n * sizeof(T));
        } else {
            std::allocator<T>{}.deallocate(p, n);
        }
    }
    // NOLINTNEXTLINE(readability-identifier-naming): the name allocator_traits looks for
    [[nodiscard]] PoolAllocator select_on_container_copy_construction() const { return {}; }

    [[nodiscard]] const std::shared_ptr<NodePool>& pool() const { return m_pool; }

    template <class U> bool operator==(const PoolAllocator<U, Node>& other) const noexcept {
        return m_pool == other.pool();
    }

private:
    std::shared_ptr<NodePool> m_pool;
};

} // namespace tcpviz
