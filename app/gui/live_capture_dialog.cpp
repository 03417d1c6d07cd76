#include "live_capture_dialog.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace tcpviz::gui {

namespace {

struct Text {
    Q_DECLARE_TR_FUNCTIONS(tcpviz::gui::LiveCaptureDialog)
};

} // namespace

std::optional<LiveCaptureRequest> askLiveCapture(QWidget* parent,
                                                 const LiveCaptureRequest& initial) {
    QDialog dialog(parent);
    dialog.setWindowTitle(Text::tr("Start live capture"));
    auto* form = new QFormLayout(&dialog);
    auto* interface = new QLineEdit(initial.interface, &dialog);
    interface->setObjectName(QStringLiteral("liveInterface"));
    auto* filter = new QLineEdit(initial.filter, &dialog);
    filter->setObjectName(QStringLiteral("liveFilter"));
    filter->setPlaceholderText(Text::tr("BPF filter, e.g. tcp port 80"));
    form->addRow(Text::tr("Interface:"), interface);
    form->addRow(Text::tr("Filter:"), filter);
    auto* icmp = new QCheckBox(Text::tr("Count ICMP errors about each connection"), &dialog);
    icmp->setObjectName(QStringLiteral("liveIcmpErrors"));
    icmp->setChecked(initial.icmpErrors);
    icmp->setToolTip(Text::tr("ICMP and ICMPv6 errors quoting TCP are let through the filter "
                              "and counted in the ICMP column of their connection."));
    form->addRow(icmp);
    auto* checksums = new QCheckBox(Text::tr("Validate TCP checksums"), &dialog);
    checksums->setObjectName(QStringLiteral("liveCheckChecksums"));
    checksums->setChecked(initial.checkChecksums);
    checksums->setToolTip(Text::tr(
        "A segment with a wrong checksum is not followed and marks its connection's history "
        "with C. Off by default: what this computer sends (all of loopback) is captured "
        "before its checksum is filled in."));
    form->addRow(checksums);
    auto* note = new QLabel(Text::tr("Capturing needs the cap_net_raw and cap_net_admin "
                                     "capabilities, not root: sudo setcap "
                                     "cap_net_raw,cap_net_admin=eip on the tcpviz program."),
                            &dialog);
    note->setWordWrap(true);
    form->addRow(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(Text::tr("Start"));
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) {
        return std::nullopt;
    }
    return LiveCaptureRequest{interface->text().trimmed(), filter->text().trimmed(),
                              icmp->isChecked(), checksums->isChecked()};
}

} // namespace tcpviz::gui
