#include "live_capture_dialog.h"

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

std::optional<LiveCaptureRequest> askLiveCapture(QWidget* parent) {
    QDialog dialog(parent);
    dialog.setWindowTitle(Text::tr("Start live capture"));
    auto* form = new QFormLayout(&dialog);
    auto* interface = new QLineEdit(QStringLiteral("lo"), &dialog);
    auto* filter = new QLineEdit(QStringLiteral("tcp"), &dialog);
    filter->setPlaceholderText(Text::tr("BPF filter, e.g. tcp port 80"));
    form->addRow(Text::tr("Interface:"), interface);
    form->addRow(Text::tr("Filter:"), filter);
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
    return LiveCaptureRequest{interface->text().trimmed(), filter->text().trimmed()};
}

} // namespace tcpviz::gui
