// `tcpviz --export` runs the real binary without a window, as a lecturer's
// slide script or CI would.
#include "capture/synth.h"
#include "test_skip.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <gtest/gtest.h>
#include <utility>

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

/// Texts of an SVG's <text> elements and its root's width and height.
struct Svg {
    QStringList texts;
    QSize size;
};

Svg readSvgFile(const QString& path) {
    Svg out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return out;
    }
    QXmlStreamReader xml(&f);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg")) {
            out.size = QSize(xml.attributes().value(QLatin1String("width")).toInt(),
                             xml.attributes().value(QLatin1String("height")).toInt());
        }
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            out.texts << xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    return out;
}

// `--size WxH` draws a slide of exactly that size in every picture format.
TEST(CommandLineExport, SizeDrawsASlideOfExactlyThatSize) {
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("slide.png"));
    const QString svg = dir.filePath(QStringLiteral("slide.svg"));
    const QString pdf = dir.filePath(QStringLiteral("slide.pdf"));
    for (const QString& out : {png, svg, pdf}) {
        const ProcessResult r =
            runTcpviz({QStringLiteral("--export"), out, QStringLiteral("--size"),
                       QStringLiteral("1920x1080"), QStringLiteral("lost-final-ack")});
        ASSERT_EQ(r.exitCode, 0) << out.toStdString() << ": " << r.err.toStdString();
    }
    EXPECT_EQ(QImage(png).size(), QSize(1920, 1080));
    const Svg s = readSvgFile(svg);
    EXPECT_EQ(s.size, QSize(1920, 1080));
    // Every segment's label, searchable: lost-final-ack's nine, the lost ACK's among them.
    const QString all = s.texts.join(QLatin1Char('\n'));
    for (const char* label :
         {"SYN seq=0", "SYN,ACK seq=0 ack=1", "ACK seq=1 ack=1", "FIN,ACK seq=1 ack=1",
          "ACK seq=1 ack=2", "FIN,ACK seq=1 ack=2", "ACK seq=2 ack=2"}) {
        EXPECT_TRUE(s.texts.contains(QString::fromLatin1(label))) << label << " in\n"
                                                                  << all.toStdString();
    }
    EXPECT_EQ(s.texts.count(QStringLiteral("ACK seq=2 ack=2")), 2) << "lost and resent";
    QFile f(pdf);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QRegularExpressionMatch media =
        QRegularExpression(QStringLiteral(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])"))
            .match(QString::fromLatin1(f.readAll()));
    ASSERT_TRUE(media.hasMatch());
    EXPECT_DOUBLE_EQ(media.captured(1).toDouble(), 1920.0) << "points";
    EXPECT_DOUBLE_EQ(media.captured(2).toDouble(), 1080.0) << "points";

    const ProcessResult bad = runTcpviz({QStringLiteral("--export"), png, QStringLiteral("--size"),
                                         QStringLiteral("wide"), QStringLiteral("lecture")});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_TRUE(bad.err.contains(QStringLiteral("--size"))) << bad.err.toStdString();
    const ProcessResult text =
        runTcpviz({QStringLiteral("--export"), dir.filePath(QStringLiteral("x.mmd")),
                   QStringLiteral("--size"), QStringLiteral("800x600"), QStringLiteral("lecture")});
    EXPECT_EQ(text.exitCode, 1);
    EXPECT_TRUE(text.err.contains(QStringLiteral("x.mmd"))) << text.err.toStdString();
}

