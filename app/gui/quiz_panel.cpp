#include "quiz_panel.h"

#include "qt_text.h"
#include "view_style.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QTextDocument>
#include <QVBoxLayout>

namespace tcpviz::gui {

QuizPanel::QuizPanel(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("quizPanel"));
    auto* layout = new QVBoxLayout(this);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("quizMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::RichText);
    m_message->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_message);
    m_states = new QGroupBox(this);
    m_stateLayout = new QVBoxLayout(m_states);
    m_stateGroup = new QButtonGroup(this);
    layout->addWidget(m_states);
    m_flags = new QGroupBox(this);
    m_flagLayout = new QVBoxLayout(m_flags);
    m_flagGroup = new QButtonGroup(this);
    layout->addWidget(m_flags);
    m_options = new QGroupBox(this);
    m_optionLayout = new QVBoxLayout(m_options);
    m_optionGroup = new QButtonGroup(this);
    layout->addWidget(m_options);
    m_answer = new QPushButton(this);
    m_answer->setObjectName(QStringLiteral("quizAnswer"));
    layout->addWidget(m_answer);
    layout->addStretch(1);
    m_score = new QLabel(this);
    m_score->setObjectName(QStringLiteral("quizScore"));
    m_score->setWordWrap(true);
    QFont f = m_score->font();
    f.setBold(true);
    m_score->setFont(f);
    layout->addWidget(m_score);
    connect(m_stateGroup, &QButtonGroup::idClicked, this, [this] { updateAnswerButton(); });
    connect(m_flagGroup, &QButtonGroup::idClicked, this, [this] { updateAnswerButton(); });
    connect(m_optionGroup, &QButtonGroup::idClicked, this, [this] { updateAnswerButton(); });
    connect(m_answer, &QPushButton::clicked, this, &QuizPanel::submit);
    retranslate();
    showIntro();
}

void QuizPanel::retranslate() {
    m_states->setTitle(tr("Next state"));
    m_flags->setTitle(m_question && m_question->kind == QuizKind::Segment
                          ? tr("Segment it sends")
                          : tr("Segment it sends at that moment"));
    m_options->setTitle(tr("Your answer"));
    m_answer->setText(tr("Answer"));
    setScore(m_correct, m_asked);
    updateMessage();
    if (m_question) {
        for (QAbstractButton* b : m_optionGroup->buttons()) {
            b->setText(
                choiceText(m_question->choices.at(static_cast<std::size_t>(m_optionGroup->id(b)))));
        }
        // The choices carry state names and flags, which need no translation,
        // except "nothing".
        for (QAbstractButton* b : m_flagGroup->buttons()) {
            const auto& f =
                m_question->flagChoices.at(static_cast<std::size_t>(m_flagGroup->id(b)));
            if (!f) {
                b->setText(tr("nothing"));
            }
        }
    }
}

void QuizPanel::clearChoices() {
    for (QButtonGroup* group : {m_stateGroup, m_flagGroup, m_optionGroup}) {
        const auto buttons = group->buttons();
        for (QAbstractButton* b : buttons) {
            group->removeButton(b);
            delete b;
        }
    }
}

void QuizPanel::showIntro() {
    m_mode = Mode::Intro;
    m_question.reset();
    clearChoices();
    updateMessage();
}

void QuizPanel::ask(const QuizQuestion& question, const ViewSettings& settings) {
    m_mode = Mode::Asking;
    m_question = question;
    m_settings = settings;
    clearChoices();
    for (std::size_t i = 0; i < question.stateChoices.size(); ++i) {
        auto* b = new QRadioButton(stateLabel(question.stateChoices[i], settings), m_states);
        m_stateGroup->addButton(b, static_cast<int>(i));
        m_stateLayout->addWidget(b);
    }
    for (std::size_t i = 0; i < question.flagChoices.size(); ++i) {
        const auto& f = question.flagChoices[i];
        auto* b = new QRadioButton(f ? qs(flagsToString(*f)) : tr("nothing"), m_flags);
        m_flagGroup->addButton(b, static_cast<int>(i));
        m_flagLayout->addWidget(b);
    }
    for (std::size_t i = 0; i < question.choices.size(); ++i) {
        auto* b = new QRadioButton(choiceText(question.choices[i]), m_options);
        m_optionGroup->addButton(b, static_cast<int>(i));
        m_optionLayout->addWidget(b);
    }
    retranslate();
}

void QuizPanel::showResult(const QString& html) {
    m_mode = Mode::Result;
    m_question.reset();
    m_resultHtml = html;
    clearChoices();
    updateMessage();
}

