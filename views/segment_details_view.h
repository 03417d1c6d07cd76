#pragma once

#include "sequence_layout.h"
#include "trace/trace.h"
#include "view_settings.h"

#include <QTreeWidget>
#include <optional>

namespace tcpviz {

/// A packet-details pane: every header field of one segment (the latest one
/// sent, received or lost at the current position, or the one the user
/// clicked), its markers (retransmission, lost, duplicate, injected), and the
/// key TCB variables of both endpoints at the current position.
class SegmentDetailsView : public QTreeWidget {
    Q_OBJECT
public:
    explicit SegmentDetailsView(QWidget* parent = nullptr);

    void setTrace(const Trace* trace);
    /// Shows the segment of the latest Send/Arrive/Drop event before `position`,
    /// and drops any segment pinned with pinEvent().
    void setPosition(std::size_t position);
    /// Pins the segment of this Send/Arrive/Drop event (e.g. from segmentClicked).
    void pinEvent(std::size_t eventIndex);
    /// The event whose segment is shown, if any.
    [[nodiscard]] std::optional<std::size_t> shownEvent() const { return m_shown; }

    void setSettings(const ViewSettings& settings);
    [[nodiscard]] const ViewSettings& settings() const { return m_settings; }

    /// Text of the value column for the first row whose field name is `field`
    /// (searched depth-first), empty if none. For tests and accessibility.
    [[nodiscard]] QString valueOf(const QString& field) const;

private:
    void rebuild();

    const Trace* m_trace = nullptr;
    std::size_t m_position = 0;
    std::optional<std::size_t> m_shown;
    ViewSettings m_settings;
    SequenceLayout m_layout; ///< segment fates (lost, reordered) by Send event
};

} // namespace tcpviz
