#pragma once

#include "trace/trace.h"
#include "view_settings.h"

#include <QTextBrowser>
#include <functional>

namespace tcpviz {

/// The current step explained in words: by default the model's narrator
/// (narrate(), in settings.language), falling back to a generic description
/// of the event. The app may replace it with setNarrationProvider(), and add
/// its own text (a quiz question, a what-if remark) with setExtraText().
class NarrationView : public QTextBrowser {
    Q_OBJECT
public:
    /// Explains the event at `eventIndex` as HTML or plain text, in settings.language.
    using Provider =
        std::function<QString(const Trace&, std::size_t eventIndex, const ViewSettings&)>;

    explicit NarrationView(QWidget* parent = nullptr);

    void setTrace(const Trace* trace);
    void setPosition(std::size_t position);
    [[nodiscard]] std::size_t position() const { return m_position; }

    void setSettings(const ViewSettings& settings);
    [[nodiscard]] const ViewSettings& settings() const { return m_settings; }

    /// Replaces the narrator; an empty function restores it.
    void setNarrationProvider(Provider provider);
    /// Rich text shown under the narration until the next setPosition() or setTrace().
    void setExtraText(const QString& html);
    /// Rich text shown instead of the step's narration and note while not empty
    /// (the quiz holds back what would give its answer away).
    void setPlaceholder(const QString& html);
    [[nodiscard]] bool holdingBack() const { return !m_placeholder.isEmpty(); }
    /// Rich text shown while there is no trace, instead of the invitation to open
    /// something (a capture's overview describes the capture); empty restores it.
    void setDocumentText(const QString& html);
    /// The title the window already shows above the diagram: the trace's own title
    /// is then left out (on a 720-line screen its heading took the room of the
    /// step's narration). Empty: the title is always shown.
    void setTitleShownElsewhere(const QString& title);

    /// The HTML currently shown.
    [[nodiscard]] QString currentHtml() const { return m_html; }

private:
    void rebuild();

    const Trace* m_trace = nullptr;
    std::size_t m_position = 0;
    ViewSettings m_settings;
    Provider m_provider;
    QString m_extra;
    QString m_placeholder;
    QString m_document;
    QString m_titleElsewhere;
    QString m_html;
};

} // namespace tcpviz
