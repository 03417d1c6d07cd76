#include "player_icons.h"

#include <QPainter>
#include <QPixmap>
#include <QPolygonF>

namespace tcpviz::gui {

QIcon mediaIcon(MediaIcon kind, const QColor& color) {
    constexpr int kSize = 64;
    QPixmap pm(kSize, kSize);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    const auto triangle = [&p](double x0, double x1, bool right) {
        QPolygonF t;
        if (right) {
            t << QPointF(x0, 12) << QPointF(x1, 32) << QPointF(x0, 52);
        } else {
            t << QPointF(x1, 12) << QPointF(x0, 32) << QPointF(x1, 52);
        }
        p.drawPolygon(t);
    };
    switch (kind) {
    case MediaIcon::Play:
        triangle(16, 52, true);
        break;
    case MediaIcon::Pause:
        p.drawRect(QRectF(16, 12, 11, 40));
        p.drawRect(QRectF(37, 12, 11, 40));
        break;
    case MediaIcon::StepForward:
        triangle(14, 44, true);
        p.drawRect(QRectF(44, 12, 7, 40));
        break;
    case MediaIcon::StepBack:
        triangle(20, 50, false);
        p.drawRect(QRectF(13, 12, 7, 40));
        break;
    case MediaIcon::ToEnd:
        triangle(6, 28, true);
        triangle(28, 50, true);
        p.drawRect(QRectF(50, 12, 7, 40));
        break;
    case MediaIcon::ToStart:
        triangle(14, 36, false);
        triangle(36, 58, false);
        p.drawRect(QRectF(7, 12, 7, 40));
        break;
    }
    p.end();
    QIcon icon(pm);
    // Disabled: the same shape, faded.
    QPixmap faded(pm.size());
    faded.fill(Qt::transparent);
    QPainter f(&faded);
    f.setOpacity(0.35);
    f.drawPixmap(0, 0, pm);
    f.end();
    icon.addPixmap(faded, QIcon::Disabled);
    return icon;
}

} // namespace tcpviz::gui
