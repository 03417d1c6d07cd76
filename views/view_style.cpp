#include "view_style.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QScreen>
#include <algorithm>

namespace tcpviz {

ViewColors viewColors(const ViewSettings& settings) {
    ViewColors c;
    if (settings.dark) {
        c.background = QColor(0x1e, 0x1f, 0x22);
        c.text = settings.presentation ? QColor(0xff, 0xff, 0xff) : QColor(0xe6, 0xe6, 0xe6);
        c.mutedText = settings.presentation ? QColor(0xd0, 0xd0, 0xd0) : QColor(0xa8, 0xa8, 0xa8);
        c.line = QColor(0xc8, 0xc8, 0xc8);
        c.grid = QColor(0x3a, 0x3c, 0x40);
        // Okabe-Ito sky blue reads better than the deep blue on a dark background.
        c.client = QColor(0x56, 0xb4, 0xe9);
        c.server = QColor(0xe6, 0x9f, 0x00);
        c.lost = QColor(0xff, 0x4d, 0x4d);
        c.injected = QColor(0xdd, 0x88, 0xcc);
        c.playhead = QColor(0x3c, 0xc8, 0x9b);
        c.future = QColor(0x70, 0x70, 0x70);
    } else {
        c.background = QColor(0xff, 0xff, 0xff);
        c.text = settings.presentation ? QColor(0x00, 0x00, 0x00) : QColor(0x1a, 0x1a, 0x1a);
        c.mutedText = settings.presentation ? QColor(0x30, 0x30, 0x30) : QColor(0x60, 0x60, 0x60);
        c.line = QColor(0x40, 0x40, 0x40);
        c.grid = QColor(0xe2, 0xe2, 0xe2);
        c.client = QColor(0x00, 0x72, 0xb2);
        c.server = QColor(0xe6, 0x9f, 0x00);
        c.lost = QColor(0xd0, 0x10, 0x10);
        c.injected = QColor(0xcc, 0x79, 0xa7);
        c.playhead = QColor(0x00, 0x9e, 0x73);
        c.future = QColor(0xb8, 0xb8, 0xb8);
    }
    return c;
}

QPalette viewPalette(const ViewSettings& settings) {
    const ViewColors c = viewColors(settings);
    QPalette p;
    p.setColor(QPalette::Window,
               settings.dark ? QColor(0x2a, 0x2b, 0x2f) : QColor(0xf2, 0xf2, 0xf2));
    p.setColor(QPalette::WindowText, c.text);
    p.setColor(QPalette::Base, c.background);
    p.setColor(QPalette::AlternateBase,
               settings.dark ? QColor(0x28, 0x29, 0x2d) : QColor(0xf5, 0xf5, 0xf5));
    p.setColor(QPalette::Text, c.text);
    p.setColor(QPalette::ToolTipBase,
               settings.dark ? QColor(0x30, 0x30, 0x30) : QColor(0xff, 0xff, 0xdc));
    p.setColor(QPalette::ToolTipText, c.text);
    p.setColor(QPalette::Button,
               settings.dark ? QColor(0x35, 0x36, 0x3a) : QColor(0xe8, 0xe8, 0xe8));
    p.setColor(QPalette::ButtonText, c.text);
    p.setColor(QPalette::Highlight, c.client);
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, c.client);
    p.setColor(QPalette::PlaceholderText, c.mutedText);
    p.setColor(QPalette::Mid, c.line);
    return p;
}

namespace {

/// The hue of a state, shared by its tint and its colour in the states chart.
QColor stateBase(State state) {
    // Hues group the states the way a lecture does: setting up (yellow-green),
    // open (green), closing actively (purple), closing passively (red),
    // waiting out the network (brown), nothing (grey).
    QColor base;
    switch (state) {
    case State::Closed:
        base = QColor(0x9e, 0x9e, 0x9e);
        break;
    case State::Listen:
        base = QColor(0xc6, 0xb4, 0x3c);
        break;
    case State::SynSent:
    case State::SynReceived:
        base = QColor(0xd8, 0xa0, 0x30);
        break;
    case State::Established:
        base = QColor(0x3c, 0xa0, 0x5a);
        break;
    case State::FinWait1:
    case State::FinWait2:
    case State::Closing:
        base = QColor(0x8c, 0x6b, 0xc8);
        break;
    case State::CloseWait:
    case State::LastAck:
        base = QColor(0xc8, 0x5a, 0x6e);
        break;
    case State::TimeWait:
        base = QColor(0x9c, 0x6e, 0x46);
        break;
    }
    return base;
}

} // namespace

QColor stateTint(State state, const ViewSettings& settings) {
    const QColor base = stateBase(state);
    const ViewColors c = viewColors(settings);
    // Blend towards the background: a tint that never drowns the text on top.
    const double keep = settings.dark ? 0.45 : 0.30;
    const auto mix = [&](int a, int b) { return static_cast<int>(a * keep + b * (1.0 - keep)); };
    return QColor(mix(base.red(), c.background.red()), mix(base.green(), c.background.green()),
                  mix(base.blue(), c.background.blue()));
}

namespace {

/// Points per pixel on the screen the views are shown on (96 dpi when there is none).
double pointsPerPixel() {
    const QScreen* screen = QGuiApplication::primaryScreen();
    const double dpi = screen != nullptr ? screen->logicalDotsPerInchY() : 96.0;
    return 72.0 / (dpi > 0 ? dpi : 96.0);
}

} // namespace

double minimumPointSize(const ViewSettings& settings) {
    if (!settings.presentation || settings.presentationMinTextPx <= 0) {
        return 0.0;
    }
    return settings.presentationMinTextPx * pointsPerPixel();
}

QFont viewFont(const ViewSettings& settings, double relativeSize) {
    QFont f = QGuiApplication::font();
    double size = f.pointSizeF() > 0 ? f.pointSizeF() : 10.0;
    size *= relativeSize * (settings.presentation ? 1.6 : 1.0);
    if (const double floor = minimumPointSize(settings); floor > 0) {
        // Sized from the screen, not from the desktop font: body text 1.25x
        // the minimum, and nothing smaller than the minimum.
        size = std::max(floor, floor * 1.25 * relativeSize);
    }
    f.setPointSizeF(size);
    if (settings.presentation) {
        f.setWeight(QFont::Medium);
    }
    return f;
}

double lineScale(const ViewSettings& settings) {
    return settings.presentation ? 2.0 : 1.0;
}

QColor stateFill(State state, const ViewSettings& settings) {
    // The group's hue, a step lighter or darker for each member of a group so
    // that neighbouring bands of one group stay apart.
    QColor base = stateBase(state);
    int shade = 100;
    switch (state) {
    case State::SynReceived:
    case State::FinWait2:
    case State::LastAck:
        shade = 125;
        break;
    case State::Closing:
        shade = 80;
        break;
    default:
        break;
    }
    base = shade >= 100 ? base.lighter(shade) : base.darker(100 * 100 / shade);
    const ViewColors c = viewColors(settings);
    const double keep = settings.dark ? 0.80 : 0.75;
    const auto mix = [&](int a, int b) { return static_cast<int>(a * keep + b * (1.0 - keep)); };
    return QColor(mix(base.red(), c.background.red()), mix(base.green(), c.background.green()),
                  mix(base.blue(), c.background.blue()));
}

QString stateLabel(State state, const ViewSettings& settings) {
    const std::string_view name = stateName(state, settings.stateNames);
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

QString sideLabel(Side side) {
    return side == Side::Client ? QCoreApplication::translate("tcpviz::Views", "client")
                                : QCoreApplication::translate("tcpviz::Views", "server");
}

} // namespace tcpviz
