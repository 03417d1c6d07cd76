#include "player.h"

#include <algorithm>
#include <cmath>

namespace tcpviz::gui {

namespace {

double gapSeconds(std::int64_t deltaUs) {
    if (deltaUs <= 0) {
        return 0.0; // events at the same instant happen together
    }
    const double scaled = static_cast<double>(deltaUs) / 1e6 * Player::kSlowMotion;
    return std::clamp(scaled, Player::kMinGapSeconds, Player::kMaxGapSeconds);
}

} // namespace

Player::Player(QObject* parent)
    : QObject(parent) {
    m_timer.setInterval(kFrameMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Player::onFrame);
}

const std::vector<double>& Player::speeds() {
    static const std::vector<double> kSpeeds{0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0};
    return kSpeeds;
}

void Player::setTrace(const Trace* trace) {
    pause();
    m_trace = trace;
    m_playAt.clear();
    m_released.reset();
    if (m_trace != nullptr) {
        const auto& events = m_trace->events();
        m_playAt.reserve(events.size());
        double at = 0.0;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (i > 0) {
                at += gapSeconds(events[i].timeUs - events[i - 1].timeUs);
            }
            m_playAt.push_back(at);
        }
    }
    m_position = 0;
    m_clock = 0.0;
    emit positionChanged(m_position);
    emit animationTimeChanged(animationTimeUs());
    emit frame(m_position, 0.0);
}

double Player::playbackSecondsOf(std::size_t index) const {
    if (m_playAt.empty()) {
        return 0.0;
    }
    return m_playAt.at(std::min(index, m_playAt.size() - 1));
}

double Player::totalPlaybackSeconds() const {
    return m_playAt.empty() ? 0.0 : m_playAt.back();
}

double Player::animationTimeUs() const {
    if (m_trace == nullptr || m_trace->empty()) {
        return 0.0;
    }
    const auto& events = m_trace->events();
    const auto after = std::upper_bound(m_playAt.begin(), m_playAt.end(), m_clock);
    if (after == m_playAt.begin()) {
        return static_cast<double>(events.front().timeUs);
    }
    const auto k = static_cast<std::size_t>(after - m_playAt.begin()) - 1;
    if (after == m_playAt.end()) {
        return static_cast<double>(events.back().timeUs);
    }
    const double span = m_playAt[k + 1] - m_playAt[k];
    const double fraction = span > 0 ? (m_clock - m_playAt[k]) / span : 0.0;
    const auto t0 = static_cast<double>(events[k].timeUs);
    const auto t1 = static_cast<double>(events[k + 1].timeUs);
    return t0 + fraction * (t1 - t0);
}

double Player::fraction() const {
    if (m_trace == nullptr || m_position == 0 || m_position >= m_trace->size()) {
        return 0.0;
    }
    const auto t0 = static_cast<double>(m_trace->event(m_position - 1).timeUs);
    const auto t1 = static_cast<double>(m_trace->event(m_position).timeUs);
    if (t1 <= t0) {
        return 0.0;
    }
    return std::clamp((animationTimeUs() - t0) / (t1 - t0), 0.0, 0.999);
}

void Player::setBarrier(std::function<bool(std::size_t)> barrier) {
    m_barrier = std::move(barrier);
    m_released.reset();
}

void Player::release(std::size_t eventIndex) {
    m_released = eventIndex;
}

bool Player::blocked(std::size_t eventIndex) const {
    return m_barrier && m_released != eventIndex && m_barrier(eventIndex);
}

void Player::play() {
    if (m_trace == nullptr || m_trace->empty() || m_playing) {
        return;
    }
    if (atEnd()) {
        setPositionInternal(0, 0.0);
    }
    m_playing = true;
    m_wall.start();
    m_timer.start();
    emit playingChanged(true);
}

void Player::pause() {
    if (!m_playing) {
        return;
    }
    m_playing = false;
    m_timer.stop();
    emit playingChanged(false);
}

void Player::togglePlay() {
    if (m_playing) {
        pause();
    } else {
        play();
    }
}

void Player::onFrame() {
    const double wall = static_cast<double>(m_wall.nsecsElapsed()) / 1e9;
    m_wall.restart();
    // A stalled event loop (a modal dialog, a slow frame) must not make the
    // animation jump a long way in one go.
    advance(std::min(wall, 0.25));
}

void Player::advance(double wallSeconds) {
    if (m_trace == nullptr || m_trace->empty()) {
        return;
    }
    double clock = m_clock + wallSeconds * m_speed;
    const auto reached = static_cast<std::size_t>(
        std::upper_bound(m_playAt.begin(), m_playAt.end(), clock) - m_playAt.begin());
    std::size_t target = std::max(reached, m_position);
    for (std::size_t i = m_position; i < target; ++i) {
        if (blocked(i)) {
            target = i;
            clock = m_playAt[i];
            setPositionInternal(target, clock);
            pause();
            emit barrierReached(i);
            return;
        }
    }
    if (target >= size() && clock >= totalPlaybackSeconds()) {
        setPositionInternal(size(), totalPlaybackSeconds());
        pause();
        return;
    }
    setPositionInternal(target, clock);
}

void Player::setPositionInternal(std::size_t position, double clock) {
    position = std::min(position, size());
    m_clock = clock;
    if (position != m_position) {
        m_position = position;
        emit positionChanged(m_position);
    }
    emit animationTimeChanged(animationTimeUs());
    emit frame(m_position, fraction());
}

void Player::stepForward() {
    if (atEnd()) {
        return;
    }
    pause();
    if (blocked(m_position)) {
        emit barrierReached(m_position);
        return;
    }
    setPositionInternal(m_position + 1, m_playAt[m_position]);
}

void Player::stepBack() {
    if (m_position == 0) {
        return;
    }
    pause();
    seek(m_position - 1);
}

void Player::toStart() {
    pause();
    seek(0);
}

void Player::toEnd() {
    pause();
    seek(size());
}

void Player::seek(std::size_t position) {
    position = std::min(position, size());
    setPositionInternal(position, position == 0 ? 0.0 : m_playAt[position - 1]);
}

void Player::seekToTime(std::int64_t timeUs) {
    if (m_trace == nullptr) {
        return;
    }
    seek(m_trace->positionAtTime(timeUs));
}

void Player::setSpeed(double speed) {
    speed = std::clamp(speed, speeds().front(), speeds().back());
    if (std::abs(speed - m_speed) < 1e-9) {
        return;
    }
    m_speed = speed;
    emit speedChanged(m_speed);
}

void Player::faster() {
    for (const double s : speeds()) {
        if (s > m_speed + 1e-9) {
            setSpeed(s);
            return;
        }
    }
}

void Player::slower() {
    const auto& all = speeds();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (*it < m_speed - 1e-9) {
            setSpeed(*it);
            return;
        }
    }
}

} // namespace tcpviz::gui
