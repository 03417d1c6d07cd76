// tcpviz: the desktop program. See `tcpviz --help`.
#include "app_settings.h"
#include "capture_controller.h"
#include "export.h"
#include "i18n.h"
#include "main_window.h"
#include "qt_text.h"
#include "scenario/library.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QScreen>
#include <QTimer>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace {

// Debug and test options: take a screenshot of the real window and quit.
struct ScreenshotRequest {
    QString path;
    QSize size;
    int playMs = 0;
    qint64 step = -1;
};

void takeScreenshot(tcpviz::gui::MainWindow& window, const ScreenshotRequest& req) {
    const auto grab = [&window, req] {
        window.grab().save(req.path);
        // A line for scripts and tests: what the window showed.
        const auto* trace = window.currentTrace();
        std::printf("tcpviz: screenshot %s: \"%s\", %zu connection(s), step %zu/%zu\n",
                    qPrintable(req.path), qPrintable(window.windowTitle()),
                    window.captureController()->connectionCount(), window.player()->position(),
                    trace == nullptr ? std::size_t{0} : trace->size());
        std::fflush(stdout);
        QApplication::quit();
    };
    QTimer::singleShot(300, &window, [&window, req, grab] {
        if (req.step >= 0) {
            window.player()->seek(static_cast<std::size_t>(req.step));
        }
        if (req.playMs > 0) {
            window.player()->play();
            QTimer::singleShot(req.playMs, &window, grab);
        } else {
            QTimer::singleShot(100, &window, grab);
        }
    });
}

// --help, --version and --export need no window: on a machine without a display
// (a build server, ssh) they still work, offscreen. Anything else needs a window;
// without a display Qt would abort with a core dump and advice to reinstall, so
// say in one line what is missing and how to go on, and exit 2. Returns false then.
bool prepareForDisplay(int argc, char** argv) {
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY") ||
        qEnvironmentVariableIsSet("WAYLAND_DISPLAY")) {
        return true;
    }
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--export" || arg.startsWith("--export=") || arg == "--help" || arg == "-h" ||
            arg == "--help-all" || arg == "--version" || arg == "-v") {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            return true;
        }
    }
    std::fprintf(stderr,
                 "tcpviz: no display found (DISPLAY and WAYLAND_DISPLAY are not set); over ssh "
                 "use `ssh -X`, or without a window `tcpviz-cli simulate lecture --narrate` "
                 "or `tcpviz --export slide.svg lecture`\n");
    return false;
}

/// A figure of /proc/self/status in KiB ("VmRSS:" now, "VmHWM:" the peak); 0 where
/// there is none.
double statusKiB(const char* field) {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return 0;
    }
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(field)) {
            return line.mid(static_cast<qsizetype>(std::strlen(field)))
                .trimmed()
                .split(' ')
                .value(0)
                .toDouble();
        }
    }
    return 0;
}

/// --time-steps: selects `count` connections spread evenly over the table, one
/// after the other, each once the previous one's ladder is shown (its packets read
/// on the worker and drawn), and prints how long each took; then quits.
void timeSelections(tcpviz::gui::CaptureController* controller, int count) {
    struct Run {
        std::vector<std::size_t> ids;
        std::size_t next = 0;
        QElapsedTimer clock;
        QMetaObject::Connection shown;
    };
    auto run = std::make_shared<Run>();
    const std::size_t n = controller->connectionCount();
    for (int i = 0; i < count; ++i) {
        run->ids.push_back(count == 1 ? 0
                                      : static_cast<std::size_t>(i) * (n - 1) /
                                            static_cast<std::size_t>(count - 1));
    }
    const auto selectNext = [run, controller] {
        if (run->next == run->ids.size()) {
            QObject::disconnect(run->shown);
            QApplication::quit();
            return;
        }
        run->clock.start();
        controller->selectConnection(run->ids[run->next]);
    };
    run->shown = QObject::connect(
        controller, &tcpviz::gui::CaptureController::connectionSelected, controller,
        [run, selectNext](std::optional<std::size_t> connection) {
            if (!connection || run->next >= run->ids.size() || *connection != run->ids[run->next]) {
                return;
            }
            // Posted behind the repaint the selection caused: the ladder on screen.
            QTimer::singleShot(0, [run, selectNext, id = *connection] {
                std::fprintf(stderr, "tcpviz: connection %zu shown after %.1f ms\n", id,
                             static_cast<double>(run->clock.nsecsElapsed()) / 1e6);
                ++run->next;
                selectNext();
            });
        });
    selectNext();
}

} // namespace

