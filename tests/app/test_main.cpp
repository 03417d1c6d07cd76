// The app tests need a QApplication; they run on the offscreen platform so that
// CI needs no display (CTest also sets QT_QPA_PLATFORM=offscreen).
#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // Keep the user's real settings (recent files, language) out of the tests.
    QStandardPaths::setTestModeEnabled(true);
    // Each test process has a home of its own (settings, the replay cache): ctest
    // runs several at once, and one test's View menu choice or generated file
    // must not land in another's window.
    const QTemporaryDir home;
    qputenv("HOME", home.path().toLocal8Bit());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("tcpviz-tests"));
    QApplication::setApplicationName(QStringLiteral("tcpviz-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
