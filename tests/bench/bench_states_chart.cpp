// The states-over-time chart of a 100,000-connection capture at 1920x1080
// (target: under 50 ms for the reduction and the paint together), and what the
// shared filter and the heat map cost on the same capture.
// Run: QT_QPA_PLATFORM=offscreen bench_states_chart

#include "capture/analyzer.h"
#include "capture/state_timeline.h"
#include "capture/synth.h"
#include "states_chart_renderer.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>

namespace {

using namespace tcpviz;

constexpr std::uint32_t kConnections = 100'000;

/// A synthetic capture of 100,000 connections (both closing orders, so that
/// TIME-WAIT piles up on clients and servers), analysed once.
const AnalysisResult& bigCapture() {
    static const AnalysisResult result = [] {
        QTemporaryDir dir;
        const std::string path =
            QDir(dir.path()).filePath(QStringLiteral("big.pcap")).toStdString();
        SynthOptions o;
        o.connections = kConnections;
        o.close = SynthClose::Mixed;
        if (const auto written = writeSynthCapture(o, path); !written) {
            std::fprintf(stderr, "bench_states_chart: %s\n", written.error().toString().c_str());
            std::exit(1);
        }
        auto analysed = analyzeCapture(path, {});
        if (!analysed) {
            std::fprintf(stderr, "bench_states_chart: %s\n", analysed.error().toString().c_str());
            std::exit(1);
        }
        return std::move(*analysed);
    }();
    return result;
}

const StateTimeline& bigTimeline() {
    static const StateTimeline timeline(bigCapture().connections);
    return timeline;
}

const QSizeF kSize(1920, 1080);

/// What the widget does when the data or its size changes: sample every pixel
/// column, then paint.
void BM_StatesChartReduceAndPaint(benchmark::State& state) {
    const StateTimeline& t = bigTimeline();
    QImage image(kSize.toSize(), QImage::Format_ARGB32_Premultiplied);
    StatesChartDecor decor;
    decor.originNs = t.startNs();
    decor.cursorNs = t.startNs() + (t.endNs() - t.startNs()) / 2;
    decor.highlight = State::TimeWait;
    for (auto _ : state) {
        const StatesChartLayout layout = StatesChartRenderer::layout(
            t, t.startNs(), t.endNs(), kSize, StatesChartSides::Apart, decor.settings);
        QPainter p(&image);
        StatesChartRenderer::paint(p, layout, decor);
    }
    state.counters["connections"] = static_cast<double>(bigCapture().connections.size());
    state.counters["changes"] = static_cast<double>(t.size());
}
BENCHMARK(BM_StatesChartReduceAndPaint)->Unit(benchmark::kMillisecond);

/// The reduction alone (one sweep over the changes for every pixel column).
void BM_StatesChartReduce(benchmark::State& state) {
    const StateTimeline& t = bigTimeline();
    for (auto _ : state) {
        const StatesChartLayout layout = StatesChartRenderer::layout(
            t, t.startNs(), t.endNs(), kSize, StatesChartSides::Apart, ViewSettings{});
        benchmark::DoNotOptimize(layout.columns());
    }
}
BENCHMARK(BM_StatesChartReduce)->Unit(benchmark::kMillisecond);

/// A cursor move: the layout is kept, only the paint runs again.
void BM_StatesChartPaintOnly(benchmark::State& state) {
    const StateTimeline& t = bigTimeline();
    QImage image(kSize.toSize(), QImage::Format_ARGB32_Premultiplied);
    StatesChartDecor decor;
    decor.originNs = t.startNs();
    const StatesChartLayout layout = StatesChartRenderer::layout(
        t, t.startNs(), t.endNs(), kSize, StatesChartSides::Apart, decor.settings);
    std::int64_t step = 0;
    for (auto _ : state) {
        decor.cursorNs = t.startNs() + (t.endNs() - t.startNs()) * (step++ % 100) / 100;
        QPainter p(&image);
        StatesChartRenderer::paint(p, layout, decor);
    }
}
BENCHMARK(BM_StatesChartPaintOnly)->Unit(benchmark::kMillisecond);

/// The heat map in step with the cursor: the counts at one time.
void BM_HeatMapCountsAt(benchmark::State& state) {
    const StateTimeline& t = bigTimeline();
    std::int64_t step = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            t.sideCountsAt(t.startNs() + (t.endNs() - t.startNs()) * (step++ % 1000) / 1000));
    }
}
BENCHMARK(BM_HeatMapCountsAt)->Unit(benchmark::kMicrosecond);

/// The shared filter: the timeline rebuilt over half the connections.
void BM_FilteredTimeline(benchmark::State& state) {
    const auto& connections = bigCapture().connections;
    std::vector<bool> keep(connections.size());
    for (std::size_t i = 0; i < keep.size(); ++i) {
        keep[i] = i % 2 == 0;
    }
    for (auto _ : state) {
        const StateTimeline filtered(connections, keep);
        benchmark::DoNotOptimize(filtered.size());
    }
}
BENCHMARK(BM_FilteredTimeline)->Unit(benchmark::kMillisecond);

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
