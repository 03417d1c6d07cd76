#include "scenario_source.h"

#include "capture/capture_reader.h"
#include "qt_text.h"
#include "scenario/library.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <cstring>

namespace tcpviz::gui {

bool isCaptureFile(const QString& path) {
    if (path == QLatin1String("-")) {
        return true;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pcap") || suffix == QLatin1String("pcapng") ||
        suffix == QLatin1String("cap") || suffix == QLatin1String("dmp")) {
        return true;
    }
    if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml")) {
        return false;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return false;
    }
    const QByteArray head = f.read(4);
    if (head.size() < 4) {
        return false;
    }
    std::uint8_t first[4] = {};
    std::memcpy(first, head.constData(), 4);
    return captureFormatOf(first) != CaptureFormat::None;
}

Result<Scenario> loadScenarioFrom(const QString& idOrPath) {
    return loadScenario(stdString(idOrPath));
}

QString scenarioTitle(const Scenario& scenario, Language language) {
    const QString title = qs(scenario.title.in(language));
    return title.isEmpty() ? qs(scenario.id) : title;
}

QString replayScenarioPath(const QString& fileName) {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                        QStringLiteral("/replays");
    QDir().mkpath(dir);
    return QDir(dir).filePath(fileName);
}

} // namespace tcpviz::gui
