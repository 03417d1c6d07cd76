// Opening ladder after ladder in the window keeps no memory per ladder: a live
// capture (crafted packets fed to the controller, as the GUI soak's loopback load
// makes them) gets a new finished connection at a time, the newest is selected
// and its ladder drawn, older ones are evicted. The heap in use (glibc's
// mallinfo2, or the sanitizer's count under ASan) must not grow with the ladders opened. Measure
// it:
//     build/ci/tests/app/tcpviz_app_tests --gtest_filter='LadderMemory*'
#include "capture/capture_document.h"
#include "capture/packet.h"
#include "capture/wire.h"
#include "capture_controller.h"
#include "connection_table_model.h"
#include "main_window.h"

#include <QApplication>
#include <gtest/gtest.h>
#include <malloc.h>
#if defined(__has_include)
#if __has_include(<sanitizer/allocator_interface.h>)
#include <sanitizer/allocator_interface.h>
#endif
#endif

using namespace tcpviz;
using tcpviz::gui::CaptureController;
using tcpviz::gui::MainWindow;

namespace {

#if defined(__SANITIZE_ADDRESS__)
#define TCPVIZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TCPVIZ_ASAN 1
#endif
#endif

/// Bytes of heap in use: glibc's count, or under AddressSanitizer (whose
/// allocator glibc does not see) the sanitizer's own.
std::size_t heapInUse() {
#ifdef TCPVIZ_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    malloc_trim(0);
    return mallinfo2().uordblks;
#endif
}

TEST(LadderMemory, OpeningLaddersOneAfterAnotherKeepsNoMemoryPerLadder) {
    constexpr std::size_t kWarmUp = 100;
    constexpr std::size_t kMeasured = 300;
    // Every connection's packets are made first, so that the test's own memory
    // does not grow while the window's is measured.
    Wire wire;
    std::vector<std::vector<DecodedPacket>> batches;
    for (std::size_t i = 0; i < kWarmUp + kMeasured; ++i) {
        const std::size_t before = wire.packets().size();
        wire.m_client.port = static_cast<std::uint16_t>(20000 + i);
        handshakeAndData(wire);
        wire.send(Side::Client, "FIN,ACK", 105, 305);
        wire.send(Side::Server, "ACK", 305, 106);
        wire.send(Side::Server, "FIN,ACK", 305, 106);
        wire.send(Side::Client, "ACK", 106, 306);
        batches.emplace_back(wire.packets().begin() + static_cast<std::ptrdiff_t>(before),
                             wire.packets().end());
    }

    MainWindow w;
    w.setQuiet(true);
    w.resize(1280, 720);
    w.show();
    CaptureController* c = w.captureController();
    c->setLiveSettings({/*retainFinished=*/8, /*keepFrameBytes=*/0});
    c->startLiveDocument(QStringLiteral("feed"));
    std::size_t baseline = 0;
    for (std::size_t i = 0; i < batches.size(); ++i) {
        if (i == kWarmUp) {
            baseline = heapInUse();
        }
        c->addLivePackets(batches[i]);
        const auto rows = c->tableModel()->allRows();
        ASSERT_FALSE(rows.empty());
        c->selectConnection(rows.back().id); // the newest connection's ladder
        ASSERT_NE(w.currentTrace(), nullptr);
        QApplication::processEvents(); // drawn
    }
    ASSERT_GT(c->evictedCount(), kMeasured) << "older connections were evicted";
    // The document drops the evicted connections' Traces (all but the shown one's).
    EXPECT_LE(c->document()->tracesKept(), 8U + 1U);
    const std::size_t end = heapInUse();
    const double perLadder =
        end > baseline ? static_cast<double>(end - baseline) / static_cast<double>(kMeasured) : 0.0;
    std::printf("ladder memory: heap %zu -> %zu bytes over %zu ladders: %.0f bytes per ladder\n",
                baseline, end, kMeasured, perLadder);
    // 14 KiB per ladder before the fix (new player icons on every ladder, each
    // scaled and cached anew by Qt's pixmap cache); now tens of bytes.
    EXPECT_LT(perLadder, 1024.0) << "every ladder opened keeps memory";
}

} // namespace