// `--graph` draws the state graph as at the step, for slides.
TEST(CommandLineExport, GraphDrawsTheStateGraphAsAtTheStep) {
    QTemporaryDir dir;
    const QString early = dir.filePath(QStringLiteral("early.svg"));
    const QString late = dir.filePath(QStringLiteral("late.png"));
    const QString ladder = dir.filePath(QStringLiteral("ladder.png"));
    ASSERT_EQ(runTcpviz({QStringLiteral("--export"), early, QStringLiteral("--graph"),
                         QStringLiteral("--step"), QStringLiteral("3"), QStringLiteral("lecture")})
                  .exitCode,
              0);
    const ProcessResult r =
        runTcpviz({QStringLiteral("--export"), late, QStringLiteral("--graph"),
                   QStringLiteral("--size"), QStringLiteral("1280x720"), QStringLiteral("--step"),
                   QStringLiteral("20"), QStringLiteral("lecture")});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    ASSERT_EQ(runTcpviz({QStringLiteral("--export"), ladder, QStringLiteral("--size"),
                         QStringLiteral("1280x720"), QStringLiteral("--step"), QStringLiteral("20"),
                         QStringLiteral("lecture")})
                  .exitCode,
              0);
    const Svg graph = readSvgFile(early);
    // The graph's nodes and arc labels are there as text; the ladder's segment labels are not.
    for (const char* state : {"CLOSED", "LISTEN", "SYN-SENT", "ESTABLISHED", "TIME-WAIT"}) {
        EXPECT_TRUE(graph.texts.contains(QString::fromLatin1(state))) << state;
    }
    EXPECT_TRUE(graph.texts.contains(QStringLiteral("rcv SYN")));
    EXPECT_FALSE(graph.texts.contains(QStringLiteral("SYN seq=0")));
    const QImage g(late);
    EXPECT_EQ(g.size(), QSize(1280, 720));
    EXPECT_NE(g, QImage(ladder));
}

