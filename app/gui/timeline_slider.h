#pragma once

#include <QColor>
#include <QSlider>
#include <vector>

namespace tcpviz::gui {

/// The timeline: a horizontal slider over trace positions with a tick per
/// segment (red for a lost one), so a viewer sees where the exchange is busy.
class TimelineSlider : public QSlider {
    Q_OBJECT
public:
    struct Mark {
        int position = 0;
        bool lost = false;
        bool client = true;
    };

    explicit TimelineSlider(QWidget* parent = nullptr);
    void setMarks(std::vector<Mark> marks);
    /// Where a what-if branch leaves the scenario (-1: none), drawn as a diamond.
    void setBranchPoint(int position);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<Mark> m_marks;
    int m_branchPoint = -1;
};

} // namespace tcpviz::gui
