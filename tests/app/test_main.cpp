// The app tests need a QApplication; they run on the offscreen platform so that
// CI needs no display (CTest also sets QT_QPA_PLATFORM=offscreen).
#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // Keep the user's real settings (recent files, language) out of the tests.
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    // Each test process has settings of its own: ctest runs several at once, and
    // one test's View menu choice must not land in another's window.
    const QTemporaryDir settingsDir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    QApplication::setOrganizationName(QStringLiteral("tcpviz-tests"));
    QApplication::setApplicationName(QStringLiteral("tcpviz-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
