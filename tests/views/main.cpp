#include <QApplication>
#include <QFont>
#include <cstdlib>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
    // CTest sets QT_QPA_PLATFORM=offscreen; running the binary by hand (or test
    // discovery) must not need a display either.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    ::testing::InitGoogleTest(&argc, argv);
    QApplication app(argc, argv);
    // A fixed, installed family so that pixel checks do not depend on the desktop's choice.
    QApplication::setFont(QFont(QStringLiteral("Noto Sans CJK SC"), 10));
    return RUN_ALL_TESTS();
}
