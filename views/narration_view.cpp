#include "narration_view.h"

#include "event_text.h"
#include "narration/narrator.h"
#include "view_style.h"

namespace tcpviz {

NarrationView::NarrationView(QWidget* parent)
    : QTextBrowser(parent) {
    setOpenLinks(false);
    setReadOnly(true);
    rebuild();
}

void NarrationView::setTrace(const Trace* trace) {
    m_trace = trace;
    m_position = 0;
    m_extra.clear();
    rebuild();
}

void NarrationView::setPosition(std::size_t position) {
    m_position = m_trace == nullptr ? 0 : std::min(position, m_trace->size());
    m_extra.clear();
    rebuild();
}

void NarrationView::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    setPalette(viewPalette(settings));
    setFont(viewFont(settings, 1.1));
    rebuild();
}

void NarrationView::setNarrationProvider(Provider provider) {
    m_provider = std::move(provider);
    rebuild();
}

void NarrationView::setExtraText(const QString& html) {
    m_extra = html;
    rebuild();
}

void NarrationView::setPlaceholder(const QString& html) {
    m_placeholder = html;
    rebuild();
}

void NarrationView::setDocumentText(const QString& html) {
    m_document = html;
    rebuild();
}

void NarrationView::setTitleShownElsewhere(const QString& title) {
    if (title != m_titleElsewhere) {
        m_titleElsewhere = title;
        rebuild();
    }
}

void NarrationView::rebuild() {
    QString html;
    if (m_trace == nullptr && !m_document.isEmpty()) {
        html = m_document;
    } else if (m_trace == nullptr) {
        html = QStringLiteral("<p>%1</p>")
                   .arg(tr("Open a scenario or a capture to begin.").toHtmlEscaped());
    } else {
        const Trace& t = *m_trace;
        const QString title = QString::fromStdString(t.meta.title.in(m_settings.language));
        if (!title.isEmpty() && title != m_titleElsewhere) {
            html += QStringLiteral("<h3>%1</h3>").arg(title.toHtmlEscaped());
        }
        // A capture that misses part of the connection says so at every step, first:
        // the states shown rest on it.
        const QString caveat = QString::fromStdString(captureCaveat(t).in(m_settings.language));
        if (!caveat.isEmpty()) {
            html += QStringLiteral("<p><small><i>%1</i></small></p>").arg(caveat.toHtmlEscaped());
        }
        if (!m_placeholder.isEmpty()) {
            html += m_placeholder;
        } else if (m_position == 0) {
            html +=
                QStringLiteral("<p>%1</p>")
                    .arg(tr("Before the first event: client %1, server %2. Step forward to begin.")
                             .arg(stateLabel(t.stateAt(Side::Client, 0), m_settings),
                                  stateLabel(t.stateAt(Side::Server, 0), m_settings))
                             .toHtmlEscaped());
        } else {
            const std::size_t i = m_position - 1;
            const TraceEvent& e = t.event(i);
            html += QStringLiteral("<p><small>%1</small></p>")
                        .arg(tr("Step %1 of %2, at %3")
                                 .arg(m_position)
                                 .arg(t.size())
                                 .arg(formatDuration(e.timeUs)));
            QString told;
            if (m_provider) {
                told = m_provider(t, i, m_settings);
            } else {
                told = QString::fromStdString(
                           narrate(t, i, {.relativeNumbers = m_settings.relativeNumbers})
                               .in(m_settings.language))
                           .toHtmlEscaped();
                told.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
            }
            if (!told.isEmpty()) {
                html += QStringLiteral("<p>%1</p>").arg(told);
            } else {
                html += QStringLiteral("<p>%1</p>")
                            .arg(eventDescription(t, i, m_settings).toHtmlEscaped());
                if (e.kind == EventKind::Transition) {
                    const Arc& a = arc(e.arc);
                    html += QStringLiteral("<p><i>%1</i></p>")
                                .arg(tr("Arc of the state diagram: %1 \u2192 %2, \u201c%3\u201d.")
                                         .arg(stateLabel(a.from, m_settings),
                                              stateLabel(a.to, m_settings), toQString(a.label()))
                                         .toHtmlEscaped());
                }
            }
            if (const std::string_view note = displayNote(e); !note.empty()) {
                html +=
                    QStringLiteral("<p><small>%1</small></p>").arg(noteText(note).toHtmlEscaped());
            }
        }
    }
    if (!m_extra.isEmpty()) {
        html += QStringLiteral("<hr>") + m_extra;
    }
    m_html = html;
    setHtml(html);
}

} // namespace tcpviz
