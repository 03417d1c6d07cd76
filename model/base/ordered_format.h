#pragma once
// Text for many items, formatted on two cores and written in order.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace tcpviz {

/// Formats items [0, n) in blocks of `block` items, two blocks at a time: one on
/// this thread and the next on a second one, then hands each block's text to
/// `write` in item order. For output that is formatted after the work that
/// produced it is done (analyze's table and JSON for 100,000 connections), when
/// the second core is idle. `format(begin, end, out)` appends the text of items
/// [begin, end) to `out` (given empty); it runs on either thread, so it may read
/// shared data but must not change any. With n <= block no thread is started.
/// Memory: the text of two blocks.
void formatInOrder(std::size_t n, std::size_t block,
                   const std::function<void(std::size_t, std::size_t, std::string&)>& format,
                   const std::function<void(std::string_view)>& write);

} // namespace tcpviz