void QuizPanel::updateMessage() {
    QString html;
    switch (m_mode) {
    case Mode::Intro:
        html = tr("<p><b>Quiz on.</b></p><p>Press <b>Play</b> (Space) or step forward (→). "
                  "Before each change of state the lesson stops and asks here which state "
                  "comes next and which segment is sent; it also asks what an endpoint sends "
                  "when it answers without changing state, whether a RST is accepted, and what "
                  "a FIN arriving again in TIME-WAIT does.</p><p>The explanation of that step "
                  "waits until you have answered.</p>");
        break;
    case Mode::Asking: {
        const QString who = m_question->side == Side::Client ? tr("client") : tr("server");
        const QString state = stateLabel(m_question->from, m_settings);
        QString question;
        switch (m_question->kind) {
        case QuizKind::Transition:
            question = tr("The %1 is in %2. Which state does it enter next?").arg(who, state);
            break;
        case QuizKind::Segment:
            question = tr("The %1 is in %2. What does it send now?").arg(who, state);
            break;
        case QuizKind::RstAcceptance:
            question =
                tr("A RST is arriving at the %1, which is in %2. Will the %1 accept it? Look at "
                   "its SEQ on the arrow.")
                    .arg(who, state);
            break;
        case QuizKind::TimeWaitTimer:
            question = tr("The peer's FIN is arriving again at the %1, which is in %2. What "
                          "happens to its TIME-WAIT timer?")
                           .arg(who, state);
            break;
        }
        html = QStringLiteral("<p><b>%1</b></p>").arg(question.toHtmlEscaped());
        break;
    }
    case Mode::Result:
        html = m_resultHtml +
               QStringLiteral("<p>%1</p>")
                   .arg(tr("Press Play (Space) or step forward (→) to go on.").toHtmlEscaped());
        break;
    }
    m_message->setText(html);
    const bool asking = m_mode == Mode::Asking;
    m_states->setVisible(asking && needsState());
    m_flags->setVisible(asking && needsFlags());
    m_options->setVisible(asking && needsOption());
    m_answer->setVisible(asking);
    updateAnswerButton();
}

bool QuizPanel::needsState() const {
    return m_question && m_question->kind == QuizKind::Transition;
}

bool QuizPanel::needsFlags() const {
    return m_question &&
           (m_question->kind == QuizKind::Transition || m_question->kind == QuizKind::Segment);
}

bool QuizPanel::needsOption() const {
    return m_question && !m_question->choices.empty();
}

void QuizPanel::updateAnswerButton() {
    m_answer->setEnabled(m_question && (!needsState() || m_stateGroup->checkedId() >= 0) &&
                         (!needsFlags() || m_flagGroup->checkedId() >= 0) &&
                         (!needsOption() || m_optionGroup->checkedId() >= 0));
}

void QuizPanel::setScore(int correct, int asked) {
    m_correct = correct;
    m_asked = asked;
    m_score->setText(asked == 1 ? tr("%1 correct of 1 question").arg(correct)
                                : tr("%1 correct of %2 questions").arg(correct).arg(asked));
}

QString QuizPanel::scoreText() const {
    return m_score->text();
}

QString QuizPanel::shownText() const {
    QTextDocument doc;
    doc.setHtml(m_message->text());
    QString all = doc.toPlainText();
    for (QAbstractButton* b : m_stateGroup->buttons()) {
        all += QLatin1Char('\n') + b->text();
    }
    for (QAbstractButton* b : m_flagGroup->buttons()) {
        all += QLatin1Char('\n') + b->text();
    }
    for (QAbstractButton* b : m_optionGroup->buttons()) {
        all += QLatin1Char('\n') + b->text();
    }
    return all + QLatin1Char('\n') + m_score->text();
}

void QuizPanel::choose(int stateChoice, int flagChoice) {
    if (QAbstractButton* b = m_stateGroup->button(stateChoice)) {
        b->setChecked(true);
    }
    if (QAbstractButton* b = m_flagGroup->button(flagChoice)) {
        b->setChecked(true);
    }
    updateAnswerButton();
}

void QuizPanel::chooseOption(int choice) {
    if (QAbstractButton* b = m_optionGroup->button(choice)) {
        b->setChecked(true);
    }
    updateAnswerButton();
}

void QuizPanel::submit() {
    if (!m_answer->isEnabled() || !m_question) {
        updateAnswerButton();
        if (!m_answer->isEnabled() || !m_question) {
            return;
        }
    }
    if (needsOption()) {
        emit answeredChoice(
            m_question->choices.at(static_cast<std::size_t>(m_optionGroup->checkedId())));
        return;
    }
    const State state =
        needsState()
            ? m_question->stateChoices.at(static_cast<std::size_t>(m_stateGroup->checkedId()))
            : m_question->from;
    const auto flags =
        m_question->flagChoices.at(static_cast<std::size_t>(m_flagGroup->checkedId()));
    emit answered(state, flags);
}

} // namespace tcpviz::gui
