// Frame cost of the sequence diagram on a 100,000-segment trace at 1920x1080
// (target: under 4 ms), and the cost of seeking the views to a position.
// Run: QT_QPA_PLATFORM=offscreen bench_sequence_frame

#include "segment_details_view.h"
#include "sequence_diagram_renderer.h"
#include "state_graph_view.h"
#include "test_traces.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <benchmark/benchmark.h>
#include <memory>
#include <random>

namespace {

using namespace tcpviz;

constexpr std::size_t kSegments = 100'000;

const Trace& bigTrace() {
    static const Trace trace = viewtest::bulkTransfer(kSegments);
    return trace;
}

struct Frame {
    QImage image{1920, 1080, QImage::Format_ARGB32_Premultiplied};
    SequenceDiagramRenderer renderer;
    Frame() { renderer.setTrace(&bigTrace()); }
    void paint(const SequenceFrame& f) {
        QPainter p(&image);
        renderer.paint(p, QRectF(0, 0, 1920, 1080), f);
    }
};

/// One frame at the natural scale, the playhead in the middle of the trace.
void BM_SequenceFrame(benchmark::State& state) {
    Frame frame;
    const Trace& t = bigTrace();
    SequenceFrame f;
    f.position = t.size() / 2;
    f.pixelsPerAxis = frame.renderer.defaultPixelsPerAxis();
    const auto now = frame.renderer.layout().playheadUs(t, f.position, 0.0);
    f.topAxis = frame.renderer.layout().axisOf(now) - 900.0 / f.pixelsPerAxis;
    for (auto _ : state) {
        frame.paint(f);
    }
    state.counters["arrows"] = static_cast<double>(frame.renderer.lastArrows().size());
}
BENCHMARK(BM_SequenceFrame)->Unit(benchmark::kMillisecond);

/// Animation: each frame moves the playhead a little (setPlayhead at 60 fps).
void BM_SequenceFrameAnimated(benchmark::State& state) {
    Frame frame;
    const Trace& t = bigTrace();
    SequenceFrame f;
    f.pixelsPerAxis = frame.renderer.defaultPixelsPerAxis();
    std::size_t position = t.size() / 3;
    double fraction = 0.0;
    for (auto _ : state) {
        fraction += 0.1;
        if (fraction >= 1.0) {
            fraction = 0.0;
            ++position;
        }
        f.position = position;
        f.fraction = fraction;
        const auto now = frame.renderer.layout().playheadUs(t, position, fraction);
        f.topAxis = frame.renderer.layout().axisOf(now) - 600.0 / f.pixelsPerAxis;
        frame.paint(f);
    }
}
BENCHMARK(BM_SequenceFrameAnimated)->Unit(benchmark::kMillisecond);

/// The whole 100k-segment exchange squeezed into one screen (level of detail).
void BM_SequenceFrameFitAll(benchmark::State& state) {
    Frame frame;
    const Trace& t = bigTrace();
    SequenceFrame f;
    f.position = t.size();
    f.pixelsPerAxis = 1000.0 / frame.renderer.layout().axisLength();
    f.topAxis = 0.0;
    for (auto _ : state) {
        frame.paint(f);
    }
    state.counters["arrows"] = static_cast<double>(frame.renderer.lastArrows().size());
}
BENCHMARK(BM_SequenceFrameFitAll)->Unit(benchmark::kMillisecond);

/// Seeking: random jumps of the state graph and the details pane (the sequence
/// diagram's seek is part of its frame above).
void BM_SeekViews(benchmark::State& state) {
    const Trace& t = bigTrace();
    StateGraphView graph;
    graph.setAnimationsEnabled(false);
    graph.setTrace(&t);
    SegmentDetailsView details;
    details.setTrace(&t);
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, t.size());
    for (auto _ : state) {
        const std::size_t p = pick(rng);
        graph.setPosition(p);
        details.setPosition(p);
        benchmark::DoNotOptimize(graph.highlightedArc(Side::Client));
    }
}
BENCHMARK(BM_SeekViews)->Unit(benchmark::kMicrosecond);

/// One-off cost when a trace is opened: the per-trace index of the diagram.
void BM_LayoutBuild(benchmark::State& state) {
    const Trace& t = bigTrace();
    for (auto _ : state) {
        SequenceLayout layout(t);
        benchmark::DoNotOptimize(layout.arrows().size());
    }
}
BENCHMARK(BM_LayoutBuild)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
