#include "base/ordered_format.h"

#include <algorithm>
#include <array>
#include <thread>

namespace tcpviz {

// Even blocks are formatted here, odd ones on the helper thread. The helper
// starts on the next odd block as soon as it hands one over, so that it formats
// while this thread writes (writing 150 MB to a file costs as much as formatting
// it): two buffers for the helper's blocks, one in its hands, one being written.
void formatInOrder(std::size_t n, std::size_t block,
                   const std::function<void(std::size_t, std::size_t, std::string&)>& format,
                   const std::function<void(std::string_view)>& write) {
    block = std::max<std::size_t>(block, 1);
    const std::size_t blocks = (n + block - 1) / block;
    const auto formatBlock = [&format, n, block](std::size_t j, std::string& out) {
        out.clear();
        format(j * block, std::min(n, (j + 1) * block), out);
    };
    std::string mine;
    std::array<std::string, 2> theirs;
    std::thread helper;
    const auto startHelper = [&](std::size_t j) {
        if (j < blocks) {
            helper = std::thread(formatBlock, j, std::ref(theirs.at(j / 2 % 2)));
        }
    };
    startHelper(1);
    for (std::size_t j = 0; j < blocks; j += 2) {
        formatBlock(j, mine);
        write(mine);
        if (j + 1 < blocks) {
            helper.join();
            startHelper(j + 3);
            write(theirs.at((j + 1) / 2 % 2));
        }
    }
}

} // namespace tcpviz