int main(int argc, char** argv) {
    QElapsedTimer startup;
    startup.start();
    if (!prepareForDisplay(argc, argv)) {
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("tcpviz"));
    QApplication::setApplicationName(QStringLiteral("tcpviz"));
    QApplication::setApplicationVersion(QStringLiteral(TCPVIZ_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tcpviz"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tcpviz.svg")));

    using tcpviz::gui::AppSettings;
    AppSettings settings = AppSettings::load();

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Makes TCP connection management visible: an animated sequence diagram and "
                "the RFC 9293 state graph, for scenarios and captures."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QApplication::translate("main", "A scenario file (.yaml), a built-in scenario id, or a "
                                        "capture (.pcap, .pcapng). Default: the lecture."),
        QStringLiteral("[FILE|ID]"));
    const QCommandLineOption readOption(
        {QStringLiteral("r"), QStringLiteral("read")},
        QApplication::translate("main", "Read a capture file; '-' reads standard input "
                                        "(tcpdump -w - | tcpviz -r -)."),
        QStringLiteral("FILE"));
    const QCommandLineOption exportOption(
        QStringLiteral("export"),
        QApplication::translate("main", "Render the sequence diagram to OUT without opening a "
                                        "window, then exit: a picture (.svg, .png, .pdf) or "
                                        "text for slides (.mmd Mermaid, .puml PlantUML)."),
        QStringLiteral("OUT"));
    const QCommandLineOption stepOption(
        QStringLiteral("step"),
        QApplication::translate("main", "With --export: draw the diagram as at step N "
                                        "(default: the whole exchange)."),
        QStringLiteral("N"));
    const QCommandLineOption graphOption(
        QStringLiteral("graph"),
        QApplication::translate("main", "With --export: draw the RFC 9293 state graph (as at "
                                        "--step N) instead of the sequence diagram."));
    const QCommandLineOption connectionOption(
        QStringLiteral("connection"),
        QApplication::translate("main", "With --export of a capture: draw connection N "
                                        "(its id as the connection table and tcpviz-cli "
                                        "analyze number them, from 0)."),
        QStringLiteral("N"));
    const QCommandLineOption compareOption(
        QStringLiteral("compare"),
        QApplication::translate("main", "With --export: compare mode, the diagram beside that "
                                        "of SCENARIO (a what-if: the same connection edited) "
                                        "on one time axis, the differences highlighted."),
        QStringLiteral("SCENARIO"));
    const QCommandLineOption langOption(
        QStringLiteral("lang"),
        QApplication::translate("main", "Interface language for this run: en or zh_CN."),
        QStringLiteral("CODE"));
    const QCommandLineOption presentationOption(
        QStringLiteral("presentation"),
        QApplication::translate("main", "Start in presentation mode (full screen)."));
    const QCommandLineOption hostOption(
        QStringLiteral("host"),
        QApplication::translate("main", "Show this machine's own TCP sockets (as ss shows them)."));
    const QCommandLineOption darkOption(QStringLiteral("dark"),
                                        QApplication::translate("main", "Use the dark palette."));
    QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Debugging: save a picture of the window to PNG and "
                                        "exit."),
        QStringLiteral("PNG"));
    QCommandLineOption sizeOption(
        QStringLiteral("size"),
        QApplication::translate("main", "With --export: a slide of exactly WxH pixels (points "
                                        "for PDF), the whole exchange fitted, e.g. 1920x1080. "
                                        "Otherwise the window's size."),
        QStringLiteral("WxH"));
    QCommandLineOption playOption(
        QStringLiteral("play-ms"),
        QApplication::translate("main", "Debugging: with --screenshot, play this long first."),
        QStringLiteral("MS"));
    QCommandLineOption timingOption(
        QStringLiteral("startup-time"),
        QApplication::translate("main", "Print the time from start to the window's first "
                                        "paint on standard error."));
    QCommandLineOption quitOption(
        QStringLiteral("quit-after-show"),
        QApplication::translate("main", "Debugging: exit as soon as the window is shown."));
    QCommandLineOption loadTimeOption(
        QStringLiteral("time-load"),
        QApplication::translate("main", "Debugging: print the time from start until the capture "
                                        "is analysed and its connection table shown, then exit."));
    QCommandLineOption stepsTimeOption(
        QStringLiteral("time-steps"),
        QApplication::translate("main", "Debugging: with --time-load, then select N connections "
                                        "spread over the table (the first and the last among "
                                        "them), print the time each took to show its ladder, "
                                        "then exit."),
        QStringLiteral("N"));
    // The debugging options serve tests and benchmarks, not users: hidden from --help.
    for (auto* o : {&screenshotOption, &playOption, &timingOption, &quitOption, &loadTimeOption,
                    &stepsTimeOption}) {
        o->setFlags(QCommandLineOption::HiddenFromHelp);
    }
    for (const QCommandLineOption* o : std::initializer_list<const QCommandLineOption*>{
             &readOption, &exportOption, &stepOption, &graphOption, &connectionOption,
             &compareOption, &langOption, &presentationOption, &hostOption, &darkOption,
             &screenshotOption, &sizeOption, &playOption, &timingOption, &quitOption,
             &loadTimeOption, &stepsTimeOption}) {
        parser.addOption(*o);
    }
    parser.process(app);

    if (parser.isSet(langOption)) {
        settings.view.language = tcpviz::gui::languageOfCode(parser.value(langOption));
        settings.languageCode = tcpviz::gui::codeOfLanguage(settings.view.language);
    }
    tcpviz::gui::installLanguage(settings.languageCode);
    if (parser.isSet(darkOption)) {
        settings.view.dark = true;
    }

    QString input = parser.positionalArguments().value(0);
    if (parser.isSet(readOption)) {
        input = parser.value(readOption);
    }

    qint64 step = -1;
    if (parser.isSet(stepOption)) {
        bool ok = false;
        step = parser.value(stepOption).toLongLong(&ok);
        if (!ok || step < 0) {
            std::fprintf(stderr, "tcpviz: --step wants a number of events, got '%s'\n",
                         qPrintable(parser.value(stepOption)));
            return 2;
        }
    }

    // WxH with both at least 1; anything else is a usage error.
    QSize size;
    if (parser.isSet(sizeOption)) {
        const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
        bool okW = false;
        bool okH = false;
        if (wh.size() == 2) {
            size = QSize(wh[0].toInt(&okW), wh[1].toInt(&okH));
        }
        if (!okW || !okH || size.width() < 1 || size.height() < 1 || size.width() > 20000 ||
            size.height() > 20000) {
            std::fprintf(stderr, "tcpviz: --size wants WxH in pixels, e.g. 1920x1080, got '%s'\n",
                         qPrintable(parser.value(sizeOption)));
            return 2;
        }
    }

    if (parser.isSet(exportOption)) {
        if (input.isEmpty()) {
            input = tcpviz::gui::qs(tcpviz::kDefaultScenarioId);
        }
        tcpviz::gui::CommandLineExport request;
        request.out = parser.value(exportOption);
        request.input = input;
        request.step = step;
        request.graph = parser.isSet(graphOption);
        request.slideSize = size;
        request.compare = parser.value(compareOption);
        if (parser.isSet(connectionOption)) {
            bool ok = false;
            request.connection = parser.value(connectionOption).toLongLong(&ok);
            if (!ok || request.connection < 0) {
                std::fprintf(stderr,
                             "tcpviz: --connection wants a connection id (from 0), got '%s'\n",
                             qPrintable(parser.value(connectionOption)));
                return 2;
            }
        }
        return tcpviz::gui::runCommandLineExport(request, settings.view);
    }

    tcpviz::gui::MainWindow window;
    window.setSessionOverrides(parser.isSet(langOption) || parser.isSet(darkOption));
    if (parser.isSet(langOption)) {
        window.setLanguage(settings.languageCode);
    }
    if (parser.isSet(darkOption)) {
        auto view = window.settings().view;
        view.dark = true;
        window.setViewSettings(view);
    }
    if (size.isValid()) {
        window.resize(size);
    }
    const int timeSteps = parser.value(stepsTimeOption).toInt();
    if (parser.isSet(loadTimeOption)) {
        // Connected before the file is opened; the capture panel's own handler
        // (filling and sizing the table) runs first, then this posts behind the
        // repaint it caused, so the figure includes the table on screen.
        auto* controller = window.captureController();
        QObject::connect(controller, &tcpviz::gui::CaptureController::analysisFinished, &window,
                         [&startup, controller, timeSteps] {
                             QTimer::singleShot(0, controller, [&startup, controller, timeSteps] {
                                 std::fprintf(stderr,
                                              "tcpviz: capture loaded and table shown after "
                                              "%.1f ms (%zu connections; resident %.1f MiB, "
                                              "peak %.1f MiB)\n",
                                              static_cast<double>(startup.nsecsElapsed()) / 1e6,
                                              controller->connectionCount(),
                                              statusKiB("VmRSS:") / 1024.0,
                                              statusKiB("VmHWM:") / 1024.0);
                                 if (timeSteps <= 0 || controller->connectionCount() == 0) {
                                     QApplication::quit();
                                     return;
                                 }
                                 timeSelections(controller, timeSteps);
                             });
                         });
        QObject::connect(controller, &tcpviz::gui::CaptureController::failed, &window,
                         [](const QString& message) {
                             std::fprintf(stderr, "tcpviz: loading failed: %s\n",
                                          qPrintable(message));
                             QApplication::exit(1);
                         });
    }
    window.openPath(input.isEmpty() ? tcpviz::gui::qs(tcpviz::kDefaultScenarioId) : input);
    if (parser.isSet(hostOption)) {
        window.showHostSockets(true);
    }
    if (parser.isSet(presentationOption)) {
        window.setPresentationMode(true);
    } else {
        window.show();
    }

    if (parser.isSet(timingOption) || parser.isSet(quitOption)) {
        const bool quit = parser.isSet(quitOption);
        const bool print = parser.isSet(timingOption);
        // Posted after the first show and paint have been queued: it runs once
        // the window has been laid out and painted for the first time.
        QTimer::singleShot(0, &window, [&startup, quit, print] {
            if (print) {
                std::fprintf(stderr, "tcpviz: window shown after %.1f ms\n",
                             static_cast<double>(startup.nsecsElapsed()) / 1e6);
            }
            if (quit) {
                QApplication::quit();
            }
        });
    }
    if (parser.isSet(screenshotOption)) {
        ScreenshotRequest req;
        req.path = parser.value(screenshotOption);
        req.playMs = parser.value(playOption).toInt();
        req.step = step;
        takeScreenshot(window, req);
    }
    return QApplication::exec();
}