// `--connection N FILE.pcap` exports one captured connection's ladder, N its id as
// `tcpviz-cli analyze` and the window's table list it (from 0); a capture without
// it, or N out of range, is a clear error naming the file (exit 1).
TEST(CommandLineExport, ExportsOneConnectionOfACapture) {
    const QString capture = QStringLiteral(TCPVIZ_CORPUS_DIR "/pcpp_three_http_streams.pcap");
    if (!QFile::exists(capture)) {
        TCPVIZ_SKIP("corpus not available: " << capture.toStdString());
    }
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("conn.svg"));
    const ProcessResult ok =
        runTcpviz({QStringLiteral("--export"), out, QStringLiteral("--connection"),
                   QStringLiteral("1"), capture});
    ASSERT_EQ(ok.exitCode, 0) << ok.err.toStdString();
    const Svg svg = readSvgFile(out);
    const QString all = svg.texts.join(QLatin1Char('\n'));
    EXPECT_TRUE(svg.texts.contains(QStringLiteral("SYN seq=0"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("FIN,ACK"))) << all.toStdString();
    EXPECT_TRUE(svg.texts.contains(QStringLiteral("TIME-WAIT"))) << all.toStdString();
    // The second connection, not the first: the client's port differs.
    const QString first = dir.filePath(QStringLiteral("first.svg"));
    ASSERT_EQ(runTcpviz({QStringLiteral("--export"), first, QStringLiteral("--connection"),
                         QStringLiteral("0"), capture})
                  .exitCode,
              0);
    EXPECT_NE(readSvgFile(first).texts, svg.texts);

    const QString missing = dir.filePath(QStringLiteral("missing.svg"));
    const ProcessResult none = runTcpviz({QStringLiteral("--export"), missing, capture});
    EXPECT_EQ(none.exitCode, 1);
    EXPECT_TRUE(none.err.contains(capture)) << none.err.toStdString();
    EXPECT_TRUE(none.err.contains(QStringLiteral("--connection"))) << none.err.toStdString();
    const ProcessResult range =
        runTcpviz({QStringLiteral("--export"), missing, QStringLiteral("--connection"),
                   QStringLiteral("3"), capture});
    EXPECT_EQ(range.exitCode, 1);
    EXPECT_TRUE(range.err.contains(capture)) << range.err.toStdString();
    EXPECT_TRUE(range.err.contains(QStringLiteral("no connection 3"))) << range.err.toStdString();
    EXPECT_TRUE(range.err.contains(QStringLiteral("holds 3"))) << range.err.toStdString();
    EXPECT_TRUE(range.err.contains(QStringLiteral("from 0 to 2"))) << range.err.toStdString();
    const ProcessResult negative =
        runTcpviz({QStringLiteral("--export"), missing, QStringLiteral("--connection"),
                   QStringLiteral("-1"), capture});
    EXPECT_EQ(negative.exitCode, 2);
    EXPECT_FALSE(QFile::exists(missing));
    const ProcessResult word =
        runTcpviz({QStringLiteral("--export"), missing, QStringLiteral("--connection"),
                   QStringLiteral("two"), capture});
    EXPECT_EQ(word.exitCode, 2);
    const ProcessResult scenario =
        runTcpviz({QStringLiteral("--export"), missing, QStringLiteral("--connection"),
                   QStringLiteral("1"), QStringLiteral("lecture")});
    EXPECT_EQ(scenario.exitCode, 1);
    EXPECT_TRUE(scenario.err.contains(QStringLiteral("lecture"))) << scenario.err.toStdString();
    const ProcessResult broken =
        runTcpviz({QStringLiteral("--export"), missing, QStringLiteral("--connection"),
                   QStringLiteral("1"), dir.filePath(QStringLiteral("nothing.pcap"))});
    EXPECT_EQ(broken.exitCode, 1);
    EXPECT_TRUE(broken.err.contains(QStringLiteral("nothing.pcap"))) << broken.err.toStdString();
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

// The benchmark's stepping (big_capture_bench.sh): after the table, --time-steps N
// selects N connections spread over it, first and last included, each ladder shown
// before the next one, and exits by itself.
TEST(CommandLine, TimeStepsShowsConnectionsSpreadOverTheTable) {
    QTemporaryDir dir;
    const QString capture = dir.filePath(QStringLiteral("forty.pcap"));
    tcpviz::SynthOptions o;
    o.connections = 40;
    ASSERT_TRUE(tcpviz::writeSynthCapture(o, capture.toStdString()).has_value());
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(TCPVIZ_GUI_BINARY),
            {QStringLiteral("--time-load"), QStringLiteral("--time-steps"), QStringLiteral("4"),
             capture});
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 0);
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    EXPECT_TRUE(err.contains(QStringLiteral("table shown after"))) << err.toStdString();
    EXPECT_TRUE(err.contains(QStringLiteral("(40 connections; resident "))) << err.toStdString();
    EXPECT_TRUE(err.contains(QStringLiteral(" MiB, peak "))) << err.toStdString();
    QStringList shown;
    const QRegularExpression line(QStringLiteral("connection (\\d+) shown after [0-9.]+ ms"));
    for (auto it = line.globalMatch(err); it.hasNext();) {
        shown << it.next().captured(1);
    }
    EXPECT_EQ(shown, (QStringList{QStringLiteral("0"), QStringLiteral("13"), QStringLiteral("26"),
                                  QStringLiteral("39")}))
        << err.toStdString();
}

