#include "base/ordered_format.h"

#include <algorithm>
#include <thread>

namespace tcpviz {

void formatInOrder(std::size_t n, std::size_t block,
                   const std::function<void(std::size_t, std::size_t, std::string&)>& format,
                   const std::function<void(std::string_view)>& write) {
    block = std::max<std::size_t>(block, 1);
    std::string first;
    std::string second;
    for (std::size_t begin = 0; begin < n;) {
        const std::size_t mid = std::min(n, begin + block);
        const std::size_t end = std::min(n, mid + block);
        first.clear();
        second.clear();
        std::thread helper;
        if (mid < end) {
            helper = std::thread([&format, &second, mid, end] { format(mid, end, second); });
        }
        format(begin, mid, first);
        write(first);
        if (helper.joinable()) {
            helper.join();
            write(second);
        }
        begin = end;
    }
}

} // namespace tcpviz
