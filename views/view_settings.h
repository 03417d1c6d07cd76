#pragma once

#include "tcp/state.h"
#include "text/localized.h"

#include <cstdint>

namespace tcpviz {

/// The sequence diagram's vertical axis.
enum class SequenceAxis : std::uint8_t {
    /// Steps where the time axis would squeeze two arrows' labels together,
    /// time otherwise (decided per Trace by SequenceLayout).
    Automatic,
    /// Proportional to time; long idle gaps compressed and marked.
    Time,
    /// One evenly spaced row per event that sends or delivers a segment, as in
    /// the RFC figures and Wireshark's flow graph; real times as labels.
    Steps,
};

/// How every view presents a Trace. The app owns one of these (persisted in
/// QSettings) and hands it to each view with setSettings(); the views never
/// read QSettings themselves, so tests and `--export` get exactly what they ask for.
struct ViewSettings {
    /// Sequence and acknowledgement numbers relative to each side's ISN (as
    /// Wireshark shows them by default) rather than the raw 32-bit values.
    bool relativeNumbers = true;
    StateNameStyle stateNames = StateNameStyle::Rfc9293;
    /// Language of texts that come from the model (scenario titles, narration).
    /// Texts of the views themselves go through tr() and follow the installed translator.
    Language language = Language::En;
    /// Lecture-hall mode: larger fonts, thicker lines, high contrast.
    bool presentation = false;
    /// Dark palette (light text on a dark background) instead of the light one.
    bool dark = false;
    /// Presentation mode: the smallest text any view draws, in pixels (the app
    /// sets it from the screen height so the back row can read arc labels and
    /// "lost"); body text is 1.25 times that. 0: 1.6 times the application font.
    double presentationMinTextPx = 0.0;
    /// Vertical axis of the sequence diagram (window and export alike).
    SequenceAxis sequenceAxis = SequenceAxis::Automatic;

    bool operator==(const ViewSettings&) const = default;
};

} // namespace tcpviz
