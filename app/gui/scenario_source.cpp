#include "scenario_source.h"

#include "qt_text.h"
#include "scenario/library.h"

#include <QFile>
#include <QFileInfo>

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
    const auto magic = static_cast<quint32>(static_cast<unsigned char>(head[0])) << 24 |
                       static_cast<quint32>(static_cast<unsigned char>(head[1])) << 16 |
                       static_cast<quint32>(static_cast<unsigned char>(head[2])) << 8 |
                       static_cast<quint32>(static_cast<unsigned char>(head[3]));
    return magic == 0xa1b2c3d4U || magic == 0xd4c3b2a1U || magic == 0xa1b23c4dU ||
           magic == 0x4d3cb2a1U || magic == 0x0a0d0d0aU;
}

ScenarioResult loadScenarioFrom(const QString& idOrPath) {
    return loadScenario(stdString(idOrPath));
}

QString scenarioTitle(const Scenario& scenario, Language language) {
    const QString title = qs(scenario.title.in(language));
    return title.isEmpty() ? qs(scenario.id) : title;
}

} // namespace tcpviz::gui
