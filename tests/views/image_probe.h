#pragma once

// Helpers that look at rendered images the way a person would: which colours
// are where, and how much of a region a colour covers.

#include <QColor>
#include <QDir>
#include <QImage>
#include <QRect>
#include <QString>
#include <cmath>
#include <cstdlib>

namespace tcpviz::viewtest {

/// Perceptual-enough colour distance (Euclidean in RGB, 0..441).
inline double colorDistance(const QColor& a, const QColor& b) {
    const double dr = a.red() - b.red();
    const double dg = a.green() - b.green();
    const double db = a.blue() - b.blue();
    return std::sqrt(dr * dr + dg * dg + db * db);
}

/// Fraction of the pixels in `rect` (image coordinates) within `tolerance` of `color`.
inline double coverage(const QImage& image, const QRect& rect, const QColor& color,
                       double tolerance = 40.0) {
    const QRect r = rect.intersected(image.rect());
    if (r.isEmpty()) {
        return 0.0;
    }
    long hits = 0;
    for (int y = r.top(); y <= r.bottom(); ++y) {
        for (int x = r.left(); x <= r.right(); ++x) {
            if (colorDistance(image.pixelColor(x, y), color) <= tolerance) {
                ++hits;
            }
        }
    }
    return static_cast<double>(hits) / (static_cast<double>(r.width()) * r.height());
}

/// "Red-ish": strong red, weak green and blue.
inline bool isReddish(const QColor& c) {
    return c.red() > 150 && c.green() < 110 && c.blue() < 110;
}

/// Saves the image under $TCPVIZ_SCREENSHOT_DIR when set, so a person can look.
inline void keepScreenshot(const QImage& image, const QString& name) {
    const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        image.save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
    }
}

} // namespace tcpviz::viewtest
