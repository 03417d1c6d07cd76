#include "help_dialogs.h"

#include "state_graph_view.h"
#include "view_style.h"

#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <array>
#include <functional>

namespace tcpviz::gui {

namespace {

/// Black or white, whichever reads better on `fill`.
QColor readableOnColor(const QColor& fill) {
    return fill.lightnessF() > 0.55 ? QColor(0, 0, 0) : QColor(255, 255, 255);
}

QDialog* makeDialog(QWidget* parent, const QString& title, const QString& objectName) {
    auto* dialog = new QDialog(parent);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    return dialog;
}

void addCloseButton(QDialog* dialog, QVBoxLayout* layout) {
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
}

/// A small picture of what the views draw, for the legend.
QPixmap sample(const QSize& size, const ViewSettings& settings,
               const std::function<void(QPainter&, const QRectF&)>& draw) {
    const double dpr = 2.0;
    QPixmap pixmap(size * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(viewColors(settings).background);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing, true);
    draw(p, QRectF(QPointF(0, 0), QSizeF(size)));
    return pixmap;
}

void arrowHead(QPainter& p, QPointF tip, QPointF from, const QColor& color, double size) {
    QPointF d = tip - from;
    const double len = std::hypot(d.x(), d.y());
    if (len <= 0) {
        return;
    }
    d /= len;
    const QPointF n(-d.y(), d.x());
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPolygon(
        QPolygonF{tip, tip - d * size + n * size * 0.45, tip - d * size - n * size * 0.45});
}

} // namespace

QDialog* makeKeysDialog(QWidget* parent) {
    QDialog* dialog = makeDialog(parent, QCoreApplication::translate("HelpDialogs", "Keys"),
                                 QStringLiteral("keysDialog"));
    auto* layout = new QVBoxLayout(dialog);
    const std::array<std::pair<const char*, const char*>, 20> keys{{
        {"Space", QT_TRANSLATE_NOOP("HelpDialogs", "Play or pause")},
        {"\u2190 / \u2192", QT_TRANSLATE_NOOP("HelpDialogs", "One step back / forward")},
        {"Home / End", QT_TRANSLATE_NOOP("HelpDialogs", "To the start / to the end")},
        {"+ / \u2212", QT_TRANSLATE_NOOP("HelpDialogs", "Play faster / slower")},
        {"Ctrl++ / Ctrl+\u2212",
         QT_TRANSLATE_NOOP("HelpDialogs", "Zoom the sequence diagram in / out")},
        {"Ctrl+0", QT_TRANSLATE_NOOP("HelpDialogs", "Fit the whole exchange in the window")},
        {"F11", QT_TRANSLATE_NOOP("HelpDialogs", "Presentation mode on / off")},
        {"Esc", QT_TRANSLATE_NOOP("HelpDialogs", "Leave presentation mode")},
        {"F9",
         QT_TRANSLATE_NOOP("HelpDialogs", "Presentation mode: show or hide the packet details")},
        {"Ctrl+L", QT_TRANSLATE_NOOP("HelpDialogs", "Show or hide the scenario library")},
        {"Ctrl+Shift+Q", QT_TRANSLATE_NOOP("HelpDialogs", "Quiz on / off")},
        {"Ctrl+Z / Ctrl+Shift+Z", QT_TRANSLATE_NOOP("HelpDialogs", "Undo / redo a what-if")},
        {"Ctrl+Backspace", QT_TRANSLATE_NOOP("HelpDialogs", "Back to the scenario as written")},
        {"Ctrl+O", QT_TRANSLATE_NOOP("HelpDialogs", "Open a scenario or a capture")},
        {"Ctrl+E", QT_TRANSLATE_NOOP("HelpDialogs", "Export the whole diagram")},
        {"Ctrl+Shift+E", QT_TRANSLATE_NOOP("HelpDialogs", "Export the diagram as at this step")},
        {"Ctrl+Shift+S", QT_TRANSLATE_NOOP("HelpDialogs", "Save the exchange as pcap")},
        {"F1", QT_TRANSLATE_NOOP("HelpDialogs", "This list of keys")},
        {"Ctrl+Q", QT_TRANSLATE_NOOP("HelpDialogs", "Quit")},
        {"", QT_TRANSLATE_NOOP("HelpDialogs",
                               "Double-click an arrow: go to the step it arrives; click: its "
                               "fields")},
    }};
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='4'>");
    for (const auto& [key, what] : keys) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(QString::fromUtf8(key).toHtmlEscaped(),
                         QCoreApplication::translate("HelpDialogs", what).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    auto* text = new QLabel(html, dialog);
    text->setObjectName(QStringLiteral("keysText"));
    text->setTextFormat(Qt::RichText);
    layout->addWidget(text);
    addCloseButton(dialog, layout);
    return dialog;
}

QDialog* makeScenarioGuideDialog(QWidget* parent) {
    QDialog* dialog =
        makeDialog(parent, QCoreApplication::translate("HelpDialogs", "Writing scenarios"),
                   QStringLiteral("scenarioGuideDialog"));
    auto* layout = new QVBoxLayout(dialog);
    auto* browser = new QTextBrowser(dialog);
    browser->setObjectName(QStringLiteral("scenarioGuide"));
    browser->setOpenExternalLinks(true);
    QFile file(QStringLiteral(":/docs/scenarios/README.md"));
    if (file.open(QIODevice::ReadOnly)) {
        browser->setMarkdown(QString::fromUtf8(file.readAll()));
    }
    layout->addWidget(browser);
    addCloseButton(dialog, layout);
    dialog->resize(760, 640);
    return dialog;
}

QDialog* makeLegendDialog(QWidget* parent, const ViewSettings& settings) {
    QDialog* dialog =
        makeDialog(parent, QCoreApplication::translate("HelpDialogs", "What do the colours mean?"),
                   QStringLiteral("legendDialog"));
    const ViewColors c = viewColors(settings);
    auto* layout = new QVBoxLayout(dialog);
    auto* grid = new QGridLayout;
    layout->addLayout(grid);
    int row = 0;
    const auto add = [&](const QPixmap& picture, const QString& text) {
        auto* image = new QLabel(dialog);
        image->setPixmap(picture);
        auto* label = new QLabel(text, dialog);
        label->setWordWrap(true);
        label->setObjectName(QStringLiteral("legendText"));
        grid->addWidget(image, row, 0);
        grid->addWidget(label, row, 1);
        ++row;
        return image;
    };
    const QSize arrowSize(120, 28);
    const auto arrow = [&](const QColor& color, Qt::PenStyle style, bool lost, bool injected) {
        return sample(arrowSize, settings, [&](QPainter& p, const QRectF& r) {
            const double x0 = injected ? r.center().x() - 20 : r.left() + 8;
            const QPointF a(x0, r.top() + 6);
            const QPointF b(lost ? r.center().x() + 20 : r.right() - 8, r.bottom() - 6);
            p.setPen(QPen(color, 2.0, style));
            p.drawLine(a, b);
            if (lost) {
                p.setPen(QPen(c.lost, 2.6, Qt::SolidLine, Qt::RoundCap));
                p.drawLine(b + QPointF(-5, -5), b + QPointF(5, 5));
                p.drawLine(b + QPointF(-5, 5), b + QPointF(5, -5));
            } else {
                arrowHead(p, b, a, color, 9);
            }
            if (injected) {
                p.setPen(QPen(color, 1.5));
                p.setBrush(c.background);
                p.drawPolygon(QPolygonF{a + QPointF(0, -4), a + QPointF(4, 0), a + QPointF(0, 4),
                                        a + QPointF(-4, 0)});
            }
        });
    };
    auto* states = new QLabel(
        QStringLiteral("<b>%1</b>").arg(QCoreApplication::translate("HelpDialogs", "Colours")),
        dialog);
    grid->addWidget(states, row++, 0, 1, 2);
    const auto badge = [&](const QColor& color, const QString& letter) {
        return sample(QSize(120, 28), settings, [&](QPainter& p, const QRectF& r) {
            const QRectF node(r.left() + 14, r.top() + 4, r.width() - 28, r.height() - 8);
            p.setPen(QPen(c.line, 2.0));
            p.setBrush(color);
            p.drawRoundedRect(node, 5, 5);
            p.setPen(QPen(c.background, 1.5));
            p.drawEllipse(node.topLeft() + QPointF(2, 2), 8, 8);
            p.setPen(readableOnColor(color));
            p.drawText(QRectF(node.left() - 6, node.top() - 6, 16, 16), Qt::AlignCenter, letter);
        });
    };
    // The graph's own letters, so that the legend shows 客/服 where the graph does.
    const QString clientLetter = StateGraphView::badgeLetter(Side::Client);
    const QString serverLetter = StateGraphView::badgeLetter(Side::Server);
    QLabel* clientBadge =
        add(badge(c.client, clientLetter),
            QCoreApplication::translate(
                "HelpDialogs",
                "Blue, badge %1: the client. Its current state is lit blue in the state graph; its "
                "lifeline and the segments it sends are blue.")
                .arg(clientLetter));
    QLabel* serverBadge =
        add(badge(c.server, serverLetter),
            QCoreApplication::translate(
                "HelpDialogs",
                "Orange, badge %1: the server, in the same way. A state both are in is split "
                "half blue, half orange.")
                .arg(serverLetter));
    // For tests: which letter each badge picture was drawn with.
    clientBadge->setObjectName(QStringLiteral("legendBadgeClient"));
    clientBadge->setProperty("badgeLetter", clientLetter);
    serverBadge->setObjectName(QStringLiteral("legendBadgeServer"));
    serverBadge->setProperty("badgeLetter", serverLetter);
    add(sample(
            QSize(120, 28), settings,
            [&](QPainter& p, const QRectF& r) {
                const std::array<State, 3> s{State::SynSent, State::Established, State::TimeWait};
                const double w = r.width() / 3.0;
                for (std::size_t i = 0; i < s.size(); ++i) {
                    p.fillRect(QRectF(r.left() + w * static_cast<double>(i), r.top() + 4, w - 2,
                                      r.height() - 8),
                               stateTint(s.at(i), settings));
                }
            }),
        QCoreApplication::translate(
            "HelpDialogs",
            "Pale bands along a lifeline and pale nodes: each state has a tint of its own "
            "(opening, established, closing, waiting), so the phases stand apart."));
    grid->addWidget(
        new QLabel(
            QStringLiteral("<b>%1</b>").arg(QCoreApplication::translate("HelpDialogs", "Arrows")),
            dialog),
        row++, 0, 1, 2);
    add(arrow(c.client, Qt::SolidLine, false, false),
        QCoreApplication::translate(
            "HelpDialogs",
            "Solid arrow: a segment, from the time it was sent to the time it arrived."));
    add(arrow(c.client, Qt::SolidLine, true, false),
        QCoreApplication::translate(
            "HelpDialogs", "Red cross where the line stops, tagged “lost”: the network dropped the "
                           "segment."));
    add(arrow(c.client, Qt::DashLine, false, false),
        QCoreApplication::translate(
            "HelpDialogs",
            "Dashed arrow, tagged “retransmission”: the segment sent again after its "
            "timer (RTO) expired."));
    add(arrow(c.client, Qt::DashDotLine, false, false),
        QCoreApplication::translate(
            "HelpDialogs", "Dash-dot arrow, tagged “duplicate”: a second copy the network made."));
    add(arrow(c.injected, Qt::SolidLine, false, true),
        QCoreApplication::translate(
            "HelpDialogs",
            "Arrow starting at a diamond between the lifelines, tagged “injected”: a "
            "segment no endpoint sent (an attacker or an old duplicate)."));
    addCloseButton(dialog, layout);
    return dialog;
}

} // namespace tcpviz::gui
