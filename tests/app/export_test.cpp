// `tcpviz --export` runs the real binary without a window, as a lecturer's
// slide script or CI would.
#include "test_skip.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

namespace {

struct ProcessResult {
    int exitCode = -1;
    QString err;
};

ProcessResult runTcpviz(const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(TCPVIZ_GUI_BINARY), args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromLocal8Bit(p.readAllStandardError())};
}

} // namespace

TEST(CommandLineExport, WritesAValidSvgOfTheLecture) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("lecture.svg"));
    const ProcessResult r = runTcpviz({QStringLiteral("--export"), out, QStringLiteral("lecture")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    QXmlStreamReader xml(svg);
    bool sawSvg = false;
    int texts = 0;
    QStringList words;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg")) {
            sawSvg = true;
        }
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            ++texts;
            words << xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    EXPECT_TRUE(sawSvg);
    EXPECT_GT(texts, 5) << "labels are text, not just shapes";
    const QString all = words.join(QLatin1Char(' '));
    EXPECT_TRUE(all.contains(QStringLiteral("SYN"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("ESTABLISHED"))) << all.toStdString();
    QSvgRenderer renderer(svg);
    EXPECT_TRUE(renderer.isValid());
}

TEST(CommandLineExport, WritesANonEmptyPngAtAStep) {
    QTemporaryDir dir;
    const QString whole = dir.filePath(QStringLiteral("whole.png"));
    const QString step = dir.filePath(QStringLiteral("step.png"));
    ASSERT_EQ(runTcpviz({QStringLiteral("--export"), whole, QStringLiteral("lecture")}).exitCode,
              0);
    const ProcessResult r = runTcpviz({QStringLiteral("--export"), step, QStringLiteral("--step"),
                                       QStringLiteral("3"), QStringLiteral("lecture")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QImage a(whole);
    QImage b(step);
    ASSERT_FALSE(a.isNull());
    ASSERT_FALSE(b.isNull());
    EXPECT_GT(a.width(), 100);
    EXPECT_GT(a.height(), 100);
    // Not a blank canvas: more than one colour.
    const QRgb first = a.pixel(0, 0);
    bool varied = false;
    for (int y = 0; y < a.height() && !varied; y += 3) {
        for (int x = 0; x < a.width() && !varied; x += 3) {
            varied = a.pixel(x, y) != first;
        }
    }
    EXPECT_TRUE(varied);
    EXPECT_NE(a, b) << "as at step 3 is not the whole exchange";
}

TEST(CommandLineExport, BadInputExitsOneNamingTheFile) {
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("broken.yaml"));
    QFile f(bad);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("title: x\nsteps:\n  - {at: banana, client: connect}\n");
    f.close();
    const ProcessResult r =
        runTcpviz({QStringLiteral("--export"), dir.filePath(QStringLiteral("o.svg")), bad});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("broken.yaml"))) << r.err.toStdString();
    EXPECT_FALSE(QFile::exists(dir.filePath(QStringLiteral("o.svg"))));

    const ProcessResult missing =
        runTcpviz({QStringLiteral("--export"), dir.filePath(QStringLiteral("o.svg")),
                   QStringLiteral("/nonexistent/lesson.yaml")});
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_TRUE(missing.err.contains(QStringLiteral("lesson.yaml"))) << missing.err.toStdString();

    const ProcessResult format =
        runTcpviz({QStringLiteral("--export"), dir.filePath(QStringLiteral("o.gif")),
                   QStringLiteral("lecture")});
    EXPECT_EQ(format.exitCode, 1);
    EXPECT_TRUE(format.err.contains(QStringLiteral("o.gif"))) << format.err.toStdString();
}

// `tcpdump -w - | tcpviz -r -`: the capture arrives on standard input.
TEST(CommandLine, ReadsACaptureFromStandardInput) {
    const QString capture = QStringLiteral(TCPVIZ_CORPUS_DIR "/pcpp_three_http_streams.pcap");
    QFile in(capture);
    if (!in.open(QIODevice::ReadOnly)) {
        TCPVIZ_SKIP("corpus not available: " << capture.toStdString());
    }
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("stdin.png"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(TCPVIZ_GUI_BINARY),
            {QStringLiteral("-r"), QStringLiteral("-"), QStringLiteral("--screenshot"), shot});
    ASSERT_TRUE(p.waitForStarted());
    p.write(in.readAll());
    p.closeWriteChannel();
    ASSERT_TRUE(p.waitForFinished(60000));
    const QString out = QString::fromLocal8Bit(p.readAllStandardOutput());
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    EXPECT_TRUE(out.contains(QStringLiteral("3 connection(s)"))) << out.toStdString();
    EXPECT_FALSE(QImage(shot).isNull());
}

// On a machine with no display (ssh without -X) Qt used to abort with a core dump;
// tcpviz says what is missing and how to go on, and exits 2. --help still works.
TEST(CommandLine, NoDisplaySaysHowToGoOnAndExitsTwo) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) {
        env.remove(QString::fromLatin1(name));
    }
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(TCPVIZ_GUI_BINARY), {QStringLiteral("lecture")});
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(p.exitCode(), 2);
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    EXPECT_EQ(err.count(QLatin1Char('\n')), 1) << err.toStdString();
    EXPECT_TRUE(err.contains(QStringLiteral("no display found"))) << err.toStdString();
    EXPECT_TRUE(err.contains(QStringLiteral("ssh -X"))) << err.toStdString();
    EXPECT_TRUE(err.contains(QStringLiteral("tcpviz-cli simulate lecture --narrate")));

    QProcess help;
    help.setProcessEnvironment(env);
    help.start(QStringLiteral(TCPVIZ_GUI_BINARY), {QStringLiteral("--help")});
    ASSERT_TRUE(help.waitForFinished(60000));
    EXPECT_EQ(help.exitCode(), 0);
    const QString text = QString::fromLocal8Bit(help.readAllStandardOutput());
    EXPECT_TRUE(text.contains(QStringLiteral("--export"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral(".mmd"))) << "every export format is listed";
    EXPECT_FALSE(text.contains(QStringLiteral("--screenshot"))) << "debugging options are hidden";
}
