#pragma once

#include "trace/trace.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace tcpviz::gui {

/// Owns the position in a Trace and plays it back.
///
/// Two clocks are kept apart: the *position* (how many events have happened,
/// what the state graph and the details show) and the *animation time* (the
/// trace time in microseconds, continuous, what the sequence diagram uses to
/// move a segment in flight from its sender to its receiver). While playing,
/// the position only passes an event once the animation time has reached the
/// event's time, so the state graph changes when an arrival is processed, not
/// when the segment leaves.
///
/// Viewing time: at 1x one second of playback shows 100 ms of trace time (a
/// 10x slow motion: a 50 ms one-way latency becomes a visible half-second
/// flight). Every gap between two distinct event times lasts at least
/// kMinGapSeconds (so fast loopback captures stay watchable) and at most
/// kMaxGapSeconds (so TIME-WAIT's 2*MSL or a long RTO never leaves the screen
/// idle for long). Speed multiplies all of that.
class Player : public QObject {
    Q_OBJECT
public:
    static constexpr double kSlowMotion = 10.0; ///< viewing seconds per trace second at 1x
    static constexpr double kMinGapSeconds = 0.12;
    static constexpr double kMaxGapSeconds = 1.5;
    static constexpr int kFrameMs = 16; ///< ~60 frames per second

    explicit Player(QObject* parent = nullptr);

    /// Starts over at position 0, paused. The trace must outlive the player's use of it.
    void setTrace(const Trace* trace);
    [[nodiscard]] const Trace* trace() const { return m_trace; }

    [[nodiscard]] std::size_t position() const { return m_position; }
    [[nodiscard]] std::size_t size() const { return m_trace == nullptr ? 0 : m_trace->size(); }
    [[nodiscard]] bool atEnd() const { return m_position >= size(); }
    [[nodiscard]] bool isPlaying() const { return m_playing; }
    [[nodiscard]] double speed() const { return m_speed; }
    /// Trace time the diagram should show, in microseconds (fractional while animating).
    [[nodiscard]] double animationTimeUs() const;
    /// How far the playhead has moved from the last applied event towards the
    /// next one, in [0, 1) of their time difference (what the diagram animates).
    [[nodiscard]] double fraction() const;
    /// Viewing seconds (at 1x) at which event `index` happens; for tests and the timeline.
    [[nodiscard]] double playbackSecondsOf(std::size_t index) const;
    [[nodiscard]] double totalPlaybackSeconds() const;

    /// Speeds offered by the speed control and +/- keys.
    [[nodiscard]] static const std::vector<double>& speeds();

    /// Playing stops before an event for which this returns true (the quiz asks
    /// its question there); `release(index)` lets the event through once.
    void setBarrier(std::function<bool(std::size_t eventIndex)> barrier);
    void release(std::size_t eventIndex);

    /// Advances the playback clock by `seconds` of wall time (what the frame timer
    /// does); public so tests can drive playback without waiting.
    void advance(double wallSeconds);

public slots:
    void play();
    void pause();
    void togglePlay();
    void stepForward();
    void stepBack();
    void toStart();
    void toEnd();
    /// O(1): the snapshot lookup in Trace is indexed.
    void seek(std::size_t position);
    /// O(log n): the first position whose event is at or after `timeUs`.
    void seekToTime(std::int64_t timeUs);
    void setSpeed(double speed);
    void faster();
    void slower();

signals:
    void positionChanged(std::size_t position);
    /// Emitted every frame while playing and on every seek (trace microseconds).
    void animationTimeChanged(double timeUs);
    /// Every frame while playing and on every seek: position plus the fraction
    /// towards the next event (see fraction()).
    void frame(std::size_t position, double fraction);
    void playingChanged(bool playing);
    void speedChanged(double speed);
    /// Playing stopped in front of a barrier event (see setBarrier).
    void barrierReached(std::size_t eventIndex);

private:
    void onFrame();
    void setPositionInternal(std::size_t position, double clock);
    [[nodiscard]] bool blocked(std::size_t eventIndex) const;

    const Trace* m_trace = nullptr;
    std::vector<double> m_playAt; ///< viewing seconds (1x) of each event
    std::size_t m_position = 0;
    double m_clock = 0.0; ///< viewing seconds (1x) since the start
    double m_speed = 1.0;
    bool m_playing = false;
    std::function<bool(std::size_t)> m_barrier;
    std::optional<std::size_t> m_released;
    QTimer m_timer;
    QElapsedTimer m_wall;
};

} // namespace tcpviz::gui
