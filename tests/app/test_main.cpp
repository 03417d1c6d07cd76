// The app tests need a QApplication; they run on the offscreen platform so that
// CI needs no display (CTest also sets QT_QPA_PLATFORM=offscreen).
#include <QApplication>
#include <QStandardPaths>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    // Keep the user's real settings (recent files, language) out of the tests.
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("tcpviz-tests"));
    QApplication::setApplicationName(QStringLiteral("tcpviz-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