// Compare mode without a window: the input's ladder on the left, the what-if's on
// the right; both ladders' labels and the legend are in the picture.
TEST(CommandLineExport, CompareDrawsBothLaddersAndTheirDifferences) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString body =
        QStringLiteral("client: {address: \"10.0.0.1:1000\", isn: 100}\n"
                       "server: {address: \"10.0.0.2:80\", isn: 300}\n"
                       "network: {latency: 10ms}\n"
                       "steps:\n"
                       "  - {at: 0ms, server: listen}\n"
                       "  - {at: 1ms, client: connect}\n"
                       "  - {at: 100ms, client: send, bytes: 7}\n"
                       "  - {at: 3s, client: close}\n"
                       "  - {when: server CLOSE-WAIT, after: 1ms, server: close}\n");
    const QString original = dir.filePath(QStringLiteral("original.yaml"));
    const QString whatIf = dir.filePath(QStringLiteral("what-if.yaml"));
    for (const auto& [path, text] :
         {std::pair{original, QStringLiteral("title: Kept request\n") + body},
          std::pair{whatIf, QStringLiteral("title: Lost request\n") + body +
                                QStringLiteral("faults:\n  - drop: {from: client, flags: "
                                               "\"PSH,ACK\", nth: 1}\n")}}) {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(text.toUtf8());
    }
    const QString out = dir.filePath(QStringLiteral("compare.svg"));
    const ProcessResult r =
        runTcpviz({QStringLiteral("--export"), out, QStringLiteral("--compare"), whatIf,
                   QStringLiteral("--size"), QStringLiteral("1280x720"), original});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(f.readAll());
    QStringList words;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            words << xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    ASSERT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    const QString all = words.join(QLatin1Char('|'));
    EXPECT_TRUE(all.contains(QStringLiteral("Kept request"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("What if: Lost request"))) << all.toStdString();
    // Each ladder draws its own handshake: SYN,ACK labelled twice.
    EXPECT_GE(all.count(QStringLiteral("SYN,ACK")), 2) << all.toStdString();
    // The what-if's lost request is sent again: a retransmission only on the right,
    // counted in the legend as a segment only in the what-if.
    EXPECT_TRUE(all.contains(QStringLiteral("Only in the what-if — segments: 1")))
        << all.toStdString();

    // Not with --graph, nor as text.
    const QString text = dir.filePath(QStringLiteral("compare.mmd"));
    const ProcessResult bad = runTcpviz(
        {QStringLiteral("--export"), text, QStringLiteral("--compare"), whatIf, original});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_TRUE(bad.err.contains(QStringLiteral("--compare"))) << bad.err.toStdString();
}

// A capture's connection is compared through the scenario that replays it, as
// in the window: a what-if that only loses the response differs by that loss and
// its retransmission, nothing else (the capture's own clock would shift every
// state).
TEST(CommandLineExport, CompareOfACapturedConnectionGoesThroughItsReplay) {
    const QString capture = QStringLiteral(TCPVIZ_CORPUS_DIR "/zeek_http-methods.pcap");
    if (!QFile::exists(capture)) {
        TCPVIZ_SKIP("no corpus capture " << capture.toStdString());
    }
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    // tcpviz-cli scenario zeek_http-methods.pcap --connection 29, plus the loss.
    const QString whatIf = dir.filePath(QStringLiteral("lost-response.yaml"));
    {
        QFile f(whatIf);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("title: Lost response\n"
                "profile: linux\n"
                "client: {address: \"128.2.6.136:46591\", isn: 3860337540, window: 14600}\n"
                "server: {address: \"173.194.75.103:80\", isn: 2623059689, window: 14180}\n"
                "network: {latency: 9696us}\n"
                "steps:\n"
                "  - {at: 0us, server: listen}\n"
                "  - {at: 10674us, client: connect}\n"
                "  - {at: 30096us, client: send, bytes: 39}\n"
                "  - {at: 40080us, server: send, bytes: 1110}\n"
                "  - {at: 4054084us, client: close}\n"
                "  - {at: 4063781us, server: close}\n"
                "faults:\n"
                "  - drop: {from: server, flags: \"PSH,ACK\", nth: 1}\n");
    }
    const QString out = dir.filePath(QStringLiteral("compare.svg"));
    const ProcessResult r =
        runTcpviz({QStringLiteral("--export"), out, QStringLiteral("--compare"), whatIf,
                   QStringLiteral("--connection"), QStringLiteral("29"), capture});
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QFile f(out);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(f.readAll());
    QStringList words;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            words << xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    const QString all = words.join(QLatin1Char('|'));
    EXPECT_TRUE(all.contains(QStringLiteral("As captured: zeek_http-methods.pcap, connection #29")))
        << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("What if: Lost response"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("Only in the capture — segments: 0, states: 0")))
        << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("states at another time: 0"))) << all.toStdString();
}
