#include <QApplication>
#include <QFont>
#include <QTranslator>
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
    // For looking at the views in Chinese: TCPVIZ_TEST_QM=path/to/tcpviz_zh_CN.qm.
    QTranslator translator;
    const QString qm = qEnvironmentVariable("TCPVIZ_TEST_QM");
    if (!qm.isEmpty() && translator.load(qm)) {
        QApplication::installTranslator(&translator);
    }
    return RUN_ALL_TESTS();
}
